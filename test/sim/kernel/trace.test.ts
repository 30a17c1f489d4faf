import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Trace } from '../../../src/sim/kernel/trace.ts';

/** plainSha256 hashes lines the obvious way, each ending in "\n", as the reference. */
function plainSha256(lines: readonly string[]): string {
  return createHash('sha256')
    .update(lines.map((line) => line + '\n').join(''), 'utf8')
    .digest('hex');
}

/** recordMany records n lines with distinct times and texts. */
function recordMany(trace: Trace, n: number): void {
  for (let i = 0; i < n; i++) trace.record(1_700_000_000_000_000 + i * 250, `srv${i % 4}`, `probe n=${i} ok`);
}

describe('Trace', () => {
  it('a line reads `${timeUs} ${source} ${text}`', () => {
    const trace = new Trace({ keepLines: true });
    trace.record(2_000_000, 'Mail', 'detect Nt FTP');
    trace.record(2_000_001, 'FTP', '');

    expect(trace.lines()).toEqual(['2000000 Mail detect Nt FTP', '2000001 FTP ']);
    expect(trace.lineCount).toBe(2);
  });

  it('lines throws when the trace was made without keepLines', () => {
    const trace = new Trace();
    trace.record(0, 'a', 'b');

    expect(() => trace.lines()).toThrow(/keepLines/);
    expect(trace.lineCount).toBe(1);
  });

  it('the hash equals a plain sha256 of the joined lines, across many 64 KB chunks', () => {
    const trace = new Trace({ keepLines: true });
    recordMany(trace, 20_000);

    expect(trace.sha256()).toBe(plainSha256(trace.lines()));
  });

  it('the hash of an empty trace is the sha256 of nothing', () => {
    expect(new Trace().sha256()).toBe(createHash('sha256').digest('hex'));
  });

  it('equal input gives an equal hash and any difference changes it', () => {
    const a = new Trace();
    const b = new Trace();
    const c = new Trace();
    recordMany(a, 5000);
    recordMany(b, 5000);
    recordMany(c, 4999);
    c.record(1_700_000_000_000_000 + 4999 * 250, 'srv3', 'probe n=4999 OK');

    expect(a.sha256()).toBe(b.sha256());
    expect(c.sha256()).not.toBe(a.sha256());
  });

  it('the same lines in a different order give a different hash', () => {
    const a = new Trace();
    const b = new Trace();
    a.record(1, 'x', 'first');
    a.record(1, 'x', 'second');
    b.record(1, 'x', 'second');
    b.record(1, 'x', 'first');

    expect(a.sha256()).not.toBe(b.sha256());
  });

  it('sha256 returns the same value when called twice, and recording may go on after it', () => {
    const trace = new Trace({ keepLines: true });
    recordMany(trace, 3000);
    const first = trace.sha256();

    expect(trace.sha256()).toBe(first);
    trace.record(9, 'late', 'line');
    expect(trace.sha256()).not.toBe(first);
    expect(trace.sha256()).toBe(plainSha256(trace.lines()));
  });

  it('non-ASCII text is hashed as UTF-8', () => {
    const trace = new Trace({ keepLines: true });
    trace.record(5, 'vm', 'サーバ復旧 ✓');

    expect(trace.sha256()).toBe(plainSha256(['5 vm サーバ復旧 ✓']));
  });

  it('record refuses what would make the canonical line ambiguous', () => {
    const trace = new Trace();

    expect(() => trace.record(1.5, 'a', 'b')).toThrow(/integer/);
    expect(() => trace.record(1, 'two words', 'b')).toThrow(/one non-empty word/);
    expect(() => trace.record(1, '', 'b')).toThrow(/one non-empty word/);
    expect(() => trace.record(1, 'a', 'two\nlines')).toThrow(/one line/);
    expect(trace.lineCount).toBe(0);
  });
});

describe('numeric trace records', () => {
  it('give the same hash for the same records whether or not lines are kept', () => {
    const plain = new Trace({ originUs: 100 });
    const keeping = new Trace({ originUs: 100, keepLines: true });
    for (const t of [plain, keeping]) {
      t.recordNumbers(150, 2, 1, 7, 1);
      t.record(160, 'FTP', 'fault Nt');
      t.recordNumbers(170, 3, 2, 1, 1);
      if (t.keepsLines) t.keepLine(170, 'Web1', 'sem Mail 1');
    }
    expect(keeping.sha256()).toBe(plain.sha256());
    expect(keeping.lines()).toEqual(['60 FTP fault Nt', '70 Web1 sem Mail 1']);
  });

  it('give another hash when any number of a record differs', () => {
    const a = new Trace();
    const b = new Trace();
    a.recordNumbers(1, 2, 1, 7, 1);
    b.recordNumbers(1, 2, 1, 7, 0);
    expect(a.sha256()).not.toBe(b.sha256());
  });

  it('hash text and numeric records in the order they came', () => {
    const a = new Trace();
    const b = new Trace();
    a.recordNumbers(1, 1, 0, 0, 0);
    a.record(2, 'X', 'y');
    b.record(2, 'X', 'y');
    b.recordNumbers(1, 1, 0, 0, 0);
    expect(a.sha256()).not.toBe(b.sha256());
  });
});

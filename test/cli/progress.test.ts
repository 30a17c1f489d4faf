// The progress line fits the terminal (a wrapped line cannot be redrawn and leaves a stack of
// lines), says the time so far and left, the explorer's findings and the phase after the counted
// work, and stays quiet when stderr is not a terminal.
import { describe, expect, it } from 'vitest';
import { bar, clockText, etaMs, findingsNote, fit, Progress, progressLine, progressShown } from '../../src/cli/progress.ts';
import type { ProgressState } from '../../src/cli/progress.ts';

const state = (over: Partial<ProgressState> = {}): ProgressState => ({ label: 'repro', done: 265, total: 530, elapsedMs: 1000, note: '', phase: '', ...over });

/** terminal is a fake stderr of the given width that records what is written. */
function terminal(columns: number, isTTY = true): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('the progress line', () => {
  it('shows the bar, the counts, the percentage, the time so far and the time left', () => {
    expect(progressLine(state(), 80)).toBe(`repro ${bar(265, 530, 30)} 265/530  50%  0:01 ETA 0:01`);
  });

  it('is never longer than the terminal is wide, less one column, from 200 columns down to 1', () => {
    const long = state({ label: 'explore ring-hardened', done: 12345, total: 100000, elapsedMs: 3_723_000, note: findingsNote(12) });
    for (let columns = 200; columns >= 1; columns--) expect(progressLine(long, columns).length).toBeLessThanOrEqual(columns - 1);
  });

  it('narrows the bar first and leaves it out when the words barely fit', () => {
    expect(progressLine(state(), 50)).toMatch(/^repro \[#+-+\] 265\/530  50%/);
    expect(progressLine(state(), 37)).toBe('repro 265/530  50%  0:01 ETA 0:01');
  });

  it('shows the phase in place of the bar once the counted work is over', () => {
    expect(progressLine(state({ done: 530, phase: 'drawing charts', elapsedMs: 65_000 }), 80)).toBe('repro: drawing charts  1:05');
  });

  it('shows a note such as the findings so far after the counts', () => {
    expect(progressLine(state({ label: 'explore ring', note: findingsNote(2) }), 100)).toMatch(/ETA 0:01  2 findings$/);
    expect(findingsNote(1)).toBe('1 finding');
  });

  it('keeps the bar as wide while the counts grow', () => {
    const widths = [0, 5, 50, 530].map((done) => progressLine(state({ done }), 60).indexOf(']'));
    expect(new Set(widths).size).toBe(1);
  });

  it('has no time left before the first unit is done, and none after the last', () => {
    expect(etaMs(0, 10, 500)).toBeNull();
    expect(etaMs(10, 10, 500)).toBe(0);
    expect(etaMs(1, 4, 500)).toBe(1500);
    expect(progressLine(state({ done: 0 }), 80)).not.toContain('ETA');
  });

  it('writes durations as m:ss, and h:mm:ss from an hour on', () => {
    expect([clockText(0), clockText(59_400), clockText(61_000), clockText(3_723_000)]).toEqual(['0:00', '0:59', '1:01', '1:02:03']);
  });

  it('marks a cut line with an ellipsis', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('abc', 4)).toBe('abc');
    expect(fit('abc', 0)).toBe('');
  });
});

describe('Progress on a stream', () => {
  it('erases the line before each drawing instead of padding it to a fixed width', () => {
    let nowMs = 0;
    const t = terminal(40);
    const p = new Progress('sim x', 10, t.stream, () => nowMs, {});
    nowMs = 2000;
    p.tick(5);
    p.done();
    expect(t.written).toEqual([`\r\x1b[K${progressLine(state({ label: 'sim x', done: 5, total: 10, elapsedMs: 2000 }), 40)}`, '\r\x1b[K']);
  });

  it('draws at most 20 times a second, but always the last unit and a new phase', () => {
    let nowMs = 0;
    const t = terminal(80);
    const p = new Progress('repro', 3, t.stream, () => nowMs, {});
    p.tick(1);
    nowMs = 10;
    p.tick(2);
    p.tick(3);
    p.phase('drawing charts');
    expect(t.written.map((w) => w.replace('\r\x1b[K', '').split(' ')[0])).toEqual(['repro', 'repro', 'repro:']);
    expect(t.written.at(-1)).toContain('drawing charts');
  });

  it('is shown on a terminal only, and not in CI or on a dumb terminal', () => {
    expect(progressShown(true, {})).toBe(true);
    expect(progressShown(false, {})).toBe(false);
    expect(progressShown(true, { CI: 'true' })).toBe(false);
    expect(progressShown(true, { TERM: 'dumb' })).toBe(false);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const t = terminal(80, false);
    const p = new Progress('repro', 3, t.stream, () => 0, {});
    p.tick(3);
    p.note('x').phase('drawing charts');
    p.done();
    expect(t.written).toEqual([]);
  });
});

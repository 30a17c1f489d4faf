// SEM resynchronisation (hardened ring, semResync): the ledger applies each sender's records once,
// in order and after their causes, and answers a peer's version vector with what it lacks.
import { describe, expect, it } from 'vitest';
import { SemLedger } from '../../../src/core/program/sem-ledger.ts';
import { SemResync } from '../../../src/core/program/sem-resync.ts';
import type { SemRecord, Versions } from '../../../src/core/program/sem-ledger.ts';
import { heartbeatLine, initialFiles } from '../../../src/core/model/management-files.ts';
import { applyEdit } from '../../../src/core/model/sem.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { PAPER_RING } from '../ring/harness.ts';

const add = (line: string): SemEdit => ({ file: 'problem.file', op: 'Add', line });
const del = (line: string): SemEdit => ({ file: 'problem.file', op: 'Del', line });

function record(sender: string, seq: number, edits: SemEdit[], deps?: Versions): SemRecord {
  return deps === undefined ? { sender, stamp: { epoch: 1, seq }, edits } : { sender, stamp: { epoch: 1, seq }, edits, deps };
}

const lines = (applied: SemRecord[]): string[] => applied.flatMap((r) => r.edits.map((e) => (e.op === 'Mod' ? e.newLine : `${e.op} ${e.line}`)));

describe('SemLedger', () => {
  it('applies a sender’s records once and in order, holding one that comes after a gap until the gap is filled', () => {
    const ledger = new SemLedger('FTP', 1);

    expect(ledger.receive(record('Mail', 1, [add('a')]))).toHaveLength(1);
    expect(ledger.receive(record('Mail', 3, [add('c')]))).toEqual([]);
    expect(ledger.lagging).toBe(true);
    expect(lines(ledger.receive(record('Mail', 2, [add('b')])))).toEqual(['Add b', 'Add c']);
    expect(ledger.receive(record('Mail', 2, [add('b')]))).toEqual([]);
    expect(ledger.lagging).toBe(false);
  });

  it('holds a Del whose sender had applied another server’s Add until that Add is applied here (causal order)', () => {
    const ledger = new SemLedger('FTP', 1);
    const relocation = record('Web2', 1, [del('Web1b Web1 Proxy'), add('Web1b Web1 FTP')], { Mail: { epoch: 1, seq: 1 }, Web2: { epoch: 1, seq: 1 } });

    expect(ledger.receive(relocation)).toEqual([]);
    expect(ledger.lagging).toBe(true);
    expect(lines(ledger.receive(record('Mail', 1, [add('Web1b Web1 Proxy')])))).toEqual(['Add Web1b Web1 Proxy', 'Del Web1b Web1 Proxy', 'Add Web1b Web1 FTP']);
  });

  it('takes a later incarnation of a sender once a peer vouched for it, and counts its causes as met by any later incarnation', () => {
    const ledger = new SemLedger('FTP', 1);
    ledger.receive(record('Mail', 1, [add('a')]));
    const restarted: SemRecord = { sender: 'Mail', stamp: { epoch: 2, seq: 1 }, edits: [add('b')] };
    const after: SemRecord = { sender: 'Web1', stamp: { epoch: 1, seq: 1 }, edits: [add('c')], deps: { Mail: { epoch: 1, seq: 5 } } };

    // Heard live, the earlier incarnation may have records this replica never heard: it asks first.
    expect(ledger.receive(restarted)).toEqual([]);
    expect(ledger.lagging).toBe(true);
    expect(ledger.receive(restarted, true)).toHaveLength(1);
    expect(ledger.lagging).toBe(false);
    expect(ledger.receive(after)).toHaveLength(1);
  });

  it('applies the records of an earlier incarnation held for their causes before the later one (explorer: sem-agreement)', () => {
    const ledger = new SemLedger('Proxy', 1);
    ledger.receive(record('Web2', 1, [add('x')]));
    ledger.receive(record('Login', 1, [add('y')]));
    // An answer: Login's last record of its first incarnation waits for Web2's second, which comes after Login's next incarnation.
    expect(ledger.receive(record('Login', 2, [add('Mailb Mail Web2')], { Web2: { epoch: 1, seq: 2 } }), true)).toEqual([]);
    expect(ledger.receive({ sender: 'Login', stamp: { epoch: 2, seq: 1 }, edits: [add('z')] }, true)).toEqual([]);
    expect(lines(ledger.receive(record('Web2', 2, [add('w')]), true))).toEqual(['Add w', 'Add Mailb Mail Web2', 'Add z']);
    expect(ledger.versions().Login).toEqual({ epoch: 2, seq: 1 });
  });

  it('answers a peer that lacks the end of a sender’s earlier incarnation with it, or with its whole files when its log lacks it', () => {
    const files = initialFiles(PAPER_RING, 100);
    const login = new SemLedger('Login', 2);
    login.adopt({ Login: { epoch: 1, seq: 7 } });
    login.stampCommit([add('a')]);

    expect(login.answer({ Login: { epoch: 1, seq: 7 } }, files)).toEqual({ records: [expect.objectContaining({ stamp: expect.objectContaining({ epoch: 2, seq: 1 }) })], snapshot: null });
    expect(login.answer({ Login: { epoch: 1, seq: 1 } }, files).snapshot).not.toBeNull();
    expect(login.answer({}, files).snapshot).not.toBeNull();
  });

  it('ends with the same files on replicas that hear two concurrent edits of one line in opposite orders (the later Lamport time wins)', () => {
    // Web1 separates FTP while Proxy, which has not heard that, hands it back: concurrent records.
    const separate = { sender: 'Web1', stamp: { epoch: 1, seq: 1, lt: 7 }, edits: [{ file: 'group.file', op: 'Del', line: '2 FTP FTP.dat' }, { file: 'separation.file', op: 'Add', line: '2 FTP FTP.dat' }] } satisfies SemRecord;
    const handBack = { sender: 'Proxy', stamp: { epoch: 1, seq: 1, lt: 5 }, edits: [{ file: 'separation.file', op: 'Del', line: '2 FTP FTP.dat' }, { file: 'group.file', op: 'Add', line: '2 FTP FTP.dat' }] } satisfies SemRecord;
    const replay = (order: SemRecord[]): string[][] => {
      const files = initialFiles(PAPER_RING, 100);
      const ledger = new SemLedger('Mail', 1);
      for (const r of order) for (const applied of ledger.receive(r)) for (const e of applied.edits) applyEdit(files, e);
      return [files['group.file'], files['separation.file']];
    };

    const one = replay([separate, handBack]);
    const other = replay([handBack, separate]);

    expect(one).toEqual(other);
    expect(one[1]).toEqual(['2 FTP FTP.dat']);
  });

  it('gives its own commit a Lamport time after every record it applied, so a later edit is never taken for an older one', () => {
    const ledger = new SemLedger('Mail', 1);
    ledger.receive({ sender: 'Web1', stamp: { epoch: 1, seq: 1, lt: 41 }, edits: [add('a')] });

    expect(ledger.stampCommit([del('a')]).lt).toBe(42);
    expect(ledger.versions().Web1?.lt).toBe(41);
  });

  it('answers a peer’s vector with the records it lacks, and with its whole files once its log no longer holds them', () => {
    const files = initialFiles(PAPER_RING, 100);
    const ledger = new SemLedger('Mail', 1);
    ledger.stampCommit([add('a')]);
    ledger.stampCommit([add('b')]);

    expect(lines(ledger.answer({ Mail: { epoch: 1, seq: 1 } }, files).records)).toEqual(['Add b']);
    expect(ledger.answer(ledger.versions(), files)).toEqual({ records: [], snapshot: null });

    for (let i = 0; i < 600; i++) ledger.stampCommit([{ file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine('Mail', i), newLine: heartbeatLine('Mail', i + 1) }]);
    const answer = ledger.answer({}, files);
    expect(answer.records).toEqual([]);
    expect(answer.snapshot?.versions).toEqual(ledger.versions());
  });

  it('adopting a peer’s files returns the records of its own it must apply again on top', () => {
    const ledger = new SemLedger('FTP', 1);
    ledger.stampCommit([add('mine')]);
    ledger.receive(record('Mail', 1, [add('a')]));

    const again = ledger.adopt({ Mail: { epoch: 1, seq: 4 } });

    expect(lines(again)).toEqual(['Add mine']);
    expect(ledger.versions().Mail).toEqual({ epoch: 1, seq: 4 });
  });
});

describe('SemResync', () => {
  it('asks the sender of a commit whose vector is ahead of this replica, at most once per retry interval', () => {
    const resync = new SemResync('FTP', 1, 1_000_000);
    const ahead: Versions = { Web1: { epoch: 1, seq: 3 } };

    expect(resync.heard(0, 'Mail', [add('a')], { epoch: 1, seq: 1 }, ahead).ask).toBe(true);
    expect(resync.heard(10, 'Mail', [add('b')], { epoch: 1, seq: 2 }, ahead).ask).toBe(false);
    expect(resync.heard(1_000_010, 'Mail', [add('c')], { epoch: 1, seq: 3 }, ahead).ask).toBe(true);
  });
});

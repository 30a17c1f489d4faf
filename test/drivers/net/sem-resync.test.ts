// The SEM transport carrying the hardened ring (semResync) on 127.0.0.1: whole commits with their
// stamps and version vectors in the numbered, resent stream, and resync questions and answers
// between two transports, with every replayed, unexpected or malformed message refused.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { initialFiles } from '../../../src/core/model/management-files.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import type { SemAnswer, SemRecord, Versions } from '../../../src/core/program/sem-ledger.ts';
import type { SemCommit } from '../../../src/drivers/net/sem-payload.ts';
import type { SemRefusal, SemTransport, SemTransportOptions } from '../../../src/drivers/net/sem-transport.ts';
import { type SemMessage, encodeFrame } from '../../../src/drivers/net/sem-wire.ts';
import { closeLoopbackRing, injectDatagram, openLoopbackRing } from '../helpers/sem-ring.ts';

const KEY = randomBytes(32);
const heartbeat: SemEdit = { file: 'heartbeat.file', op: 'Mod', oldLine: 'Mail 1700000000', newLine: 'Mail 1700000010' };
const problem: SemEdit = { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' };
const stampedCommit = (seq: number): SemCommit => ({ edits: [heartbeat, problem], stamp: { epoch: 1_700_000_000_000_000, seq }, versions: { Mail: { epoch: 1_700_000_000_000_000, seq }, FTP: { epoch: 42, seq: 3 } } });
const record = (seq: number): SemRecord => ({ sender: 'FTP', stamp: { epoch: 42, seq }, edits: [{ file: 'heartbeat.file', op: 'Mod', oldLine: `FTP ${seq - 1}`, newLine: `FTP ${seq}` }], deps: { FTP: { epoch: 42, seq: seq - 1 } } });
const RING = ['Mail', 'FTP', 'Web1'].map((server, i) => ({ no: i + 1, server, dataFile: `${server}.dat` }));

interface Node {
  transport: SemTransport;
  commits: { sender: string; seq: number; commit: SemCommit }[];
  edits: SemEdit[];
  asked: { asker: string; versions: Versions }[];
  answers: { from: string; answer: SemAnswer }[];
  refused: SemRefusal[];
  /** reply is what this node's program answers an ask with. */
  reply: SemAnswer | null;
}

afterEach(closeLoopbackRing);

async function ring(names: string[], extra: Partial<Record<string, Partial<SemTransportOptions>>> = {}): Promise<Record<string, Node>> {
  const nodes: Record<string, Node> = {};
  for (const name of names) nodes[name] = { transport: undefined as unknown as SemTransport, commits: [], edits: [], asked: [], answers: [], refused: [], reply: { records: [], snapshot: null } };
  const transports = await openLoopbackRing(names, KEY, (name) => {
    const node = nodes[name] as Node;
    return {
      onEdit: (_sender, _seq, edit) => node.edits.push(edit),
      onCommit: (sender, seq, commit) => node.commits.push({ sender, seq, commit }),
      onAsk: (asker, versions) => {
        node.asked.push({ asker, versions });
        return node.reply;
      },
      onAnswer: (from, answer) => node.answers.push({ from, answer }),
      onRefused: (refusal) => node.refused.push(refusal),
      ...extra[name],
    };
  });
  for (const [name, transport] of transports) (nodes[name] as Node).transport = transport;
  return nodes;
}

async function inject(target: Node, frame: Buffer): Promise<void> {
  await injectDatagram(target.transport, frame);
}

/** sniff records every datagram a transport sends, as anyone on the management network could. */
function sniffer(seen: SemMessage[]): Partial<SemTransportOptions> {
  return {
    faults: {
      dropOutgoing: (_peer, message) => {
        seen.push(message);
        return false;
      },
    },
  };
}

describe('whole commits on the SEM transport', () => {
  it('delivers a stamped commit to every other server as one commit with the same edits, stamp and version vector', async () => {
    const { Mail, FTP, Web1 } = await ring(['Mail', 'FTP', 'Web1']);

    Mail!.transport.sendCommit(stampedCommit(1));

    for (const peer of [FTP!, Web1!]) {
      await expect.poll(() => peer.commits.length).toBe(1);
      expect(peer.commits[0]).toEqual({ sender: 'Mail', seq: 1, commit: stampedCommit(1) });
      expect(peer.edits).toEqual([]);
    }
  });

  it('resends a lost commit and delivers the commits in their order', async () => {
    let dropped = false;
    const { Mail, FTP } = await ring(['Mail', 'FTP'], {
      Mail: { faults: { dropOutgoing: (_peer, m) => (m.t === 'commit' && m.seq === 1 && !dropped ? (dropped = true) : false) } },
    });

    Mail!.transport.sendCommit(stampedCommit(1));
    Mail!.transport.sendCommit(stampedCommit(2));

    await expect.poll(() => FTP!.commits.length).toBe(2);
    expect(dropped).toBe(true);
    expect(FTP!.commits.map((c) => c.commit.stamp.seq)).toEqual([1, 2]);
  });

  it('refuses a replayed commit and a signed commit whose edit is not a Diff.dat record, without stalling the stream', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP']);
    const epoch = Mail!.transport.epoch;
    const good: Extract<SemMessage, { t: 'commit' }> = { t: 'commit', from: 'Mail', epoch, seq: 2, body: ['problem.file, Add, FTPb FTP Web2'], stamp: { epoch: 9, seq: 2 }, versions: {} };

    await inject(FTP!, encodeFrame({ ...good, seq: 1, body: ['operation.file, Add, Mail FTP FTP.dat'] }, KEY));
    await inject(FTP!, encodeFrame(good, KEY));
    await expect.poll(() => FTP!.commits.length).toBe(1);
    await inject(FTP!, encodeFrame(good, KEY));

    await expect.poll(() => FTP!.refused.length).toBe(2);
    expect(FTP!.refused.map((r) => r.reason)).toEqual(['bad-record', 'replay']);
    expect(FTP!.commits[0]?.commit).toEqual({ edits: [problem], stamp: { epoch: 9, seq: 2 }, versions: {} });
  });

  it('refuses to number a commit too large for a datagram', async () => {
    const { Mail } = await ring(['Mail', 'FTP']);
    const huge: SemCommit = { ...stampedCommit(1), edits: Array.from({ length: 200 }, (_, i) => ({ file: 'problem.file', op: 'Add', line: `V${i}${'x'.repeat(150)} FTP Web2` })) };

    expect(() => Mail!.transport.sendCommit(huge)).toThrow(RangeError);
    expect(Mail!.transport.sendCommit(stampedCommit(1))).toBe(1);
  });
});

describe('resync questions between two transports', () => {
  it('answers an ask with the program\'s answer, records and snapshot, delivered parsed to the asker', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP']);
    const files = initialFiles(RING, 1_700_000_000);
    FTP!.reply = { records: [record(2), record(3)], snapshot: null };

    Mail!.transport.ask('FTP', { FTP: { epoch: 42, seq: 1 } });
    await expect.poll(() => Mail!.answers.length).toBe(1);
    FTP!.reply = { records: [], snapshot: { files, versions: { FTP: { epoch: 42, seq: 600 } } } };
    Mail!.transport.ask('FTP', {});

    await expect.poll(() => Mail!.answers.length).toBe(2);
    expect(FTP!.asked).toEqual([{ asker: 'Mail', versions: { FTP: { epoch: 42, seq: 1 } } }, { asker: 'Mail', versions: {} }]);
    expect(Mail!.answers).toEqual([
      { from: 'FTP', answer: { records: [record(2), record(3)], snapshot: null } },
      { from: 'FTP', answer: { records: [], snapshot: { files, versions: { FTP: { epoch: 42, seq: 600 } } } } },
    ]);
    expect([...Mail!.refused, ...FTP!.refused]).toEqual([]);
  });

  it('carries the Lamport time of each record and the line times of a snapshot to the asker, and refuses a snapshot whose line time names no valid line', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP']);
    const files = initialFiles(RING, 1_700_000_000);
    const timed: SemRecord = { ...record(2), stamp: { epoch: 42, seq: 2, lt: 17 } };
    const lines = [{ file: 'separation.file' as const, line: '2 FTP FTP.dat', lt: 16, sender: 'Web1' }];
    FTP!.reply = { records: [timed], snapshot: null };
    Mail!.transport.ask('FTP', { FTP: { epoch: 42, seq: 1 } });
    await expect.poll(() => Mail!.answers.length).toBe(1);
    FTP!.reply = { records: [], snapshot: { files, versions: { FTP: { epoch: 42, seq: 600, lt: 17 } }, lines } };
    Mail!.transport.ask('FTP', {});
    await expect.poll(() => Mail!.answers.length).toBe(2);

    expect(Mail!.answers.map((a) => a.answer)).toEqual([
      { records: [timed], snapshot: null },
      { records: [], snapshot: { files, versions: { FTP: { epoch: 42, seq: 600, lt: 17 } }, lines } },
    ]);

    FTP!.reply = { records: [], snapshot: { files, versions: {}, lines: [{ file: 'separation.file', line: '2 FTP;reboot FTP.dat', lt: 1, sender: 'Web1' }] } };
    Mail!.transport.ask('FTP', {});
    await expect.poll(() => Mail!.refused.length).toBeGreaterThan(0);
    expect(Mail!.answers).toHaveLength(2);
  });

  it('sends a long answer in parts, each delivered once, which together hold every record in order', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP']);
    const records = Array.from({ length: 300 }, (_, i) => record(i + 2));
    FTP!.reply = { records, snapshot: null };

    Mail!.transport.ask('FTP', {});

    await expect.poll(() => Mail!.answers.flatMap((a) => a.answer.records).length).toBe(300);
    expect(Mail!.answers.length).toBeGreaterThan(2);
    expect(Mail!.answers.flatMap((a) => a.answer.records)).toEqual(records);
  });

  it('sends nothing back when the program has no answer (it does not run)', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP']);
    FTP!.reply = null;

    Mail!.transport.ask('FTP', {});

    await expect.poll(() => FTP!.asked.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Mail!.answers).toEqual([]);
  });

  it('refuses a replayed ask and a replayed answer part, and an answer nobody asked for', async () => {
    const seen: SemMessage[] = [];
    const { Mail, FTP } = await ring(['Mail', 'FTP'], { Mail: sniffer(seen), FTP: sniffer(seen) });
    FTP!.reply = { records: [record(2)], snapshot: null };
    Mail!.transport.ask('FTP', {});
    await expect.poll(() => Mail!.answers.length).toBe(1);
    const ask = seen.find((m) => m.t === 'ask')!;
    const answer = seen.find((m) => m.t === 'answer')!;

    await inject(FTP!, encodeFrame(ask, KEY));
    await inject(Mail!, encodeFrame(answer, KEY));
    await inject(Mail!, encodeFrame({ ...answer, nonce: 'cd'.repeat(16) } as SemMessage, KEY));

    await expect.poll(() => FTP!.refused.length + Mail!.refused.length).toBe(3);
    expect(FTP!.refused.map((r) => [r.reason, r.from])).toEqual([['replay', 'Mail']]);
    expect(Mail!.refused.map((r) => [r.reason, r.from])).toEqual([['replay', 'FTP'], ['unexpected', 'FTP']]);
    expect(FTP!.asked.length).toBe(1);
    expect(Mail!.answers.length).toBe(1);
  });

  it('refuses an ask sent longer ago than the allowed age, as a recording replayed after a restart would be', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP'], { Mail: { nowMs: () => Date.now() - 60_000 } });

    Mail!.transport.ask('FTP', {});

    await expect.poll(() => FTP!.refused.length).toBe(1);
    expect(FTP!.refused[0]).toMatchObject({ reason: 'stale', from: 'Mail' });
    expect(FTP!.asked).toEqual([]);
  });

  it('refuses an answer from a server other than the one asked', async () => {
    const seen: SemMessage[] = [];
    const { Mail, FTP, Web1 } = await ring(['Mail', 'FTP', 'Web1'], { Mail: sniffer(seen) });
    FTP!.reply = null;
    Mail!.transport.ask('FTP', {});
    await expect.poll(() => FTP!.asked.length).toBe(1);
    const ask = seen.find((m) => m.t === 'ask')!;

    await inject(Mail!, encodeFrame({ t: 'answer', from: 'Web1', to: 'Mail', nonce: ask.t === 'ask' ? ask.nonce : '', part: 1, parts: 1, records: [], snapshot: null }, KEY));

    await expect.poll(() => Mail!.refused.length).toBe(1);
    expect(Mail!.refused[0]).toMatchObject({ reason: 'unexpected', from: 'Web1' });
    expect(Web1!.asked).toEqual([]);
  });

  it('refuses an answer whose records do not parse or name a server outside the ring, using nothing from it', async () => {
    const seen: SemMessage[] = [];
    const { Mail, FTP } = await ring(['Mail', 'FTP'], { Mail: sniffer(seen) });
    FTP!.reply = null;
    Mail!.transport.ask('FTP', {});
    Mail!.transport.ask('FTP', {});
    await expect.poll(() => FTP!.asked.length).toBe(2);
    const [first, second] = seen.filter((m) => m.t === 'ask').map((m) => (m.t === 'ask' ? m.nonce : ''));
    const part = { t: 'answer', from: 'FTP', to: 'Mail', part: 1, parts: 1, snapshot: null } as const;

    await inject(Mail!, encodeFrame({ ...part, nonce: first!, records: [{ sender: 'FTP', stamp: { epoch: 1, seq: 1 }, body: ['problem.file, Add, FTPb;reboot FTP Web2'] }] }, KEY));
    await inject(Mail!, encodeFrame({ ...part, nonce: second!, records: [{ sender: 'Eve', stamp: { epoch: 1, seq: 1 }, body: [] }] }, KEY));

    await expect.poll(() => Mail!.refused.length).toBe(2);
    expect(Mail!.refused.map((r) => r.reason)).toEqual(['bad-record', 'unknown-sender']);
    expect(Mail!.refused[0]?.detail).toMatch(/virtual server: expected a host name/);
    expect(Mail!.answers).toEqual([]);
  });

  it('says so, and sends nothing, when a snapshot is too large for a datagram', async () => {
    const { Mail, FTP } = await ring(['Mail', 'FTP']);
    const big = Array.from({ length: 2000 }, (_, i) => ({ no: i + 1, server: `Server${i + 1}`, dataFile: `Server${i + 1}.dat` }));
    FTP!.reply = { records: [], snapshot: { files: initialFiles(big, 1_700_000_000), versions: {} } };

    Mail!.transport.ask('FTP', {});

    await expect.poll(() => FTP!.refused.length).toBe(1);
    expect(FTP!.refused[0]).toMatchObject({ reason: 'too-large', from: 'Mail' });
    expect(FTP!.refused[0]?.detail).toMatch(/a snapshot of the files/);
    expect(Mail!.answers).toEqual([]);
  });

  it('refuses to ask a server outside the ring or with a malformed vector', async () => {
    const { Mail } = await ring(['Mail', 'FTP']);

    expect(() => Mail!.transport.ask('Eve', {})).toThrow(TypeError);
    expect(() => Mail!.transport.ask('Mail', {})).toThrow(TypeError);
    expect(() => Mail!.transport.ask('FTP', { FTP: { epoch: -1, seq: 0 } })).toThrow(/invalid version vector/);
  });
});

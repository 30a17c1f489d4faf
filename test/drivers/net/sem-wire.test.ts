// The SEM wire format: the paper's edit message as before, and the hardened ring's commit, ask and
// answer messages, each authenticated and checked field by field before anything is used.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { initialFiles } from '../../../src/core/model/management-files.ts';
import type { SemAnswer, SemRecord } from '../../../src/core/program/sem-ledger.ts';
import { splitAnswer } from '../../../src/drivers/net/sem-asks.ts';
import { fromWireAnswer } from '../../../src/drivers/net/sem-payload.ts';
import { ANSWER_PART_BYTES, MAX_DATAGRAM_BYTES, type SemMessage, decodeFrame, encodeFrame } from '../../../src/drivers/net/sem-wire.ts';

const KEY = randomBytes(32);
const NONCE = 'ab'.repeat(16);
const commit: SemMessage = {
  t: 'commit',
  from: 'Mail',
  epoch: 1_700_000_000_000_000,
  seq: 3,
  body: ['heartbeat.file, Mod, Mail 1700000000, Mail 1700000010', 'problem.file, Add, FTPb FTP Web2'],
  stamp: { epoch: 1_700_000_000_500_000, seq: 7 },
  versions: { Mail: { epoch: 1_700_000_000_500_000, seq: 7 }, FTP: { epoch: 1_700_000_000_400_000, seq: 0 } },
};
const record = (seq: number): SemRecord => ({
  sender: 'FTP',
  stamp: { epoch: 5, seq },
  edits: [{ file: 'heartbeat.file', op: 'Mod', oldLine: `FTP ${1_700_000_000 + seq - 1}`, newLine: `FTP ${1_700_000_000 + seq}` }],
  deps: { FTP: { epoch: 5, seq: seq - 1 }, Mail: { epoch: 9, seq: 2 } },
});
const RING = ['Mail', 'FTP', 'Web1'].map((server, i) => ({ no: i + 1, server, dataFile: `${server}.dat` }));

/** tamper re-signs nothing: it changes the JSON of a signed frame and keeps the HMAC. */
function tamper(frame: Buffer, from: string, to: string): Buffer {
  return Buffer.from(frame.toString('utf8').replace(from, to));
}

function decoded(frame: Buffer): SemMessage {
  const d = decodeFrame(frame, KEY);
  if (!d.ok) throw new Error(`refused: ${d.reason} ${d.detail}`);
  return d.message;
}

describe('the SEM wire format', () => {
  it('keeps the paper\'s edit message byte for byte', () => {
    const frame = encodeFrame({ t: 'edit', from: 'Mail', epoch: 1, seq: 2, body: 'group.file, Del, 2 FTP FTP.dat' }, KEY);

    expect(frame.toString('utf8').slice(65)).toBe('{"t":"edit","from":"Mail","epoch":1,"seq":2,"body":"group.file, Del, 2 FTP FTP.dat"}');
  });

  it('carries a whole commit with its stamp and version vector through a round trip', () => {
    expect(decoded(encodeFrame(commit, KEY))).toEqual(commit);
  });

  it('carries an ask and an answer with records and a snapshot through a round trip', () => {
    const ask: SemMessage = { t: 'ask', from: 'Mail', to: 'FTP', nonce: NONCE, sentMs: 1_700_000_000_123, versions: { FTP: { epoch: 5, seq: 1 } } };
    const answer: SemAnswer = { records: [record(2), record(3)], snapshot: { files: initialFiles(RING, 1_700_000_000), versions: { FTP: { epoch: 5, seq: 3 } } } };
    const [part, ...more] = splitAnswer('FTP', 'Mail', NONCE, answer) ?? [];

    expect(decoded(encodeFrame(ask, KEY))).toEqual(ask);
    expect(more).toEqual([]);
    const back = decoded(encodeFrame(part!, KEY));
    if (back.t !== 'answer') throw new Error(back.t);
    expect(back).toMatchObject({ from: 'FTP', to: 'Mail', nonce: NONCE, part: 1, parts: 1 });
    expect(fromWireAnswer(back.records, back.snapshot, 'test')).toEqual(answer);
  });

  it('refuses a commit whose stamp, edits or vector were changed after signing', () => {
    const frame = encodeFrame(commit, KEY);

    for (const [from, to] of [['"seq":7}', '"seq":8}'], ['Web2', 'Web1'], ['"FTP":{', '"Web1":{']]) {
      expect(decodeFrame(tamper(frame, from!, to!), KEY)).toMatchObject({ ok: false, reason: 'bad-hmac' });
    }
  });

  it('refuses an answer signed with another key', () => {
    const [part] = splitAnswer('FTP', 'Mail', NONCE, { records: [record(2)], snapshot: null }) ?? [];

    expect(decodeFrame(encodeFrame(part!, randomBytes(32)), KEY)).toEqual({ ok: false, reason: 'bad-hmac', detail: 'HMAC does not match' });
  });

  it.each<[string, unknown]>([
    ['a negative stamp', { ...commit, stamp: { epoch: 1, seq: -1 } }],
    ['a fractional stamp', { ...commit, stamp: { epoch: 1.5, seq: 1 } }],
    ['a stamp with an extra field', { ...commit, stamp: { epoch: 1, seq: 1, at: 0 } }],
    ['a vector naming a server with shell syntax', { ...commit, versions: { 'FTP;reboot': { epoch: 1, seq: 1 } } }],
    ['a vector as a list', { ...commit, versions: [{ epoch: 1, seq: 1 }] }],
    ['a vector stamp given as text', { ...commit, versions: { FTP: { epoch: '1', seq: 1 } } }],
    ['edits that are not a list of texts', { ...commit, body: 'group.file, Del, 2 FTP FTP.dat' }],
    ['an ask without a nonce', { t: 'ask', from: 'Mail', to: 'FTP', sentMs: 1, versions: {} }],
    ['an ask with a short nonce', { t: 'ask', from: 'Mail', to: 'FTP', nonce: 'abc', sentMs: 1, versions: {} }],
    ['an answer part beyond its parts', { t: 'answer', from: 'FTP', to: 'Mail', nonce: NONCE, part: 3, parts: 2, records: [], snapshot: null }],
    ['an answer record from a name with a space', { t: 'answer', from: 'FTP', to: 'Mail', nonce: NONCE, part: 1, parts: 1, records: [{ sender: 'Web 1', stamp: { epoch: 1, seq: 1 }, body: [] }], snapshot: null }],
    ['an answer snapshot without problem.file', { t: 'answer', from: 'FTP', to: 'Mail', nonce: NONCE, part: 1, parts: 1, records: [], snapshot: { files: { 'group.file': '', 'separation.file': '', 'heartbeat.file': '' }, versions: {} } }],
  ])('refuses a signed message with %s as malformed', (_what, message) => {
    expect(decodeFrame(encodeFrame(message as SemMessage, KEY), KEY)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a snapshot whose file breaks the management file format when it is read', () => {
    const snapshot = { files: { 'group.file': '2 FTP FTP.dat\n1 Mail Mail.dat\n', 'separation.file': '', 'heartbeat.file': '', 'problem.file': '' }, versions: {} };

    expect(() => fromWireAnswer([], snapshot, 'SEM answer from FTP')).toThrow(/SEM answer from FTP group\.file:2: No\.: expected a No\. greater than 2/);
  });

  it('cuts a long answer into datagrams of about ANSWER_PART_BYTES, numbered, that give back every record in order', () => {
    const records = Array.from({ length: 200 }, (_, i) => record(i + 2));

    const parts = splitAnswer('FTP', 'Mail', NONCE, { records, snapshot: null }) ?? [];

    expect(parts.length).toBeGreaterThan(2);
    const back = parts.map((p) => decoded(encodeFrame(p, KEY)));
    for (const [i, m] of back.entries()) {
      expect(m).toMatchObject({ t: 'answer', part: i + 1, parts: parts.length });
      expect(encodeFrame(parts[i]!, KEY).length).toBeLessThanOrEqual(ANSWER_PART_BYTES + 16);
    }
    expect(back.flatMap((m) => (m.t === 'answer' ? fromWireAnswer(m.records, null, 'test').records : []))).toEqual(records);
  });

  it('gives up an answer whose snapshot cannot fit one datagram', () => {
    const ring = Array.from({ length: 2000 }, (_, i) => ({ no: i + 1, server: `Server${i + 1}`, dataFile: `Server${i + 1}.dat` }));

    expect(splitAnswer('FTP', 'Mail', NONCE, { records: [], snapshot: { files: initialFiles(ring, 1_700_000_000), versions: {} } })).toBe(null);
    expect(() => encodeFrame({ ...commit, body: Array.from({ length: 200 }, () => `problem.file, Add, ${'x'.repeat(200)} FTP Web2`) }, KEY)).toThrow(`exceeds ${MAX_DATAGRAM_BYTES}`);
  });
});

// The wire format of the SEM transport (Sec. 3.1) on the management network: one authenticated
// UDP datagram per message (auth-frame.ts), so that nobody on the network can edit another
// server's management files or make a server act on a forged request. The paper's method sends
// one Diff.dat record per `edit` message; the hardened ring (semResync) sends each commit whole as
// one `commit` message with its stamp and version vector, and asks a peer for what it lacks with
// `ask`, answered by one or more `answer` parts (sem-payload.ts holds their shapes).
import { isHostName } from '../../core/model/validate.ts';
import { decodeAuthFrame, encodeAuthFrame } from './auth-frame.ts';
import type { Decoded, FrameDomain } from './auth-frame.ts';
import { checkBody, checkRecord, checkSnapshot, checkStamp, checkVersions } from './sem-payload.ts';
import type { WireRecord, WireSnapshot, WireVersions } from './sem-payload.ts';
import type { SemStamp } from '../../core/program/sem-ledger.ts';

/** SemMessage is what management servers say to each other about SEM edit records. */
export type SemMessage =
  /** edit carries one Diff.dat record, numbered per sender and sender incarnation (epoch). */
  | { t: 'edit'; from: string; epoch: number; seq: number; body: string }
  /**
   * commit carries one commit of the hardened ring whole, numbered like an edit: its Diff.dat
   * records, the core's stamp and the sender's version vector (sem-ledger.ts).
   */
  | { t: 'commit'; from: string; epoch: number; seq: number; body: string[]; stamp: SemStamp; versions: WireVersions }
  /** resend asks `to` for its records fromSeq..toSeq of epoch, after a gap. */
  | { t: 'resend'; from: string; to: string; epoch: number; fromSeq: number; toSeq: number }
  /** gone answers a resend: records fromSeq..toSeq are no longer in the sender's bounded log. */
  | { t: 'gone'; from: string; to: string; epoch: number; fromSeq: number; toSeq: number }
  /** status announces the sender's highest sequence number, so a lost last record is noticed. */
  | { t: 'status'; from: string; epoch: number; highestSeq: number }
  /**
   * ask sends `to` the asker's version vector (requestEdits). nonce is fresh and sentMs the
   * asker's wall clock: an ask too old or seen before is refused, so a recorded one cannot be replayed.
   */
  | { t: 'ask'; from: string; to: string; nonce: string; sentMs: number; versions: WireVersions }
  /** answer is part `part` of `parts` of the answer to the ask with this nonce (semRecords). */
  | { t: 'answer'; from: string; to: string; nonce: string; part: number; parts: number; records: WireRecord[]; snapshot: WireSnapshot | null };

/** SemOrdered is a message numbered in its sender's stream: applied in order, once, resent when lost. */
export type SemOrdered = Extract<SemMessage, { t: 'edit' | 'commit' }>;

/**
 * MAX_DATAGRAM_BYTES bounds a message. A Diff.dat record is one short line and a commit a few; the
 * largest message is an answer holding a snapshot of the whole files (about 150 bytes per server
 * with its version vector entry), which IP fragments on the management network like any large datagram.
 */
export const MAX_DATAGRAM_BYTES = 32_768;

/** ANSWER_PART_BYTES is the size an answer's records are packed to; only a snapshot uses more. */
export const ANSWER_PART_BYTES = 8192;

/** MAX_ANSWER_PARTS bounds how many parts one answer may have (512 records per sender, sem-ledger.ts). */
export const MAX_ANSWER_PARTS = 1024;

/** SEM_FRAMES is the SEM transport's frame domain. */
const SEM_FRAMES: FrameDomain<SemMessage> = { name: 'dbss-sem-v1', maxBytes: MAX_DATAGRAM_BYTES, check: checkShape };

/** encodeFrame serialises and authenticates a message. */
export function encodeFrame(message: SemMessage, key: Buffer): Buffer {
  return encodeAuthFrame(SEM_FRAMES, message, key);
}

/** decodeFrame verifies a datagram and the shape of every field (auth-frame.ts). */
export function decodeFrame(frame: Buffer, key: Buffer): Decoded<SemMessage> {
  return decodeAuthFrame(SEM_FRAMES, frame, key);
}

const isName = (x: unknown): x is string => typeof x === 'string' && isHostName(x);
const isCounter = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
const isNonce = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{32}$/.test(x);

function checkShape(v: unknown): SemMessage | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isName(o.from)) return null;
  switch (o.t) {
    case 'ask':
    case 'answer':
      return checkQuestion(o, o.from);
  }
  if (!isCounter(o.epoch)) return null;
  switch (o.t) {
    case 'edit':
      if (!isCounter(o.seq) || typeof o.body !== 'string' || o.body.length > 4096) return null;
      return { t: 'edit', from: o.from, epoch: o.epoch, seq: o.seq, body: o.body };
    case 'commit': {
      const body = checkBody(o.body);
      const stamp = checkStamp(o.stamp);
      const versions = checkVersions(o.versions);
      if (!isCounter(o.seq) || body === null || stamp === null || versions === null) return null;
      return { t: 'commit', from: o.from, epoch: o.epoch, seq: o.seq, body, stamp, versions };
    }
    case 'resend':
    case 'gone':
      if (!isName(o.to) || !isCounter(o.fromSeq) || !isCounter(o.toSeq) || o.toSeq < o.fromSeq) return null;
      return { t: o.t, from: o.from, to: o.to, epoch: o.epoch, fromSeq: o.fromSeq, toSeq: o.toSeq };
    case 'status':
      if (typeof o.highestSeq !== 'number' || !Number.isSafeInteger(o.highestSeq) || o.highestSeq < 0) return null;
      return { t: 'status', from: o.from, epoch: o.epoch, highestSeq: o.highestSeq };
    default:
      return null;
  }
}

function checkQuestion(o: Record<string, unknown>, from: string): SemMessage | null {
  if (!isName(o.to) || !isNonce(o.nonce)) return null;
  if (o.t === 'ask') {
    const versions = checkVersions(o.versions);
    if (typeof o.sentMs !== 'number' || !Number.isFinite(o.sentMs) || versions === null) return null;
    return { t: 'ask', from, to: o.to, nonce: o.nonce, sentMs: o.sentMs, versions };
  }
  if (!isCounter(o.part) || !isCounter(o.parts) || o.part > o.parts || o.parts > MAX_ANSWER_PARTS || !Array.isArray(o.records)) return null;
  const records: WireRecord[] = [];
  for (const r of o.records) {
    const record = checkRecord(r);
    if (record === null) return null;
    records.push(record);
  }
  const snapshot = o.snapshot === null ? null : checkSnapshot(o.snapshot);
  if (snapshot === null && o.snapshot !== null) return null;
  return { t: 'answer', from, to: o.to, nonce: o.nonce, part: o.part, parts: o.parts, records, snapshot };
}

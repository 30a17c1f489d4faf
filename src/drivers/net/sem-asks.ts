// The hardened ring's resync questions on the management network (requestEdits, semRecords), as
// pure logic: which answers an asker takes (only parts of an answer to an ask it sent, each once)
// and how an answer is cut into datagrams. Like the load requests (load-rpc.ts), an ask carries a
// fresh random nonce and its send time, and the answering side admits each once while it is
// recent (nonce-window.ts, saved across restarts by the transport), so a recorded ask or answer
// is refused, also after either server restarts (a new incarnation never issued the old nonce).
import { randomBytes } from 'node:crypto';
import type { SemAnswer } from '../../core/program/sem-ledger.ts';
import { toWireRecord, toWireSnapshot } from './sem-payload.ts';
import type { WireRecord } from './sem-payload.ts';
import { ANSWER_PART_BYTES, MAX_ANSWER_PARTS, MAX_DATAGRAM_BYTES } from './sem-wire.ts';
import type { SemMessage } from './sem-wire.ts';

/** MAX_OUTSTANDING bounds the asks remembered (the core asks a peer at most once per poll interval). */
const MAX_OUTSTANDING = 256;

/** AskBook is the asker's side: the asks under way, and the parts of their answers already taken. */
export class AskBook {
  private readonly outstanding = new Map<string, { peer: string; atMs: number; parts: Set<number> }>();

  constructor(
    /** waitMs is how long an answer is awaited; the core asks again later if it needs to. */
    private readonly waitMs: number,
  ) {}

  /** issue makes the nonce of a new ask to peer. */
  issue(peer: string, nowMs: number): string {
    this.expire(nowMs);
    const nonce = randomBytes(16).toString('hex');
    this.outstanding.set(nonce, { peer, atMs: nowMs, parts: new Set() });
    for (const old of this.outstanding.keys()) {
      if (this.outstanding.size <= MAX_OUTSTANDING) break;
      this.outstanding.delete(old);
    }
    return nonce;
  }

  /**
   * take tells whether part `part` of an answer from `from` is to be used: it must answer an ask
   * sent to that very server within waitMs, and each part is taken once. Taken, it is the time
   * the ask was sent (the program counts only an answer to a recent question: heartbeat-trust.ts).
   */
  take(from: string, nonce: string, part: number, nowMs: number): { askedMs: number } | 'unexpected' | 'replay' {
    this.expire(nowMs);
    const ask = this.outstanding.get(nonce);
    if (ask === undefined || ask.peer !== from) return 'unexpected';
    if (ask.parts.has(part)) return 'replay';
    ask.parts.add(part);
    return { askedMs: ask.atMs };
  }

  private expire(nowMs: number): void {
    for (const [nonce, ask] of this.outstanding) if (nowMs - ask.atMs > this.waitMs) this.outstanding.delete(nonce);
  }
}

/** HMAC_BYTES is the frame's `<hex HMAC> ` prefix (auth-frame.ts). */
const HMAC_BYTES = 65;

/**
 * splitAnswer cuts an answer into datagrams: the records in order, packed up to ANSWER_PART_BYTES
 * each (each part is applied on its own: the ledger holds a record that comes early), and a
 * snapshot whole in the first part, since the asker adopts it at once. It returns null when a
 * snapshot or a single record does not fit MAX_DATAGRAM_BYTES, or there would be too many parts:
 * the caller refuses to answer and says so.
 */
export function splitAnswer(from: string, to: string, nonce: string, answer: SemAnswer): SemMessage[] | null {
  const snapshot = answer.snapshot === null ? null : toWireSnapshot(answer.snapshot);
  const records = answer.records.map(toWireRecord);
  const header = (part: number, parts: number, rs: WireRecord[], withSnapshot: boolean): SemMessage => ({
    t: 'answer',
    from,
    to,
    nonce,
    part,
    parts,
    records: rs,
    snapshot: withSnapshot ? snapshot : null,
  });
  // Part numbers are written last; room is left for the largest ones.
  const bytesOf = (m: SemMessage): number => HMAC_BYTES + Buffer.byteLength(JSON.stringify(m)) + 2 * String(MAX_ANSWER_PARTS).length;
  const groups: WireRecord[][] = [[]];
  let size = bytesOf(header(1, 1, [], snapshot !== null));
  if (size > MAX_DATAGRAM_BYTES) return null;
  for (const record of records) {
    const recordBytes = Buffer.byteLength(JSON.stringify(record)) + 1;
    const current = groups[groups.length - 1] as WireRecord[];
    if (current.length > 0 && size + recordBytes > ANSWER_PART_BYTES) {
      groups.push([record]);
      size = bytesOf(header(1, 1, [], false)) + recordBytes;
    } else {
      current.push(record);
      size += recordBytes;
    }
    if (size > MAX_DATAGRAM_BYTES) return null;
  }
  if (groups.length > MAX_ANSWER_PARTS) return null;
  return groups.map((rs, i) => header(i + 1, groups.length, rs, i === 0 && snapshot !== null));
}

// The wire format of the SEM transport (Sec. 3.1) on the management network: one UDP datagram
// per message, `<hex HMAC-SHA256> <JSON>`. The HMAC, with a key shared by the management
// servers, is checked before the JSON is even parsed, so that nobody on the network can edit
// another server's management files or make a server act on a forged request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isHostName } from '../../core/model/validate.ts';

/** SemMessage is what management servers say to each other about SEM edit records. */
export type SemMessage =
  /** edit carries one Diff.dat record, numbered per sender and sender incarnation (epoch). */
  | { t: 'edit'; from: string; epoch: number; seq: number; body: string }
  /** resend asks `to` for its records fromSeq..toSeq of epoch, after a gap. */
  | { t: 'resend'; from: string; to: string; epoch: number; fromSeq: number; toSeq: number }
  /** gone answers a resend: records fromSeq..toSeq are no longer in the sender's bounded log. */
  | { t: 'gone'; from: string; to: string; epoch: number; fromSeq: number; toSeq: number }
  /** status announces the sender's highest sequence number, so a lost last record is noticed. */
  | { t: 'status'; from: string; epoch: number; highestSeq: number };

/** MAX_DATAGRAM_BYTES bounds a message; a Diff.dat record is one short line. */
export const MAX_DATAGRAM_BYTES = 8192;
/** MIN_KEY_BYTES is the shortest shared key accepted: 256 bits, the size of the HMAC-SHA256 output. */
export const MIN_KEY_BYTES = 32;

/** encodeFrame serialises and authenticates a message. */
export function encodeFrame(message: SemMessage, key: Buffer): Buffer {
  assertKey(key);
  const json = JSON.stringify(message);
  const mac = createHmac('sha256', key).update(json).digest('hex');
  const frame = Buffer.from(`${mac} ${json}`, 'utf8');
  if (frame.length > MAX_DATAGRAM_BYTES) throw new RangeError(`SEM message of ${frame.length} bytes exceeds ${MAX_DATAGRAM_BYTES}`);
  return frame;
}

/** DecodeResult is a verified, well-formed message, or why a datagram was refused. */
export type DecodeResult = { ok: true; message: SemMessage } | { ok: false; reason: 'bad-hmac' | 'malformed'; detail: string };

/**
 * decodeFrame checks the HMAC in constant time, then the shape of every field. A frame that
 * fails either is refused as a whole; nothing from it is used.
 */
export function decodeFrame(frame: Buffer, key: Buffer): DecodeResult {
  assertKey(key);
  if (frame.length > MAX_DATAGRAM_BYTES) return { ok: false, reason: 'malformed', detail: `${frame.length} bytes is too long` };
  const text = frame.toString('utf8');
  const space = text.indexOf(' ');
  const macHex = text.slice(0, space);
  if (space !== 64 || !/^[0-9a-f]{64}$/.test(macHex)) return { ok: false, reason: 'bad-hmac', detail: 'no HMAC' };
  const json = text.slice(space + 1);
  const expected = createHmac('sha256', key).update(json).digest();
  if (!timingSafeEqual(Buffer.from(macHex, 'hex'), expected)) return { ok: false, reason: 'bad-hmac', detail: 'HMAC does not match' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON' };
  }
  const message = checkShape(value);
  return message === null ? { ok: false, reason: 'malformed', detail: json.slice(0, 200) } : { ok: true, message };
}

function checkShape(v: unknown): SemMessage | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const name = (x: unknown): x is string => typeof x === 'string' && isHostName(x);
  const counter = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
  if (!name(o.from) || !counter(o.epoch)) return null;
  switch (o.t) {
    case 'edit':
      if (!counter(o.seq) || typeof o.body !== 'string' || o.body.length > 4096) return null;
      return { t: 'edit', from: o.from, epoch: o.epoch, seq: o.seq, body: o.body };
    case 'resend':
    case 'gone':
      if (!name(o.to) || !counter(o.fromSeq) || !counter(o.toSeq) || o.toSeq < o.fromSeq) return null;
      return { t: o.t, from: o.from, to: o.to, epoch: o.epoch, fromSeq: o.fromSeq, toSeq: o.toSeq };
    case 'status':
      if (typeof o.highestSeq !== 'number' || !Number.isSafeInteger(o.highestSeq) || o.highestSeq < 0) return null;
      return { t: 'status', from: o.from, epoch: o.epoch, highestSeq: o.highestSeq };
    default:
      return null;
  }
}

function assertKey(key: Buffer): void {
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`the SEM key must be at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
}

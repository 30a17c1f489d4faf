// The wire format of the SEM transport (Sec. 3.1) on the management network: one authenticated
// UDP datagram per message (auth-frame.ts), so that nobody on the network can edit another
// server's management files or make a server act on a forged request.
import { isHostName } from '../../core/model/validate.ts';
import { decodeAuthFrame, encodeAuthFrame } from './auth-frame.ts';
import type { Decoded, FrameDomain } from './auth-frame.ts';

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

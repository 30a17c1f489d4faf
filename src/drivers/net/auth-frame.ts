// One authenticated datagram on the management network: `<hex HMAC-SHA256> <JSON>`. The HMAC,
// keyed with the secret the management servers share, covers a protocol's domain string and the
// JSON; it is checked, in constant time, before the JSON is even parsed, so nobody on the network
// can make a server act on a forged datagram. The domain keeps one protocol's frames from passing
// for another's: a load request can never be read as a SEM record. Both the SEM transport
// (sem-wire.ts) and the load requests (load-rpc.ts) use it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** MIN_KEY_BYTES is the shortest shared key accepted: 256 bits, the size of the HMAC-SHA256 output. */
export const MIN_KEY_BYTES = 32;

/** FrameDomain describes one protocol's frames: its domain string, its size bound and the shape of its messages. */
export interface FrameDomain<T> {
  /** name is mixed into the HMAC, e.g. "dbss-sem-v1". */
  name: string;
  maxBytes: number;
  /** check returns the message when the value has the protocol's shape, else null. */
  check(value: unknown): T | null;
}

/** Decoded is a verified, well-formed message, or why a datagram was refused. */
export type Decoded<T> = { ok: true; message: T } | { ok: false; reason: 'bad-hmac' | 'malformed'; detail: string };

/** encodeAuthFrame serialises and authenticates a message of a domain. */
export function encodeAuthFrame<T>(domain: FrameDomain<T>, message: T, key: Buffer): Buffer {
  assertKey(key);
  const json = JSON.stringify(message);
  const frame = Buffer.from(`${mac(domain, json, key).toString('hex')} ${json}`, 'utf8');
  if (frame.length > domain.maxBytes) throw new RangeError(`${domain.name} message of ${frame.length} bytes exceeds ${domain.maxBytes}`);
  return frame;
}

/**
 * decodeAuthFrame checks the size, the HMAC in constant time, then the JSON and the shape of every
 * field. A frame that fails any is refused as a whole; nothing from it is used.
 */
export function decodeAuthFrame<T>(domain: FrameDomain<T>, frame: Buffer, key: Buffer): Decoded<T> {
  assertKey(key);
  if (frame.length > domain.maxBytes) return { ok: false, reason: 'malformed', detail: `${frame.length} bytes is too long` };
  const text = frame.toString('utf8');
  const space = text.indexOf(' ');
  const macHex = text.slice(0, space);
  if (space !== 64 || !/^[0-9a-f]{64}$/.test(macHex)) return { ok: false, reason: 'bad-hmac', detail: 'no HMAC' };
  const json = text.slice(space + 1);
  if (!timingSafeEqual(Buffer.from(macHex, 'hex'), mac(domain, json, key))) return { ok: false, reason: 'bad-hmac', detail: 'HMAC does not match' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON' };
  }
  const message = domain.check(value);
  return message === null ? { ok: false, reason: 'malformed', detail: json.slice(0, 200) } : { ok: true, message };
}

function mac<T>(domain: FrameDomain<T>, json: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(`${domain.name}\n`).update(json).digest();
}

function assertKey(key: Buffer): void {
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`the shared key must be at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
}

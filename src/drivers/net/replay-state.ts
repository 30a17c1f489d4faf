// What the receivers of the management network save against replays (write-ahead.ts), and the
// checks a saved copy must pass before it is believed: for SEM, each sender's incarnation (epoch)
// and the next sequence number to apply (sem-inbox.ts), and the resync asks answered; for the
// load requests, the requests answered (nonce-window.ts).
import { isHostName } from '../../core/model/validate.ts';
import { MAX_NONCES, type NonceEntry } from './nonce-window.ts';

/** MAX_SENDERS bounds the senders a saved SEM window names (one per management server at most). */
const MAX_SENDERS = 16_384;

/** SemWindow is the SEM receiver's state: per sender, [epoch, next sequence number], and the asks answered. */
export interface SemWindow {
  senders: Record<string, readonly [epoch: number, nextSeq: number]>;
  asks: NonceEntry[];
}

/** LoadWindow is the load requests' state: the requests answered. */
export interface LoadWindow {
  requests: NonceEntry[];
}

/** Checked is a saved value that passed its checks, or the field that did not and what it should be. */
export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; expected: string };

const COUNT = 'a whole number from 1 to 2^53';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;

/** checkSemWindow checks a saved SemWindow read back from JSON. */
export function checkSemWindow(v: unknown): Checked<SemWindow> {
  if (!isRecord(v) || !isRecord(v.senders)) return { ok: false, field: 'senders', expected: 'a mapping of server names to [epoch, next sequence number]' };
  const names = Object.keys(v.senders);
  if (names.length > MAX_SENDERS) return { ok: false, field: 'senders', expected: `at most ${MAX_SENDERS} servers` };
  const senders: Record<string, readonly [number, number]> = {};
  for (const name of names) {
    const position = v.senders[name];
    if (!isHostName(name)) return { ok: false, field: 'senders', expected: 'server names (letters, digits, hyphen)' };
    if (!Array.isArray(position) || position.length !== 2 || !isCount(position[0]) || !isCount(position[1])) {
      return { ok: false, field: `senders.${name}`, expected: `[epoch, next sequence number], each ${COUNT}` };
    }
    senders[name] = [position[0], position[1]];
  }
  const asks = checkNonces(v.asks);
  return asks === null ? { ok: false, field: 'asks', expected: NONCES } : { ok: true, value: { senders, asks } };
}

/** checkLoadWindow checks a saved LoadWindow read back from JSON. */
export function checkLoadWindow(v: unknown): Checked<LoadWindow> {
  const requests = isRecord(v) ? checkNonces(v.requests) : null;
  return requests === null ? { ok: false, field: 'requests', expected: NONCES } : { ok: true, value: { requests } };
}

const NONCES = `a list of at most ${MAX_NONCES} [nonce, time in ms] pairs`;

function checkNonces(v: unknown): NonceEntry[] | null {
  if (!Array.isArray(v) || v.length > MAX_NONCES) return null;
  const entries: NonceEntry[] = [];
  for (const e of v) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || e[0].length > 200 || !isCount(e[1])) return null;
    entries.push([e[0], e[1]]);
  }
  return entries;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

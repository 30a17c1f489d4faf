// Small parsers for command-line option values, each failing with a one-line UsageError.
import { isMethod } from '../core/method.ts';
import type { Method } from '../core/method.ts';
import { UsageError } from './usage-error.ts';

/** parseIntOption reads a whole number not below min. */
export function parseIntOption(name: string, text: string, min: number): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${name}: expected a whole number, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name}: expected a whole number >= ${min}, got ${text}`);
  return n;
}

/** parseMethodOption reads a method name: ring or p2p. */
export function parseMethodOption(name: string, text: string): Method {
  if (isMethod(text)) return text;
  throw new UsageError(`${name}: expected ring or p2p, got ${JSON.stringify(text)}`);
}

// Small parsers for command-line option values, each failing with a one-line UsageError.
import { isMethod } from '../core/method.ts';
import { HARDENINGS, isHardening } from '../core/program/hardening.ts';
import type { Hardening } from '../core/program/hardening.ts';
import type { Method } from '../core/method.ts';
import { UsageError } from './usage-error.ts';

/** parseIntOption reads a whole number from min to max (limits.ts names the limits). */
export function parseIntOption(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${name}: expected a whole number ${range}, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name}: expected a whole number ${range}, got ${text.trim()}`);
  return n;
}

/** listOption splits a comma-separated option value, each item once: a repeated item would run its work twice. */
export function listOption(name: string, text: string): string[] {
  const items = text.split(',').map((t) => t.trim());
  const twice = items.find((item, i) => items.indexOf(item) !== i);
  if (twice !== undefined) throw new UsageError(`${name}: expected each item once, got ${JSON.stringify(twice)} twice in ${JSON.stringify(text)}`);
  return items;
}

/** parseMethodOption reads a method name: ring or p2p. */
export function parseMethodOption(name: string, text: string): Method {
  if (isMethod(text)) return text;
  throw new UsageError(`${name}: expected ring or p2p, got ${JSON.stringify(text)}`);
}

/** parseHardeningOption reads `all`, `none` or a comma-separated list of extensions of the hardened ring. */
export function parseHardeningOption(name: string, text: string): Hardening[] {
  if (text === 'all') return [...HARDENINGS];
  if (text === 'none') return [];
  const names = listOption(name, text);
  const unknown = names.find((n) => !isHardening(n));
  if (unknown !== undefined) throw new UsageError(`${name}: expected all, none or a comma-separated list of ${HARDENINGS.join(', ')}, got ${JSON.stringify(unknown)}`);
  return HARDENINGS.filter((h) => names.includes(h));
}

/** hardeningOf resolves --hardened and --hardening (which may not both be given) to a list, or undefined when neither is. */
export function hardeningOf(hardened: boolean, hardening: string | undefined): Hardening[] | undefined {
  if (hardened && hardening !== undefined) throw new UsageError('--hardened and --hardening: give one of them (--hardened is --hardening all)');
  if (hardened) return [...HARDENINGS];
  return hardening === undefined ? undefined : parseHardeningOption('--hardening', hardening);
}

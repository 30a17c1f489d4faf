// Reading command results. Each command kind has the results the world may give it (commands.ts);
// a result of another kind is a bug of the world, and asserted here rather than read as a failure.
import { assert, ProtocolAssertionError } from './assert.ts';
import type { CommandResult, LoadReport } from './commands.ts';

/**
 * What names the reader of a result in an assertion's message: a string, or a function that makes
 * it, so a caller whose name is built from its state builds it only when the assertion fails (a
 * DBSS reads two results a tick, and a large ring's strings would be most of what it allocates).
 */
export type What = string | (() => string);

function named(what: What): string {
  return typeof what === 'string' ? what : what();
}

/** okOf reads the result of a command that succeeds or fails (every command but the load ones). */
export function okOf(result: CommandResult, what: What): boolean {
  if (result.kind !== 'done') throw new ProtocolAssertionError(`${named(what)}: expected a done result, got ${JSON.stringify(result)}`);
  return result.ok;
}

/** loadsOf reads collectLoads' result (A3 of Fig. 12): the reports, or null when the collection failed. */
export function loadsOf(result: CommandResult, what: What): readonly LoadReport[] | null {
  if (result.kind === 'loads') return result.reports;
  assert(result.kind === 'done' && !result.ok, () => `${named(what)}: expected the collected loads or a failure, got ${JSON.stringify(result)}`);
  return null;
}

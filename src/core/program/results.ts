// Reading command results. Each command kind has the results the world may give it (commands.ts);
// a result of another kind is a bug of the world, and asserted here rather than read as a failure.
import { assert } from './assert.ts';
import type { CommandResult, LoadReport } from './commands.ts';

/** okOf reads the result of a command that succeeds or fails (every command but the load ones). */
export function okOf(result: CommandResult, what: string): boolean {
  assert(result.kind === 'done', () => `${what}: expected a done result, got ${JSON.stringify(result)}`);
  return result.ok;
}

/** loadsOf reads collectLoads' result (A3 of Fig. 12): the reports, or null when the collection failed. */
export function loadsOf(result: CommandResult, what: string): readonly LoadReport[] | null {
  if (result.kind === 'loads') return result.reports;
  assert(result.kind === 'done' && !result.ok, () => `${what}: expected the collected loads or a failure, got ${JSON.stringify(result)}`);
  return null;
}

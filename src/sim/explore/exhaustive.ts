// exhaustive runs every combination of up to k failed servers, each with St or Nt, at the
// paper's timing (the middle of the monitoring interval, 5 s after the first tick, Sec. 5.3),
// and counts what it covered and what broke.
import { secondsToUs } from '../../core/model/time.ts';
import type { Violation } from '../checkers/index.ts';
import type { Fault } from '../world/faults.ts';
import { violationsOf } from './property.ts';
import type { ExploreSetup } from './property.ts';

export const PAPER_FAULT_AT_US = secondsToUs(5);

export interface CoverageRow {
  failedServers: number;
  combinations: number;
  runs: number;
  runsWithViolations: number;
}

export interface ExhaustiveCase {
  faults: Fault[];
  violations: Violation[];
}

/** combinations lists every k-subset of items, in lexicographic order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([item, ...rest]);
  });
  return out;
}

/** faultChoices lists every assignment of St or Nt to the servers of one combination. */
function faultChoices(servers: readonly string[]): Fault[][] {
  return servers.reduce<Fault[][]>(
    (acc, server) => acc.flatMap((faults) => (['St', 'Nt'] as const).map((type) => [...faults, { server, type, atUs: PAPER_FAULT_AT_US }])),
    [[]],
  );
}

export function exhaustive(setup: ExploreSetup, servers: readonly string[], maxFailed: number, onCase?: (c: ExhaustiveCase) => void): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (let k = 1; k <= Math.min(maxFailed, servers.length); k++) {
    const row: CoverageRow = { failedServers: k, combinations: 0, runs: 0, runsWithViolations: 0 };
    for (const combo of combinations(servers, k)) {
      row.combinations++;
      for (const faults of faultChoices(combo)) {
        const violations = violationsOf(setup, faults);
        row.runs++;
        if (violations.length > 0) row.runsWithViolations++;
        onCase?.({ faults, violations });
      }
    }
    rows.push(row);
  }
  return rows;
}

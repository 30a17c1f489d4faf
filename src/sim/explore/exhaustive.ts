// exhaustive runs every combination of up to k failed servers and counts what it covered and what
// broke. With the paper's faults each server of a combination gets St or Nt (every assignment) at
// the paper's timing, the middle of the monitoring interval (5 s after the first tick, Sec. 5.3).
// With every fault type (COVERAGE_SHAPES) a combination also gets each other fault shape on all of
// its servers at once, and every case runs at each of several offsets within the interval, since
// where a fault falls against the ticks and the internal checks decides which races happen.
import { secondsToUs } from '../../core/model/time.ts';
import type { Violation } from '../checkers/index.ts';
import type { Fault } from '../world/faults.ts';
import { violationsOf } from './property.ts';
import type { ExploreSetup } from './property.ts';

export const PAPER_FAULT_AT_US = secondsToUs(5);

/** COVERAGE_OFFSETS_US are the fault times of the full coverage: a quarter interval apart, from the tick on. */
export const COVERAGE_OFFSETS_US: readonly number[] = [0, 2.5, 5, 7.5].map(secondsToUs);

/** FaultShape is a fault without its server and time. */
export type FaultShape = Omit<Fault, 'server' | 'atUs'>;

/**
 * COVERAGE_SHAPES are the fault shapes besides St and Nt: each window fault short (missing one
 * interval's records, or shorter than the examinations) and long (beyond the restart and start
 * waits, so the job gives up), a clock ahead by half an interval and one behind by more than
 * chrony's tolerance, and a host without room for a virtual server. Repair is left out: it
 * mends a failure and fails nothing by itself.
 */
export const COVERAGE_SHAPES: readonly FaultShape[] = [
  { type: 'SemLoss', durationUs: secondsToUs(15) },
  { type: 'SemLoss', durationUs: secondsToUs(120) },
  { type: 'SemDelay', durationUs: secondsToUs(30), delayUs: secondsToUs(6) },
  { type: 'ServicePartition', durationUs: secondsToUs(6) },
  { type: 'ServicePartition', durationUs: secondsToUs(120) },
  { type: 'ManagementPartition', durationUs: secondsToUs(20) },
  { type: 'ManagementPartition', durationUs: secondsToUs(120) },
  { type: 'ClockOff', offsetUs: secondsToUs(5.2) },
  { type: 'ClockOff', offsetUs: secondsToUs(-1.5) },
  { type: 'NoCapacity' },
];

export interface CoverageOptions {
  /** shapes: 'paper' for St and Nt only, 'all' for COVERAGE_SHAPES as well. */
  shapes: 'paper' | 'all';
  /** offsetsUs are the fault times after the first tick. */
  offsetsUs: readonly number[];
}

export const PAPER_COVERAGE: CoverageOptions = { shapes: 'paper', offsetsUs: [PAPER_FAULT_AT_US] };
export const FULL_COVERAGE: CoverageOptions = { shapes: 'all', offsetsUs: COVERAGE_OFFSETS_US };

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

/** faultChoices lists the cases of one combination at one time: every St/Nt assignment, then each other shape on all its servers. */
export function faultChoices(servers: readonly string[], atUs: number, shapes: CoverageOptions['shapes']): Fault[][] {
  const paper = servers.reduce<Fault[][]>(
    (acc, server) => acc.flatMap((faults) => (['St', 'Nt'] as const).map((type) => [...faults, { server, type, atUs }])),
    [[]],
  );
  if (shapes === 'paper') return paper;
  return [...paper, ...COVERAGE_SHAPES.map((shape) => servers.map((server) => ({ ...shape, server, atUs })))];
}

/** casesPerCombination is how many runs one combination of k servers takes. */
export function casesPerCombination(k: number, o: CoverageOptions): number {
  return (2 ** k + (o.shapes === 'all' ? COVERAGE_SHAPES.length : 0)) * o.offsetsUs.length;
}

export function exhaustive(setup: ExploreSetup, servers: readonly string[], maxFailed: number, o: CoverageOptions, onCase?: (c: ExhaustiveCase) => void): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (let k = 1; k <= Math.min(maxFailed, servers.length); k++) {
    const row: CoverageRow = { failedServers: k, combinations: 0, runs: 0, runsWithViolations: 0 };
    for (const combo of combinations(servers, k)) {
      row.combinations++;
      for (const atUs of o.offsetsUs) {
        for (const faults of faultChoices(combo, atUs, o.shapes)) {
          const violations = violationsOf(setup, faults);
          row.runs++;
          if (violations.length > 0) row.runsWithViolations++;
          onCase?.({ faults, violations });
        }
      }
    }
    rows.push(row);
  }
  return rows;
}

// search runs random fault schedules through the property, and every time one breaks an
// invariant not seen yet, lets fast-check shrink it to a minimal schedule. It then goes on with
// the runs left, now ignoring the invariants already found, so one search can report several.
import fc from 'fast-check';
import type { Violation } from '../checkers/index.ts';
import type { Fault } from '../world/faults.ts';
import { violationsOf } from './property.ts';
import type { ExploreSetup } from './property.ts';
import { scheduleArbitrary } from './schedule.ts';
import type { ScheduleOptions } from './schedule.ts';

export interface Finding {
  invariant: string;
  faults: Fault[];
  violation: Violation;
  /** fcSeed and fcPath replay fast-check's search: fc.check(property, { seed, path }). */
  fcSeed: number;
  fcPath: string;
  /** runsBeforeFailure is how many schedules ran before this one failed. */
  runsBeforeFailure: number;
  shrinks: number;
}

export interface SearchResult {
  runs: number;
  findings: Finding[];
}

/** search explores `runs` schedules from `seed`; onProgress reports the runs done so far. */
export function search(setup: ExploreSetup, schedule: ScheduleOptions, runs: number, seed: number, onProgress?: (done: number) => void): SearchResult {
  const found = new Set<string>();
  const findings: Finding[] = [];
  let done = 0;
  let round = 0;
  while (done < runs) {
    const fcSeed = seed * 1000 + round++;
    let counted = 0;
    const property = fc.property(scheduleArbitrary(schedule), (faults) => {
      if (counted < runs - done) {
        counted++;
        if (counted % 64 === 0) onProgress?.(done + counted);
      }
      return violationsOf(setup, faults).every((v) => found.has(v.invariant));
    });
    const details = fc.check(property, { seed: fcSeed, numRuns: runs - done });
    done += Math.min(counted, runs - done);
    if (!details.failed || details.counterexample === null) break;
    const faults = details.counterexample[0];
    const fresh = violationsOf(setup, faults).filter((v) => !found.has(v.invariant));
    for (const v of fresh) {
      found.add(v.invariant);
      findings.push({
        invariant: v.invariant,
        faults,
        violation: v,
        fcSeed,
        fcPath: details.counterexamplePath ?? '',
        runsBeforeFailure: details.numRuns,
        shrinks: details.numShrinks,
      });
    }
    if (fresh.length === 0) break; // cannot happen: the failing case broke a new invariant
  }
  onProgress?.(runs);
  return { runs, findings };
}

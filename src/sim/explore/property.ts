// The property explored: a fault schedule, run once with a fixed seed, breaks no invariant.
// Each schedule is a whole simulated run of ten minutes on the chosen method.
import type { Violation } from '../checkers/index.ts';
import { runSeed } from '../run/experiment.ts';
import { runOnce } from '../run/run.ts';
import type { RunSpec } from '../run/run-spec.ts';
import type { Fault } from '../world/faults.ts';

/** ExploreSetup is what every explored run shares: the run without its faults, and the seed. */
export interface ExploreSetup {
  /** spec is the run each schedule's faults are put into (its own faults are ignored). */
  spec: RunSpec;
  seed: number;
}

/** violationsOf runs one schedule as run 1 of seed (so `dbss sim --seed S --runs 1` replays it) and lists what broke. */
export function violationsOf(setup: ExploreSetup, faults: readonly Fault[]): Violation[] {
  const out = runOnce({ ...setup.spec, faults }, runSeed(setup.seed, 1), { traceHash: false, metrics: false });
  return out.violations;
}

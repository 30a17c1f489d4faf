// The property explored: a fault schedule, run once with a fixed seed, breaks no invariant.
// Each schedule is a whole simulated run of ten minutes on the chosen method.
import type { Params } from '../../core/model/params.ts';
import type { RingMechanism } from '../../core/ring/mechanisms.ts';
import type { Violation } from '../checkers/index.ts';
import type { ClusterServer } from '../../paper/cluster.ts';
import { runSeed } from '../run/experiment.ts';
import type { Fault } from '../world/faults.ts';
import { runOnce } from '../run/run.ts';
import type { Method } from '../run/run.ts';
import type { SimParams } from '../sim-params.ts';

export interface ExploreSetup {
  cluster: readonly ClusterServer[];
  params: Params;
  sim: SimParams;
  method: Method;
  seed: number;
  durationUs: number;
  disabled: readonly RingMechanism[];
}

/** violationsOf runs one schedule as run 1 of seed (so `dbss sim --seed S --runs 1` replays it) and lists what broke. */
export function violationsOf(setup: ExploreSetup, faults: readonly Fault[]): Violation[] {
  const out = runOnce({
    cluster: setup.cluster,
    params: setup.params,
    sim: setup.sim,
    faults,
    method: setup.method,
    seed: runSeed(setup.seed, 1),
    endAfterUs: setup.durationUs,
    disabled: setup.disabled,
    traceHash: false,
    metrics: false,
  });
  return out.violations;
}

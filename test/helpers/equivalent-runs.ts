// What the tests of the simulator's economies share (shared replicas, incremental world changes):
// explored runs of a ring of any size under random fault schedules, run two ways and compared by
// everything a run shows.
import type { Method } from '../../src/core/method.ts';
import type { Hardening } from '../../src/core/program/hardening.ts';
import { paperCluster } from '../../src/paper/cluster.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { defaultSimParams } from '../../src/paper/testbed.ts';
import { EXPLORE_RUN_US, scheduleArbitrary } from '../../src/sim/explore/schedule.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import type { RunObservation, RunSpec } from '../../src/sim/run/run-spec.ts';
import { settleUs } from '../../src/sim/run/run-spec.ts';
import { syntheticCluster } from '../../src/sim/synthetic-cluster.ts';
import type { Fault, FaultType } from '../../src/sim/world/faults.ts';

const params = defaultParams();
const sim = defaultSimParams();

const clusterOf = (servers: number) => (servers === 6 ? paperCluster() : syntheticCluster(servers));

/** specOf is a ten-minute explored run of the paper's cluster (servers = 6) or a synthetic ring. */
export function specOf(servers: number, faults: readonly Fault[], method: Method = 'ring', hardening: readonly Hardening[] = []): RunSpec {
  return { method, cluster: clusterOf(servers), params, sim, faults, durationUs: EXPLORE_RUN_US, disabled: [], hardening };
}

/** schedules draws fault schedules of the given types for such a run. */
export function schedules(servers: number, maxFaults: number, types: readonly FaultType[]) {
  return scheduleArbitrary({ servers: clusterOf(servers).map((c) => c.data.hostName), maxFaults, latestUs: EXPLORE_RUN_US - settleUs(params, sim), types });
}

/** bothWays runs a spec with each observation and returns what each run shows: trace, violations with counts, events, times, outcomes, traffic and client logs. */
export function bothWays(spec: RunSpec, one: RunObservation, other: RunObservation): [unknown, unknown] {
  const seen = (observe: RunObservation): unknown => {
    const out = runOnce(spec, 'equivalence', { ...observe, clientLogs: true });
    return { hash: out.traceHash, violations: out.violations, programEvents: out.programEvents, eventsRun: out.eventsRun, targets: out.targets, outcomes: out.outcomes, traffic: out.traffic, log: out.log.length, clients: [...out.clients] };
  };
  return [seen(one), seen(other)];
}

// Shared heartbeat files (shared-heartbeat.ts) are a representation only: a run whose replicas
// share them must be the run whose replicas each keep their own, event for event.
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../../src/paper/params.ts';
import { paperCluster } from '../../../src/paper/cluster.ts';
import { defaultSimParams } from '../../../src/paper/testbed.ts';
import { EXPLORE_RUN_US, scheduleArbitrary } from '../../../src/sim/explore/schedule.ts';
import { runOnce } from '../../../src/sim/run/run.ts';
import type { RunSpec } from '../../../src/sim/run/run-spec.ts';
import { settleUs, sharesReplicas } from '../../../src/sim/run/run-spec.ts';
import { syntheticCluster } from '../../../src/sim/synthetic-cluster.ts';
import type { Fault, FaultType } from '../../../src/sim/world/faults.ts';
import type { Method } from '../../../src/core/method.ts';

const params = defaultParams();
const sim = defaultSimParams();
/** Every fault but ClockOff, under which replicas keep their own files (sharesReplicas). */
const TYPES: FaultType[] = ['St', 'Nt', 'SemLoss', 'SemDelay', 'ManagementPartition', 'ServicePartition'];

function specOf(servers: number, faults: readonly Fault[], method: Method = 'ring'): RunSpec {
  const cluster = servers === 6 ? paperCluster() : syntheticCluster(servers);
  return { method, cluster, params, sim, faults, durationUs: EXPLORE_RUN_US, disabled: [], hardening: [] };
}

/** both runs a spec with shared and with own replicas and returns what each shows of the run. */
function both(spec: RunSpec): [unknown, unknown] {
  const seen = (sharedReplicas: boolean): unknown => {
    const out = runOnce(spec, 'shared-equivalence', { sharedReplicas });
    return { hash: out.traceHash, violations: out.violations, programEvents: out.programEvents, eventsRun: out.eventsRun, targets: out.targets, outcomes: out.outcomes, traffic: out.traffic, log: out.log.length };
  };
  return [seen(true), seen(false)];
}

const schedules = (servers: number, maxFaults: number) =>
  scheduleArbitrary({
    servers: (servers === 6 ? paperCluster() : syntheticCluster(servers)).map((c) => c.data.hostName),
    maxFaults,
    latestUs: EXPLORE_RUN_US - settleUs(params, sim),
    types: TYPES,
  });

describe('replicas that share their heartbeat file run exactly as replicas with their own', () => {
  test.prop([schedules(6, 4)], { numRuns: 40, seed: 7 })('the paper cluster under any faults but ClockOff gives the same trace, violations, events, times, outcomes and traffic', (faults) => {
    const [shared, own] = both(specOf(6, faults));
    expect(shared).toEqual(own);
  });

  test.prop([schedules(6, 4)], { numRuns: 30, seed: 9 })('so does P2P on the paper cluster', (faults) => {
    const [shared, own] = both(specOf(6, faults, 'p2p'));
    expect(shared).toEqual(own);
  });

  test.prop([schedules(40, 5)], { numRuns: 10, seed: 8 })('a ring of 40 servers (long enough for the line indexes) gives the same too', (faults) => {
    const [shared, own] = both(specOf(40, faults));
    expect(shared).toEqual(own);
  });

  it('shares only for the paper methods without a ClockOff fault: the hardened ring reacts to each record', () => {
    expect(sharesReplicas(specOf(6, []))).toBe(true);
    expect(sharesReplicas(specOf(6, [], 'p2p'))).toBe(true);
    expect(sharesReplicas({ ...specOf(6, []), hardening: ['semResync'] })).toBe(false);
    expect(sharesReplicas(specOf(6, [{ server: 'Mail', type: 'ClockOff', atUs: 0, offsetUs: -5e6 }]))).toBe(false);
  });
});

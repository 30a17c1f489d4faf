// Incremental world changes (world-change.ts) are an economy only: a run whose changes look at
// what they touched must be the run whose changes look at every service and host.
import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { defaultParams } from '../../../src/paper/params.ts';
import { paperCluster } from '../../../src/paper/cluster.ts';
import { defaultSimParams } from '../../../src/paper/testbed.ts';
import { EXPLORE_RUN_US, scheduleArbitrary } from '../../../src/sim/explore/schedule.ts';
import { runOnce } from '../../../src/sim/run/run.ts';
import type { RunSpec } from '../../../src/sim/run/run-spec.ts';
import { settleUs } from '../../../src/sim/run/run-spec.ts';
import { syntheticCluster } from '../../../src/sim/synthetic-cluster.ts';
import type { Fault, FaultType } from '../../../src/sim/world/faults.ts';
import type { Method } from '../../../src/core/method.ts';
import type { Hardening } from '../../../src/core/program/hardening.ts';
import { HARDENINGS } from '../../../src/core/program/hardening.ts';

const params = defaultParams();
const sim = defaultSimParams();
const TYPES: FaultType[] = ['St', 'Nt', 'SemLoss', 'SemDelay', 'ManagementPartition', 'ServicePartition', 'ClockOff', 'NoCapacity', 'Repair'];

function specOf(servers: number, faults: readonly Fault[], method: Method, hardening: readonly Hardening[] = []): RunSpec {
  const cluster = servers === 6 ? paperCluster() : syntheticCluster(servers);
  return { method, cluster, params, sim, faults, durationUs: EXPLORE_RUN_US, disabled: [], hardening };
}

function both(spec: RunSpec): [unknown, unknown] {
  const seen = (incrementalChanges: boolean): unknown => {
    const out = runOnce(spec, 'change-equivalence', { incrementalChanges, clientLogs: true });
    return { hash: out.traceHash, violations: out.violations, targets: out.targets, outcomes: out.outcomes, clients: [...out.clients] };
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

describe('changes that look only at what they touched give the run that looks at everything', () => {
  test.prop([schedules(6, 5)], { numRuns: 30, seed: 11 })('the paper ring under any faults: same trace, violations with their counts, times, outcomes and client logs', (faults) => {
    const [incremental, whole] = both(specOf(6, faults, 'ring'));
    expect(incremental).toEqual(whole);
  });

  test.prop([schedules(6, 5)], { numRuns: 30, seed: 12 })('the hardened ring, whose violations the explorer counts, the same', (faults) => {
    const [incremental, whole] = both(specOf(6, faults, 'ring', HARDENINGS));
    expect(incremental).toEqual(whole);
  });

  test.prop([schedules(6, 5)], { numRuns: 20, seed: 13 })('P2P the same', (faults) => {
    const [incremental, whole] = both(specOf(6, faults, 'p2p'));
    expect(incremental).toEqual(whole);
  });

  test.prop([schedules(20, 6)], { numRuns: 8, seed: 14 })('a ring of 20 servers the same', (faults) => {
    const [incremental, whole] = both(specOf(20, faults, 'ring'));
    expect(incremental).toEqual(whole);
  });
});

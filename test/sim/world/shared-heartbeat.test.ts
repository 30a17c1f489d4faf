// Shared replicas (replica.ts, shared-heartbeat.ts) are a representation only: a run whose
// replicas share their files must be the run whose replicas each keep their own, event for event.
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sharesReplicas } from '../../../src/sim/run/run-spec.ts';
import type { FaultType } from '../../../src/sim/world/faults.ts';
import { bothWays, schedules, specOf } from '../../helpers/equivalent-runs.ts';

/** Every fault but ClockOff, under which replicas keep their own files (sharesReplicas). */
const TYPES: FaultType[] = ['St', 'Nt', 'SemLoss', 'SemDelay', 'ManagementPartition', 'ServicePartition'];
const WAYS = [{ sharedReplicas: true }, { sharedReplicas: false }] as const;

describe('replicas that share their files run exactly as replicas with their own', () => {
  test.prop([schedules(6, 4, TYPES)], { numRuns: 40, seed: 7 })('the paper cluster under any faults but ClockOff gives the same trace, violations, events, times, outcomes and traffic', (faults) => {
    const [shared, own] = bothWays(specOf(6, faults), ...WAYS);
    expect(shared).toEqual(own);
  });

  test.prop([schedules(6, 4, TYPES)], { numRuns: 30, seed: 9 })('so does P2P on the paper cluster', (faults) => {
    const [shared, own] = bothWays(specOf(6, faults, 'p2p'), ...WAYS);
    expect(shared).toEqual(own);
  });

  test.prop([schedules(40, 5, TYPES)], { numRuns: 10, seed: 8 })('a ring of 40 servers (long enough for the line indexes) gives the same too', (faults) => {
    const [shared, own] = bothWays(specOf(40, faults), ...WAYS);
    expect(shared).toEqual(own);
  });

  it('shares only for the paper methods without a ClockOff fault: the hardened ring reacts to each record', () => {
    expect(sharesReplicas(specOf(6, []))).toBe(true);
    expect(sharesReplicas(specOf(6, [], 'p2p'))).toBe(true);
    expect(sharesReplicas({ ...specOf(6, []), hardening: ['semResync'] })).toBe(false);
    expect(sharesReplicas(specOf(6, [{ server: 'Mail', type: 'ClockOff', atUs: 0, offsetUs: -5e6 }]))).toBe(false);
  });
});

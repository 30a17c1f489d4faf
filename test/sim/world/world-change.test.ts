// Incremental world changes (world-change.ts) are an economy only: a run whose changes look at
// what they touched must be the run whose changes look at every service and host.
import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { HARDENINGS } from '../../../src/core/program/hardening.ts';
import type { FaultType } from '../../../src/sim/world/faults.ts';
import { bothWays, schedules, specOf } from '../../helpers/equivalent-runs.ts';

const TYPES: FaultType[] = ['St', 'Nt', 'SemLoss', 'SemDelay', 'ManagementPartition', 'ServicePartition', 'ClockOff', 'NoCapacity', 'Repair'];
const WAYS = [{ incrementalChanges: true }, { incrementalChanges: false }] as const;

describe('changes that look only at what they touched give the run that looks at everything', () => {
  test.prop([schedules(6, 5, TYPES)], { numRuns: 30, seed: 11 })('the paper ring under any faults: same trace, violations with their counts, times, outcomes and client logs', (faults) => {
    const [incremental, whole] = bothWays(specOf(6, faults), ...WAYS);
    expect(incremental).toEqual(whole);
  });

  test.prop([schedules(6, 5, TYPES)], { numRuns: 30, seed: 12 })('the hardened ring, whose violations the explorer counts, the same', (faults) => {
    const [incremental, whole] = bothWays(specOf(6, faults, 'ring', HARDENINGS), ...WAYS);
    expect(incremental).toEqual(whole);
  });

  test.prop([schedules(6, 5, TYPES)], { numRuns: 20, seed: 13 })('P2P the same', (faults) => {
    const [incremental, whole] = bothWays(specOf(6, faults, 'p2p'), ...WAYS);
    expect(incremental).toEqual(whole);
  });

  test.prop([schedules(20, 6, TYPES)], { numRuns: 8, seed: 14 })('a ring of 20 servers the same', (faults) => {
    const [incremental, whole] = bothWays(specOf(20, faults), ...WAYS);
    expect(incremental).toEqual(whole);
  });
});

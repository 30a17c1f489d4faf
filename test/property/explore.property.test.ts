// Property-based tests of multi-failure cases (issue 4), with a modest number of runs so that
// `npm test` stays quick; `dbss explore` runs the same properties for thousands of schedules.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/paper/params.ts';
import { paperCluster } from '../../src/paper/cluster.ts';
import { violationsOf } from '../../src/sim/explore/property.ts';
import type { ExploreSetup } from '../../src/sim/explore/property.ts';
import { EXPLORE_RUN_US, scheduleArbitrary } from '../../src/sim/explore/schedule.ts';
import type { ScheduleOptions } from '../../src/sim/explore/schedule.ts';
import { settleUs } from '../../src/sim/run/run-spec.ts';
import type { Method } from '../../src/core/method.ts';
import type { RingMechanism } from '../../src/core/ring/mechanisms.ts';
import { defaultSimParams } from '../../src/paper/testbed.ts';

const params = defaultParams();
const sim = defaultSimParams();
const cluster = paperCluster();
const setupFor = (method: Method, disabled: readonly RingMechanism[] = []): ExploreSetup => ({
  spec: { method, cluster, params, sim, faults: [], durationUs: EXPLORE_RUN_US, disabled, hardening: [] },
  seed: 1,
});
const paperFaults = (maxFaults: number): ScheduleOptions => ({
  servers: cluster.map((c) => c.data.hostName),
  maxFaults,
  latestUs: EXPLORE_RUN_US - settleUs(params, sim),
  types: ['St', 'Nt'],
});

describe('one failure at any time is always survived', () => {
  test.prop([scheduleArbitrary(paperFaults(1))], { numRuns: 25, seed: 42 })('the ring breaks no invariant after any single St or Nt fault', (faults) => {
    expect(violationsOf(setupFor('ring'), faults)).toEqual([]);
  });

  test.prop([scheduleArbitrary(paperFaults(1))], { numRuns: 25, seed: 43 })('the P2P method breaks no invariant after any single St or Nt fault', (faults) => {
    expect(violationsOf(setupFor('p2p'), faults)).toEqual([]);
  });
});

describe('the checkers can fail: a deliberately broken core is caught and shrunk', () => {
  it('with automatic connection selection switched off, the search finds a server managed twice and shrinks it to at most 3 faults', () => {
    const broken = setupFor('ring', ['automaticConnectionSelection']);
    const details = fc.check(
      fc.property(scheduleArbitrary(paperFaults(3)), (faults) => violationsOf(broken, faults).length === 0),
      { seed: 1, numRuns: 200 },
    );

    expect(details.failed).toBe(true);
    const shrunk = details.counterexample?.[0] ?? [];
    expect(shrunk.length).toBeGreaterThanOrEqual(1);
    expect(shrunk.length).toBeLessThanOrEqual(3);
    expect(violationsOf(broken, shrunk).map((v) => v.invariant)).toContain('managed-once');
    // The same schedule on the intact core breaks nothing: the violation is the missing mechanism's.
    expect(violationsOf(setupFor('ring'), shrunk)).toEqual([]);
  });
});

// The explorer's search is a pure function of its seed: the batches and shrinks that the workers
// take as they free up give the same findings, in the same order, as the search run in one
// thread; and the merge of batches does not depend on the order they end (nor, so, on timing or
// the number of workers).
import { describe, expect, it } from 'vitest';
import { runSearchWorkers } from '../../src/cli/explore/worker-pool.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { paperCluster } from '../../src/paper/cluster.ts';
import { defaultSimParams } from '../../src/paper/testbed.ts';
import type { ExploreSetup } from '../../src/sim/explore/property.ts';
import { EXPLORE_RUN_US } from '../../src/sim/explore/schedule.ts';
import type { ScheduleOptions } from '../../src/sim/explore/schedule.ts';
import { BATCH_RUNS, batchesOf, FirstBreaks, search } from '../../src/sim/explore/search.ts';
import type { Break } from '../../src/sim/explore/search.ts';
import { settleUs } from '../../src/sim/run/run-spec.ts';

const params = defaultParams();
const sim = defaultSimParams();
const cluster = paperCluster();
// Without automatic connection selection the ring breaks managed-once within a few schedules.
const setup: ExploreSetup = { spec: { method: 'ring', cluster, params, sim, faults: [], durationUs: EXPLORE_RUN_US, disabled: ['automaticConnectionSelection'], hardening: [] }, seed: 2 };
const schedule: ScheduleOptions = { servers: cluster.map((c) => c.data.hostName), maxFaults: 3, latestUs: EXPLORE_RUN_US - settleUs(params, sim), types: ['St', 'Nt'] };

describe('the explorer\'s search on worker threads', () => {
  it('finds the same schedules, seeds and paths on two workers as the search in one thread, counting random schedules apart from shrink runs', async () => {
    const runs = 2 * BATCH_RUNS + 7;
    const progress: number[] = [];
    const alone = search(setup, schedule, runs, 2);

    const two = await runSearchWorkers({ setup, schedule }, runs, 2, (done) => progress.push(done), 2);

    expect(alone.findings.length).toBeGreaterThan(0);
    expect(two.findings).toEqual(alone.findings);
    expect(two.runs).toBe(runs);
    expect(two.shrinkRuns).toBe(alone.shrinkRuns);
    expect(two.shrinkRuns).toBeGreaterThan(0);
    // Progress counts random schedules only, batch by batch, up to the runs asked for.
    expect(Math.max(...progress)).toBe(runs);
    expect(progress).toHaveLength(3);
  }, 120_000);
});

describe('FirstBreaks', () => {
  const batches = batchesOf(3 * BATCH_RUNS, 9);
  const at = (batch: number, offset: number, invariant: string): Break => ({ invariant, batch: batches[batch] as (typeof batches)[number], offset });
  const results: [number, Break[]][] = [
    [0, [at(0, 30, 'vip-back')]],
    [1, [at(1, 2, 'vip-unique'), at(1, 40, 'vip-back')]],
    [2, [at(2, 0, 'managed-once')]],
  ];

  it('settles a break only when every batch before it is done, whatever order the batches end in', () => {
    const merge = new FirstBreaks(batches.length);

    merge.add(batches[2] as (typeof batches)[number], results[2]?.[1] ?? []);
    const afterLast = merge.settled();
    merge.add(batches[1] as (typeof batches)[number], results[1]?.[1] ?? []);
    const afterMiddle = merge.settled();
    merge.add(batches[0] as (typeof batches)[number], results[0]?.[1] ?? []);
    const afterFirst = merge.settled();

    expect(afterLast).toEqual([]);
    expect(afterMiddle).toEqual([]);
    expect(afterFirst.map((b) => [b.invariant, b.batch.index, b.offset])).toEqual([
      ['vip-back', 0, 30],
      ['vip-unique', 1, 2],
      ['managed-once', 2, 0],
    ]);
  });

  it('keeps each invariant\'s earliest schedule and hands each out once', () => {
    const merge = new FirstBreaks(batches.length);
    for (const [b, breaks] of results) merge.add(batches[b] as (typeof batches)[number], breaks);

    const settled = merge.settled();

    expect(settled.find((b) => b.invariant === 'vip-back')?.batch.index).toBe(0);
    expect(merge.settled()).toEqual([]);
    expect(() => merge.add(batches[0] as (typeof batches)[number], [])).toThrow('merged twice');
  });

  it('gives every batch its own fast-check seed, derived from the search\'s seed', () => {
    const seeds = batchesOf(20 * BATCH_RUNS, 1).map((b) => b.fcSeed);

    expect(new Set(seeds).size).toBe(seeds.length);
    expect(batchesOf(20 * BATCH_RUNS, 1)).toEqual(batchesOf(20 * BATCH_RUNS, 1));
    expect(batchesOf(BATCH_RUNS, 2)[0]?.fcSeed).not.toBe(seeds[0]);
    expect(batchesOf(2 * BATCH_RUNS + 7, 1).map((b) => b.runs)).toEqual([BATCH_RUNS, BATCH_RUNS, 7]);
  });
});

// A throughput worker for `dbss bench`: evaluates a fixed sample of random fault schedules
// (the explorer's own arbitraries, ten simulated minutes each) and reports how long it took.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { violationsOf } from '../../sim/explore/property.ts';
import type { ExploreSetup } from '../../sim/explore/property.ts';
import { scheduleArbitrary } from '../../sim/explore/schedule.ts';
import type { ScheduleOptions } from '../../sim/explore/schedule.ts';

export interface ThroughputJob {
  setup: ExploreSetup;
  schedule: ScheduleOptions;
  runs: number;
  seed: number;
}

const job = workerData as ThroughputJob;
const schedules = fc.sample(scheduleArbitrary(job.schedule), { seed: job.seed, numRuns: job.runs });
// Warm the JIT on a few runs first, as a long search does.
for (const s of schedules.slice(0, 20)) violationsOf(job.setup, s);
const t0 = performance.now();
for (const s of schedules) violationsOf(job.setup, s);
parentPort?.postMessage({ runs: schedules.length, seconds: (performance.now() - t0) / 1000 });

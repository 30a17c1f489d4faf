// A search worker: runs its share of the explorer's schedules (search.ts) and posts progress
// and findings back. Each worker has its own seed, fixed by its index, so results do not depend
// on the machine.
import { parentPort, workerData } from 'node:worker_threads';
import { search } from '../../sim/explore/search.ts';
import type { ExploreSetup } from '../../sim/explore/property.ts';
import type { ScheduleOptions } from '../../sim/explore/schedule.ts';

export interface SearchJob {
  setup: ExploreSetup;
  schedule: ScheduleOptions;
  runs: number;
  seed: number;
}

const job = workerData as SearchJob;
const result = search(job.setup, job.schedule, job.runs, job.seed, (done) => parentPort?.postMessage({ type: 'progress', done }));
parentPort?.postMessage({ type: 'result', result });

// A search worker: takes the explorer's jobs one at a time (a batch of random schedules or the
// shrinking of one break, src/sim/explore/search.ts), posts each result back with the time it
// took, and waits for the next; the pool (worker-pool.ts) ends it when the search is done.
import { parentPort, workerData } from 'node:worker_threads';
import { runBatch, shrinkBreak } from '../../sim/explore/search.ts';
import type { Batch, Break, Finding } from '../../sim/explore/search.ts';
import type { ExploreSetup } from '../../sim/explore/property.ts';
import type { ScheduleOptions } from '../../sim/explore/schedule.ts';

/** SearchJob is what every job of one search shares, sent once as the worker's workerData. */
export interface SearchJob {
  setup: ExploreSetup;
  schedule: ScheduleOptions;
}

export type WorkItem = { type: 'batch'; batch: Batch } | { type: 'shrink'; break: Break };

export type WorkResult =
  | { type: 'batch'; batch: Batch; breaks: Break[]; seconds: number }
  | { type: 'shrink'; finding: Finding; shrinkRuns: number; seconds: number };

const job = workerData as SearchJob;
const port = parentPort;
if (port === null) throw new Error('search-worker.ts runs as a worker thread only');
port.on('message', (item: WorkItem) => {
  const t0 = performance.now();
  if (item.type === 'batch') {
    const breaks = runBatch(job.setup, job.schedule, item.batch);
    port.postMessage({ type: 'batch', batch: item.batch, breaks, seconds: (performance.now() - t0) / 1000 } satisfies WorkResult);
  } else {
    const { finding, shrinkRuns } = shrinkBreak(job.setup, job.schedule, item.break);
    port.postMessage({ type: 'shrink', finding, shrinkRuns, seconds: (performance.now() - t0) / 1000 } satisfies WorkResult);
  }
});

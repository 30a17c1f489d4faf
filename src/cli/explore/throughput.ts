// exploreThroughput measures how many explorer runs per second the machine sustains: the same
// fixed number of workers as `dbss explore`, each evaluating its share of random schedules.
import { Worker } from 'node:worker_threads';
import type { ThroughputJob } from './throughput-worker.ts';
import { SEARCH_WORKERS } from './worker-pool.ts';

export async function exploreThroughput(base: Omit<ThroughputJob, 'runs' | 'seed'>, runsPerWorker: number): Promise<{ runs: number; runsPerSecond: number }> {
  const results = await Promise.all(
    Array.from(
      { length: SEARCH_WORKERS },
      (_, w) =>
        new Promise<{ runs: number; seconds: number }>((resolve, reject) => {
          const job: ThroughputJob = { ...base, runs: runsPerWorker, seed: 7919 + w };
          const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: job, env: { ...process.env, DBSS_WORKER: 'throughput' } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const runs = results.reduce((a, r) => a + r.runs, 0);
  // The workers run side by side; the slowest one bounds the wall time.
  const seconds = Math.max(...results.map((r) => r.seconds));
  return { runs, runsPerSecond: Math.round(runs / seconds) };
}

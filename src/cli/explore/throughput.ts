// exploreThroughput measures what the explorer sustains: the real search (worker-pool.ts) on a
// given number of workers, random schedules counted apart from the runs spent shrinking what
// they broke, so that a figure of schedules per second means schedules drawn at random.
import { runSearchWorkers } from './worker-pool.ts';
import type { SearchJob } from './search-worker.ts';

/** ExploreThroughput is one measured search. */
export interface ExploreThroughput {
  workers: number;
  runs: number;
  /** randomPerSecond is random schedules per second of worker time spent on them, times the workers. */
  randomPerSecond: number;
  shrinkRuns: number;
  shrinkSeconds: number;
  wallSeconds: number;
}

export async function exploreThroughput(base: SearchJob, runs: number, workers: number): Promise<ExploreThroughput> {
  const r = await runSearchWorkers(base, runs, 7919, () => {}, workers);
  return { workers, runs: r.runs, randomPerSecond: Math.round((r.runs * workers) / r.randomSeconds), shrinkRuns: r.shrinkRuns, shrinkSeconds: r.shrinkSeconds, wallSeconds: r.wallSeconds };
}

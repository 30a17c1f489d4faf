// runSearchWorkers runs the explorer's search (src/sim/explore/search.ts) on worker threads that
// take work as they free up: a shrink first (the longest jobs: started early, they overlap the
// batches still to run instead of ending the search alone), else the next batch of random
// schedules. Each job is a pure function of its inputs and the
// results are merged in batch order, so the same --seed finds the same schedules whatever the
// timing and however many workers run (a fixed number by default, not the machine's cores).
import { Worker } from 'node:worker_threads';
import { batchesOf, findingOrder, FirstBreaks } from '../../sim/explore/search.ts';
import type { Break, Finding } from '../../sim/explore/search.ts';
import type { SearchJob, WorkItem, WorkResult } from './search-worker.ts';

export const SEARCH_WORKERS = 2;

/** SearchRun is a search's findings and its work, random schedules and shrink runs counted apart. */
export interface SearchRun {
  runs: number;
  shrinkRuns: number;
  findings: Finding[];
  workers: number;
  /** randomSeconds and shrinkSeconds are worker time spent on each kind of job, summed over the workers. */
  randomSeconds: number;
  shrinkSeconds: number;
  /** wallSeconds is the whole search, the workers' start-up included. */
  wallSeconds: number;
}

export async function runSearchWorkers(base: SearchJob, runs: number, seed: number, onProgress: (randomDone: number) => void, workers = SEARCH_WORKERS): Promise<SearchRun> {
  const batches = batchesOf(runs, seed);
  const merge = new FirstBreaks(batches.length);
  const shrinks: Break[] = [];
  const result: SearchRun = { runs, shrinkRuns: 0, findings: [], workers, randomSeconds: 0, shrinkSeconds: 0, wallSeconds: 0 };
  let nextBatch = 0;
  let randomDone = 0;
  let inFlight = 0;
  let shrinksHanded = 0;
  const t0 = performance.now();
  const threads = Array.from({ length: workers }, () => new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: base }));
  const idle = [...threads];
  /** next is the work to hand out: a settled shrink first, else the next batch, else nothing. */
  const next = (): WorkItem | null => {
    const b = shrinks.shift();
    if (b !== undefined) return { type: 'shrink', break: b };
    const batch = batches[nextBatch];
    if (batch === undefined) return null;
    nextBatch++;
    return { type: 'batch', batch };
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const dispatch = (): void => {
        for (let w = idle.pop(); w !== undefined; w = idle.pop()) {
          const item = next();
          if (item === null) {
            idle.push(w);
            break;
          }
          inFlight++;
          w.postMessage(item);
        }
        if (inFlight === 0) resolve();
      };
      for (const w of threads) {
        w.on('message', (r: WorkResult) => {
          inFlight--;
          if (r.type === 'batch') {
            result.randomSeconds += r.seconds;
            merge.add(r.batch, r.breaks);
            randomDone += r.batch.runs;
            onProgress(randomDone);
            const settled = merge.settled();
            shrinksHanded += settled.length;
            shrinks.push(...settled);
          } else {
            result.shrinkSeconds += r.seconds;
            result.shrinkRuns += r.shrinkRuns;
            result.findings.push(r.finding);
          }
          idle.push(w);
          dispatch();
        });
        w.on('error', reject);
        w.on('exit', (code) => reject(new Error(`search worker exited with status ${code} before the search ended`)));
      }
      dispatch();
    });
  } finally {
    for (const w of threads) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
  result.wallSeconds = (performance.now() - t0) / 1000;
  // Every batch merged and every settled break shrunk, or the search would be missing findings.
  if (randomDone !== runs || result.findings.length !== shrinksHanded) throw new Error(`search ended with ${randomDone} of ${runs} schedules and ${result.findings.length} of ${shrinksHanded} shrinks`);
  result.findings.sort(findingOrder);
  return result;
}

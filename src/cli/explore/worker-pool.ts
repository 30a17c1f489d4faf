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

/**
 * SearchPart makes the search one part of a search spread over machines: `only` runs the batches
 * of one shard (index % shards = shard - 1) and shrinks nothing, returning each invariant's first
 * break among them; `breaks` runs no batch and shrinks the given breaks (the first of each
 * invariant over all shards), as `dbss explore merge` does.
 */
export type SearchPart = { only: { shard: number; shards: number } } | { breaks: readonly Break[] };

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
  /** breaks are, for a shard (SearchPart only), each invariant's first break among its batches, unshrunk. */
  breaks: Break[];
}

export async function runSearchWorkers(base: SearchJob, runs: number, seed: number, onProgress: (randomDone: number) => void, workers = SEARCH_WORKERS, part: SearchPart | null = null): Promise<SearchRun> {
  const all = batchesOf(runs, seed);
  const batches = part === null ? all : 'breaks' in part ? [] : all.filter((b) => b.index % part.only.shards === part.only.shard - 1);
  const merge = new FirstBreaks(all.length);
  const shardFirst = new Map<string, Break>();
  const shrinks: Break[] = part !== null && 'breaks' in part ? [...part.breaks] : [];
  const planned = batches.reduce((n, b) => n + b.runs, 0);
  const result: SearchRun = { runs: planned, shrinkRuns: 0, findings: [], workers, randomSeconds: 0, shrinkSeconds: 0, wallSeconds: 0, breaks: [] };
  let nextBatch = 0;
  let randomDone = 0;
  let inFlight = 0;
  let shrinksHanded = shrinks.length;
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
            randomDone += r.batch.runs;
            onProgress(randomDone);
            if (part !== null) {
              // A shard keeps each invariant's first break among its own batches; the merge shrinks.
              for (const b of r.breaks) {
                const known = shardFirst.get(b.invariant);
                if (known === undefined || b.batch.firstRun + b.offset < known.batch.firstRun + known.offset) shardFirst.set(b.invariant, b);
              }
            } else {
              merge.add(r.batch, r.breaks);
              const settled = merge.settled();
              shrinksHanded += settled.length;
              shrinks.push(...settled);
            }
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
  if (randomDone !== planned || result.findings.length !== shrinksHanded) throw new Error(`search ended with ${randomDone} of ${planned} schedules and ${result.findings.length} of ${shrinksHanded} shrinks`);
  result.findings.sort(findingOrder);
  result.breaks = [...shardFirst.values()].sort((a, b) => a.batch.firstRun + a.offset - (b.batch.firstRun + b.offset));
  return result;
}

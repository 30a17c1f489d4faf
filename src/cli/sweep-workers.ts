// runSweep makes a sweep's runs (one unit per point x replication) on `jobs` worker threads,
// handing the next units to whichever worker is free; with one job it runs them on this thread.
// Units go out in chunks that shrink as the sweep nears its end (guided self-scheduling): a run
// can take under 2 ms, and a message for each would leave the workers waiting on this thread.
// The rows are sorted into canonical order afterwards, so the output does not depend on the jobs.
import { Worker } from 'node:worker_threads';
import type { Sweep } from '../config/parse-sweep.ts';
import type { SweepTexts } from '../config/sweep-file.ts';
import { runSweepPoint, sortedRows } from '../report/sweep/sweep-rows.ts';
import type { SweepRow } from '../report/sweep/sweep-rows.ts';
import type { SweepChunk, SweepUnitDone } from './sweep-worker.ts';

/** MAX_CHUNK_RUNS bounds a chunk, so that progress still moves on a sweep of long runs. */
const MAX_CHUNK_RUNS = 32;

/** chunkRuns is the size of the next chunk: a quarter of each worker's share of what is left. */
export function chunkRuns(remaining: number, workers: number): number {
  return Math.max(1, Math.min(MAX_CHUNK_RUNS, Math.ceil(remaining / (4 * workers))));
}

export async function runSweep(sweep: Sweep, texts: SweepTexts, points: readonly number[], jobs: number, onRun: (done: number) => void): Promise<SweepRow[]> {
  const units = points.flatMap((point) => Array.from({ length: sweep.replications }, (_, r) => ({ point, replication: r + 1 })));
  const rows: SweepRow[] = [];
  if (jobs <= 1) {
    units.forEach((u, i) => {
      rows.push(...runSweepPoint(sweep, sweep.points[u.point] as Sweep['points'][number], u.replication));
      onRun(i + 1);
    });
    return sortedRows(rows);
  }
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let done = 0;
    const count = Math.min(jobs, units.length);
    const workers = Array.from({ length: count }, () => new Worker(new URL('./explore/worker-bootstrap.mjs', import.meta.url), { workerData: texts, env: { ...process.env, DBSS_WORKER: 'sweep' } }));
    const fail = (e: unknown): void => {
      for (const w of workers) void w.terminate();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const handOut = (w: Worker): void => {
      const take = chunkRuns(units.length - next, count);
      const chunk = next < units.length ? units.slice(next, next + take) : null;
      next += chunk?.length ?? 0;
      w.postMessage(chunk satisfies SweepChunk);
    };
    for (const w of workers) {
      w.on('message', (m: SweepUnitDone) => {
        rows.push(...m.rows);
        done += m.runs;
        onRun(done);
        if (done === units.length) resolve();
        handOut(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0) fail(new Error(`a sweep worker exited with status ${code}`));
      });
      handOut(w);
    }
  });
  return sortedRows(rows);
}

// runSweep makes a sweep's runs (one unit per point x replication) on `jobs` worker threads,
// handing the next unit to whichever worker is free; with one job it runs them on this thread.
// The rows are sorted into canonical order afterwards, so the output does not depend on the jobs.
import { Worker } from 'node:worker_threads';
import type { Sweep } from '../config/parse-sweep.ts';
import type { SweepTexts } from '../config/sweep-file.ts';
import { runSweepPoint, sortedRows } from '../report/sweep/sweep-rows.ts';
import type { SweepRow } from '../report/sweep/sweep-rows.ts';
import type { SweepUnit, SweepUnitDone } from './sweep-worker.ts';

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
    const handOut = (w: Worker): void => w.postMessage((next < units.length ? units[next++] : null) satisfies SweepUnit | undefined);
    for (const w of workers) {
      w.on('message', (m: SweepUnitDone) => {
        rows.push(...m.rows);
        onRun(++done);
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

// A sweep worker: rebuilds the sweep from its texts (workerData), then makes the runs it is handed
// one at a time and posts each run's rows back. Each run seeds its own streams from its point's
// seed, so which worker makes it changes nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepOfTexts } from '../config/sweep-file.ts';
import type { SweepTexts } from '../config/sweep-file.ts';
import { runSweepPoint } from '../report/sweep/sweep-rows.ts';
import type { SweepRow } from '../report/sweep/sweep-rows.ts';

/** SweepUnit is one run: replication r of point p; null ends the worker. */
export type SweepUnit = { point: number; replication: number } | null;
export interface SweepUnitDone {
  rows: SweepRow[];
}

const port = parentPort;
if (port === null) throw new Error('sweep-worker.ts runs as a worker thread');
const sweep = sweepOfTexts(workerData as SweepTexts);

port.on('message', (unit: SweepUnit) => {
  if (unit === null) return port.close();
  const point = sweep.points[unit.point];
  if (point === undefined) throw new RangeError(`no sweep point ${unit.point}`);
  port.postMessage({ rows: runSweepPoint(sweep, point, unit.replication) } satisfies SweepUnitDone);
});

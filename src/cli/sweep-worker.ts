// A sweep worker: rebuilds the sweep from its texts (workerData), then makes the runs it is handed,
// a few at a time, and posts their rows back. Each run seeds its own streams from its point's
// seed, so which worker makes it changes nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepOfTexts } from '../config/sweep-file.ts';
import type { SweepTexts } from '../config/sweep-file.ts';
import { runSweepPoint } from '../report/sweep/sweep-rows.ts';
import type { SweepRow } from '../report/sweep/sweep-rows.ts';

/** SweepUnit is one run: replication r of point p. */
export interface SweepUnit {
  point: number;
  replication: number;
}
/** SweepChunk is the runs handed to a worker at once; null ends the worker. */
export type SweepChunk = SweepUnit[] | null;
export interface SweepUnitDone {
  rows: SweepRow[];
  runs: number;
}

const port = parentPort;
if (port === null) throw new Error('sweep-worker.ts runs as a worker thread');
const sweep = sweepOfTexts(workerData as SweepTexts);

port.on('message', (chunk: SweepChunk) => {
  if (chunk === null) return port.close();
  const rows: SweepRow[] = [];
  for (const unit of chunk) {
    const point = sweep.points[unit.point];
    if (point === undefined) throw new RangeError(`no sweep point ${unit.point}`);
    rows.push(...runSweepPoint(sweep, point, unit.replication));
  }
  port.postMessage({ rows, runs: chunk.length } satisfies SweepUnitDone);
});

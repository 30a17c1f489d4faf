// A repro worker: makes the units of `dbss repro`'s runs it is handed (the paper's replays, or
// the hardened ring in one variant) and posts each back, with a message per run for the
// progress bar. Each unit seeds its own streams, so which worker makes it changes nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { HARDENED_VARIANTS, runHardened } from '../report/hardened.ts';
import { runAll } from '../report/run-all.ts';
import type { ExperimentRuns } from '../report/run-all.ts';

export interface ReproJob {
  seed: number;
  runs: number;
}

/** ReproUnitMessage asks for unit `unit`: 0 is the paper's replays, v + 1 the hardened variant v; null ends the worker. */
export type ReproUnitMessage = { unit: number } | null;

/** PostedExperimentRuns is ExperimentRuns with the experiment named by its id (an Experiment holds a function, which cannot be posted). */
export type PostedExperimentRuns = Omit<ExperimentRuns, 'experiment'> & { experiment: string };

export type ReproWorkerMessage = { type: 'run' } | { type: 'unit'; unit: number; value: unknown };

const port = parentPort;
if (port === null) throw new Error('repro-worker.ts runs as a worker thread');
const job = workerData as ReproJob;

/** posted names each experiment by its id. */
function posted(results: readonly ExperimentRuns[]): PostedExperimentRuns[] {
  return results.map((r) => ({ ...r, experiment: r.experiment.id }));
}

/** make runs one unit. */
function make(unit: number): unknown {
  const onRun = (): void => port!.postMessage({ type: 'run' } satisfies ReproWorkerMessage);
  if (unit === 0) {
    const paper = runAll(job.seed, job.runs, onRun);
    return { ...paper, results: posted(paper.results), bootSensitivity: posted(paper.bootSensitivity) };
  }
  const variant = HARDENED_VARIANTS[unit - 1];
  if (variant === undefined) throw new RangeError(`no repro unit ${unit}`);
  return runHardened(job.seed, job.runs, onRun, [variant])[0];
}

port.on('message', (m: ReproUnitMessage) => {
  if (m === null) return port.close();
  port.postMessage({ type: 'unit', unit: m.unit, value: make(m.unit) } satisfies ReproWorkerMessage);
});

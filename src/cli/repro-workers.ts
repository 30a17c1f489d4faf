// simulateInWorkers makes `dbss repro`'s runs on worker threads, handing the next unit (the
// paper's replays, or one hardened variant) to whichever worker is free, so that two cores share
// them. The units are put back in their own order, and
// each seeds its own streams: the output is byte for byte what one thread writes.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EXPERIMENTS } from '../paper/experiments.ts';
import type { Experiment } from '../paper/experiments.ts';
import type { ResultRow } from '../report/cells.ts';
import { HARDENED_VARIANTS } from '../report/hardened.ts';
import type { Simulate } from '../report/repro.ts';
import type { ExperimentRuns, ReproRuns } from '../report/run-all.ts';
import type { PostedExperimentRuns, ReproJob, ReproUnitMessage, ReproWorkerMessage } from './repro-worker.ts';

/** REPRO_WORKERS is the most worker threads repro starts (there are only six units, one of them long). */
export const REPRO_WORKERS = 2;

function experimentNamed(id: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.id === id);
  if (e === undefined) throw new Error(`a repro worker posted an unknown experiment ${JSON.stringify(id)}`);
  return e;
}

const restored = (results: readonly PostedExperimentRuns[]): ExperimentRuns[] => results.map((r) => ({ ...r, experiment: experimentNamed(r.experiment) }));

export const simulateInWorkers: Simulate = (seed, runs, onProgress) =>
  new Promise((resolve, reject) => {
    const units = 1 + HARDENED_VARIANTS.length;
    const values: unknown[] = [];
    let next = 0;
    let finished = 0;
    let done = 0;
    const job: ReproJob = { seed, runs };
    const count = Math.max(1, Math.min(REPRO_WORKERS, availableParallelism()));
    const workers = Array.from({ length: count }, () => new Worker(new URL('./explore/worker-bootstrap.mjs', import.meta.url), { workerData: job, env: { ...process.env, DBSS_WORKER: 'repro' } }));
    const fail = (e: unknown): void => {
      for (const w of workers) void w.terminate();
      reject(e);
    };
    // Longest first, so that no worker is left with a long unit at the end: the paper's replays
    // (about 0.5 s on one thread since runs stop once measured), then the hardened variants from
    // the last (every extension, about 0.3 s) back to the first (0.1 to 0.3 s each).
    const order = [0, ...HARDENED_VARIANTS.map((_, v) => HARDENED_VARIANTS.length - v)];
    const handOut = (w: Worker): void => w.postMessage((next < units ? { unit: order[next++] as number } : null) satisfies ReproUnitMessage);
    for (const w of workers) {
      w.on('message', (m: ReproWorkerMessage) => {
        if (m.type === 'run') return onProgress(++done);
        values[m.unit] = m.value;
        handOut(w);
        if (++finished < units) return;
        const paper = values[0] as Omit<ReproRuns, 'results' | 'bootSensitivity'> & { results: PostedExperimentRuns[]; bootSensitivity: PostedExperimentRuns[] };
        resolve({ runs: { ...paper, results: restored(paper.results), bootSensitivity: restored(paper.bootSensitivity) }, variantRows: values.slice(1) as ResultRow[][] });
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0) fail(new Error(`a repro worker exited with status ${code}`));
      });
      handOut(w);
    }
  });

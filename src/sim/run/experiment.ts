// runExperiment repeats a run with one seed per run (the paper means 10 runs) and gathers each
// fault's three times. Run i uses the seed "<seed>/run-<i>", so run 1 of any experiment with the
// same seed is the same run.
import type { Violation } from '../checkers/index.ts';
import type { TargetTimes } from './metrics.ts';
import { runOnce } from './run.ts';
import type { RunOutput } from './run.ts';
import type { RunObservation, RunSpec } from './run-spec.ts';

/** Repetitions says how many runs an experiment makes and from which seed. */
export interface Repetitions {
  seed: number;
  runs: number;
}

export interface ExperimentResult {
  traceHashes: string[];
  /** targets[f][r] is fault f's times in run r. */
  targets: TargetTimes[][];
  eventsRun: number;
  /** violations lists, per run (1-based), the invariants it broke. */
  violations: { run: number; violation: Violation & { count: number } }[];
}

/** runSeed names the seed of run i (1-based) of an experiment. */
export function runSeed(seed: number, run: number): string {
  return `${seed}/run-${run}`;
}

export function runExperiment(
  spec: RunSpec,
  repetitions: Repetitions,
  observe: RunObservation | ((run: number) => RunObservation) = {},
  onRun?: (run: number, out: RunOutput) => void,
): ExperimentResult {
  const result: ExperimentResult = { traceHashes: [], targets: spec.faults.map(() => []), eventsRun: 0, violations: [] };
  for (let run = 1; run <= repetitions.runs; run++) {
    const out = runOnce(spec, runSeed(repetitions.seed, run), typeof observe === 'function' ? observe(run) : observe);
    for (const violation of out.violations) result.violations.push({ run, violation });
    result.traceHashes.push(out.traceHash);
    out.targets.forEach((t, f) => result.targets[f]?.push(t));
    result.eventsRun += out.eventsRun;
    onRun?.(run, out);
  }
  return result;
}

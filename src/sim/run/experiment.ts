// runExperiment repeats a scenario's run with one seed per run (the paper means 10 runs) and
// gathers each fault's three times. Run i uses the seed "<seed>/run-<i>", so run 1 of any
// experiment with the same seed is the same run.
import type { Params } from '../../core/model/params.ts';
import type { RingMechanism } from '../../core/ring/mechanisms.ts';
import type { Violation } from '../checkers/index.ts';
import type { ClusterServer } from '../../paper/cluster.ts';
import type { Fault } from '../world/faults.ts';
import { runOnce } from './run.ts';
import type { Method, RunOutput } from './run.ts';
import type { TargetTimes } from './metrics.ts';
import type { SimParams } from '../sim-params.ts';

export interface ExperimentInput {
  cluster: readonly ClusterServer[];
  params: Params;
  sim: SimParams;
  faults: readonly Fault[];
  method: Method;
  seed: number;
  runs: number;
  durationUs: number | null;
  /** clientLogs keeps every service's client log in each run's output (for --logs). */
  clientLogs?: boolean;
  /** clientAccessesOfFailed keeps the failed servers' client accesses in each run's output (charts). */
  clientAccessesOfFailed?: boolean;
  /** disabled switches ring mechanisms off (scenario `disable:`). */
  disabled?: readonly RingMechanism[];
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

export function runExperiment(input: ExperimentInput, onRun?: (run: number, out: RunOutput) => void): ExperimentResult {
  const result: ExperimentResult = { traceHashes: [], targets: input.faults.map(() => []), eventsRun: 0, violations: [] };
  for (let run = 1; run <= input.runs; run++) {
    const out = runOnce({
      cluster: input.cluster,
      params: input.params,
      sim: input.sim,
      faults: input.faults,
      method: input.method,
      seed: runSeed(input.seed, run),
      ...(input.durationUs === null ? {} : { endAfterUs: input.durationUs }),
      clientLogs: input.clientLogs ?? false,
      clientAccessesOfFailed: input.clientAccessesOfFailed ?? false,
      disabled: input.disabled ?? [],
    });
    for (const violation of out.violations) result.violations.push({ run, violation });
    result.traceHashes.push(out.traceHash);
    out.targets.forEach((t, f) => result.targets[f]?.push(t));
    result.eventsRun += out.eventsRun;
    onRun?.(run, out);
  }
  return result;
}

// The wiring of `dbss sim --out DIR`: what the command knows (the scenario as read, the resolved
// run, the command line, the clock) handed to the report's run directory writer. Kept out of
// sim-command.ts so that the command stays a list of steps.
import { dbssVersion } from './version.ts';
import { eventBudgetProblem } from '../config/limits.ts';
import { scenarioParameters } from '../config/resolved-parameters.ts';
import type { Scenario } from '../config/scenario.ts';
import { RunDirectoryWriter } from '../report/run-record.ts';
import { runLengthUs } from '../sim/run/run-spec.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';
import { usToSeconds } from '../core/model/time.ts';

/**
 * MAX_TRACED_EVENTS bounds the events of one invocation with --trace: every trace line of every
 * run is kept until the runs end (about 250 bytes each in memory, 100 in trace.jsonl), so 2e6 is
 * about 500 MB at worst; a simulated day of the paper's six servers is about 6e5.
 */
export const MAX_TRACED_EVENTS = 2_000_000;

/** traceBudgetProblem says why runs are too many to trace, or null. */
export function traceBudgetProblem(spec: RunSpec, runs: number): string | null {
  const problem = eventBudgetProblem(runs, spec.cluster.length, usToSeconds(runLengthUs(spec)), usToSeconds(spec.params.monitorIntervalUs), MAX_TRACED_EVENTS);
  return problem === null ? null : `--trace keeps every event: ${problem}`;
}

/** openRunDirectory makes base/<scenario>/<now>/ and writes what is known before the first run. */
export async function openRunDirectory(
  base: string,
  scenario: Scenario,
  spec: RunSpec,
  options: { seed: number; runs: number; argv: readonly string[]; trace: boolean },
): Promise<RunDirectoryWriter> {
  const parameters = scenarioParameters(spec.params, spec.sim);
  return RunDirectoryWriter.open(
    base,
    spec,
    {
      scenario: { name: scenario.name, file: scenario.file, description: scenario.description },
      seed: options.seed,
      runs: options.runs,
      parameters: parameters.values,
      overriddenParameters: parameters.overridden,
      command: ['dbss', 'sim', ...options.argv],
      cwd: process.cwd(),
      trace: options.trace,
      dbssVersion: dbssVersion(),
    },
    scenario.text,
    new Date(),
  );
}

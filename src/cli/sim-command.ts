// `dbss sim <scenario>`: run a scenario file for its runs and report, per failed server, the
// function recovery, target recovery and client disconnection times (Sec. 5.2-5.3).
import { join } from 'node:path';
import { parseCommandLine } from '../config/command-line.ts';
import { runExperiment } from '../sim/run/experiment.ts';
import type { Method } from '../core/method.ts';
import type { TargetTimes } from '../sim/run/metrics.ts';
import { Progress } from './progress.ts';
import { loadScenarioFile } from '../config/scenario-file.ts';
import { summarizeUs, columnWidths } from '../report/stats.ts';
import type { Summary } from '../report/stats.ts';
import { UsageError } from '../config/usage-error.ts';
import { MAX_RUNS, runBudgetProblem } from '../config/limits.ts';
import { InputError } from '../core/model/input-error.ts';
import { prepareOutputDir } from '../config/output-dir.ts';
import { writeRunLogs } from '../report/run-logs.ts';
import { LATEST_LINK, safeDirName } from '../report/run-dir.ts';
import { runSeed } from '../sim/run/experiment.ts';
import { openRunDirectory, traceBudgetProblem } from './sim-run-directory.ts';
import { hardeningOf, parseIntOption, parseMethodOption } from '../config/options.ts';
import { expectationFailures } from '../sim/run/expectation.ts';
import { VerdictBuilder, verdictLines } from '../report/verdict.ts';
import type { Verdict } from '../report/verdict.ts';

export const SIM_HELP = `Usage: dbss sim <scenario.yaml> [options]

Simulate a scenario (see scenarios/) and report, for each failed server, the function
recovery, target recovery and client disconnection times of the paper (Sec. 5.2-5.3).

Options:
  --seed N        seed of the random streams (default: the scenario's, else 1)
  --runs N        number of runs (default: the scenario's, else 10)
  --method M      ring or p2p (default: the scenario's, else ring)
  --hardened      run the hardened ring: every extension (docs/hardening.md)
  --hardening L   all, none, or a comma-separated list of fencing, semResync, readmission,
                  heartbeatTrust (default: the scenario's, else none: the paper's method)
  --json          print one JSON object instead of a table
  --logs DIR      write each run's system log (with the faults) and client access logs to DIR/run-N/
  --out DIR       write a run directory DIR/<scenario>/<UTC time>/ (and DIR/<scenario>/latest):
                  the scenario, run.json (seed, parameters, version, command line), metrics.csv
                  and metrics.jsonl, and per run its logs and timeline.html and timeline.svg
  --trace         with --out, also each run's full event trace as run-N/trace.jsonl
  --untraced      run without the trace hash ("trace hash of run 1: off"). The hash records every
                  replica's copy of every SEM record, K^2 a tick on a ring of K servers; without
                  it the paper's ring and P2P run rings of thousands of servers (docs/scale.md)
  -h, --help      show this help

Exit status: 0 when every run broke no invariant and ended as the scenario's expect: block says,
1 when a run broke an invariant (also one the scenario expects) or an expectation failed (one line
each after the table says which), 2 on bad input.

Example:
  dbss sim scenarios/single-ftp-nt.yaml --runs 10 --seed 1
  make-scenario | dbss sim -      (- reads the scenario from standard input)`;

/** MetricJson is a Summary (report/stats.ts): ci95 is the interval's half-width, ciLow and ciHigh the interval (never below 0); the three are null from one run. */
type MetricJson = Summary;

export interface SimReport {
  scenario: string;
  method: Method;
  /** hardening lists the extensions of the hardened ring the runs used (none: the paper's method). */
  hardening: string[];
  seed: number;
  runs: number;
  traceHash: string;
  targets: {
    server: string;
    fault: string;
    functionRecovery: MetricJson | null;
    targetRecovery: MetricJson | null;
    clientDisconnection: MetricJson | null;
  }[];
  /** violations lists what each run broke, with the command that replays that run and writes its logs. */
  violations: { invariant: string; run: number; atS: number; detail: string; replay: string }[];
  /** verdict is the exit status and why: the invariants broken and the expectations not met (report/verdict.ts). */
  verdict: Verdict;
}

export async function simCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('sim', {
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      runs: { type: 'string' },
      method: { type: 'string' },
      hardened: { type: 'boolean', default: false },
      hardening: { type: 'string' },
      json: { type: 'boolean', default: false },
      logs: { type: 'string' },
      out: { type: 'string' },
      trace: { type: 'boolean', default: false },
      untraced: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(SIM_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`dbss sim takes one scenario file, got ${positionals.length} (see dbss sim --help)`);
  const scenario = loadScenarioFile(positionals[0] as string);
  const seed = values.seed === undefined ? scenario.seed : parseIntOption('--seed', values.seed, 0);
  const runs = values.runs === undefined ? scenario.runs : parseIntOption('--runs', values.runs, 1, MAX_RUNS);
  const method = values.method === undefined ? scenario.spec.method : parseMethodOption('--method', values.method);
  const spec = { ...scenario.spec, method, hardening: hardeningOf(values.hardened, values.hardening) ?? scenario.spec.hardening };
  if (values.trace && values.out === undefined) throw new UsageError('--trace writes into a run directory: give --out DIR too');
  if (values.trace && values.untraced) throw new UsageError('--trace keeps the trace that --untraced leaves out: give one of them');
  const logs = values.logs !== undefined || values.out !== undefined;
  const overBudget = runBudgetProblem(spec, runs, logs, !values.untraced);
  if (overBudget !== null) {
    const hint = !values.untraced && runBudgetProblem(spec, runs, logs, false) === null ? '; --untraced runs it without the trace hash, which records every replica\'s copy of every SEM record' : '';
    throw new InputError(scenario.file, null, 'simulation budget', `${overBudget}${hint}`);
  }
  const traceProblem = values.trace ? traceBudgetProblem(spec, runs) : null;
  if (traceProblem !== null) throw new UsageError(traceProblem);
  const logsDir = values.logs === undefined ? null : await prepareOutputDir('--logs', values.logs, (name) => (/^run-\d+$/.test(name) ? 'directory' : null));
  const runDir = values.out === undefined ? null : await openRunDirectory(await prepareRunBase(values.out, scenario.name), scenario, spec, { seed, runs, argv, trace: values.trace });

  const progress = new Progress(`sim ${scenario.name}`, runs);
  const pendingLogs: Promise<string[]>[] = [];
  const verdict = new VerdictBuilder(scenario.expect?.violations ?? []);
  const result = runExperiment(spec, { seed, runs }, { clientLogs: logsDir !== null || runDir !== null, keepTraceLines: values.trace, traceHash: !values.untraced }, (run, out) => {
    if (logsDir !== null) pendingLogs.push(writeRunLogs(join(logsDir, `run-${run}`), spec, out));
    runDir?.addRun(run, runSeed(seed, run), out);
    verdict.addRun(run, out.violations.map((v) => v.invariant), scenario.expect === null ? [] : expectationFailures(scenario.expect, out));
    progress.tick(run);
  });
  progress.done();
  await Promise.all(pendingLogs);
  if (runDir !== null) console.error(`run directory: ${await runDir.finish()}`);
  const firstTickUs = spec.sim.firstTickUnixS * 1_000_000;

  const report: SimReport = {
    scenario: scenario.name,
    method: spec.method,
    hardening: [...spec.hardening],
    seed,
    runs,
    traceHash: result.traceHashes[0] ?? '',
    targets: result.targets.map((perRun, f) => targetJson(perRun, spec.faults[f]?.server ?? '', spec.faults[f]?.type ?? '')),
    violations: result.violations.map(({ run, violation }) => ({
      invariant: violation.invariant,
      run,
      atS: Math.round((violation.atUs - firstTickUs) / 1000) / 1000,
      detail: violation.detail,
      replay: replayCommand(scenario.file, seed, run, values.method, values.hardened ? 'all' : values.hardening),
    })),
    verdict: verdict.verdict(),
  };
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.verdict.status;
}

/** replayCommand replays run `run` (the last of `run` runs of the same seed) and writes its system and client logs. */
function replayCommand(file: string, seed: number, run: number, method: string | undefined, hardening: string | undefined): string {
  const flags = `${method === undefined ? '' : ` --method ${method}`}${hardening === undefined ? '' : ` --hardening ${hardening}`}`;
  return `dbss sim ${file} --seed ${seed} --runs ${run}${flags} --logs logs/${seed}-run-${run}`;
}

function targetJson(perRun: readonly TargetTimes[], server: string, fault: string): SimReport['targets'][number] {
  const metric = (pick: (t: TargetTimes) => number | null): MetricJson | null => summarizeUs(perRun.map(pick));
  return {
    server,
    fault,
    functionRecovery: metric((t) => t.functionRecoveryUs),
    targetRecovery: metric((t) => t.targetRecoveryUs),
    clientDisconnection: metric((t) => t.clientDisconnectionUs),
  };
}

function cell(s: Summary | null): string {
  return s === null ? 'never' : `${s.mean.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)})`;
}

/** formatReport renders the readable table: means with the range over the runs, in seconds. */
export function formatReport(r: SimReport): string {
  const rows = [
    ['server', 'fault', 'function recovery (s)', 'target recovery (s)', 'client disconnection (s)'],
    ...r.targets.map((t) => [t.server, t.fault, cell(t.functionRecovery), cell(t.targetRecovery), cell(t.clientDisconnection)]),
  ];
  const widths = columnWidths(rows);
  const table = rows.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
  const replays = [...new Set(r.violations.map((v) => `  replay run ${v.run}: ${v.replay}`))];
  const violations = r.violations.length === 0 ? 'violations: none' : `violations:\n${r.violations.map((v) => `  run ${v.run} t=${v.atS}s ${v.invariant}: ${v.detail}`).join('\n')}\n${replays.join('\n')}`;
  const method = r.hardening.length === 0 ? r.method : `${r.method} hardened (${r.hardening.join(', ')})`;
  return `scenario ${r.scenario}  method ${method}  seed ${r.seed}  runs ${r.runs}\n${table}\n(mean over the runs, min-max in brackets)\n${violations}\ntrace hash of run 1: ${r.traceHash}\n${verdictLines(r.verdict, r.runs).join('\n')}`;
}

/** prepareRunBase prepares --out and the scenario's directory in it, whose `latest` link each invocation replaces (report/run-dir.ts). */
async function prepareRunBase(out: string, scenarioName: string): Promise<string> {
  const base = await prepareOutputDir('--out', out, (name) => (name === safeDirName(scenarioName) ? 'directory' : null));
  await prepareOutputDir('--out', join(base, safeDirName(scenarioName)), (name) => (name === LATEST_LINK ? 'link' : null));
  return base;
}

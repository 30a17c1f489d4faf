// `dbss repro`: replay the paper's experiments for both methods and write reports/ (src/report/repro.ts).
import { parseCommandLine } from '../config/command-line.ts';
import { parseIntOption } from '../config/options.ts';
import { UsageError } from '../config/usage-error.ts';
import { eventBudgetProblem, MAX_RUNS } from '../config/limits.ts';
import { HARDENINGS } from '../core/program/hardening.ts';
import { usToSeconds } from '../core/model/time.ts';
import { paperCluster } from '../paper/cluster.ts';
import { defaultParams } from '../paper/params.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import { settleUs } from '../sim/run/run-spec.ts';
import { prepareOutputDir, writesFiles } from '../config/output-dir.ts';
import { DEFAULT_OUT, DEFAULT_RUNS, DEFAULT_SEED, FILES, repro, summaryTable, totalRuns } from '../report/repro.ts';
import { hardenedSummary } from '../report/hardened.ts';
import { Progress } from './progress.ts';

export const REPRO_HELP = `Usage: dbss repro [options]

Replay every experiment of the paper for the ring and the P2P method: Table 2 upper (St, Nt on
FTP), Table 2 lower (St/Nt on FTP and Web 1) and Fig. 15 (Nt on Mail, FTP and Web 1). Writes
results.csv, table2-upper.svg, table2-lower.svg, fig15.svg, timeline-nt.svg and REPORT.md; and
the same experiments for the hardened ring (every extension alone and all of them, beside the
paper's ring and P2P, with the cost of hardening per cell) in hardened.csv and HARDENED.md.
The same seed and runs always write the same bytes.

Options:
  --out DIR       output directory (default: reports)
  --runs N        runs per experiment and method (default: 10, as in the paper)
  --seed N        seed of the random streams (default: 1)
  -h, --help      show this help

Example:
  dbss repro --seed 1 --runs 10`;

export async function reproCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('repro', {
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(REPRO_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`dbss repro takes no positional arguments, got ${JSON.stringify(positionals[0])} (see dbss repro --help)`);
  const runs = values.runs === undefined ? DEFAULT_RUNS : parseIntOption('--runs', values.runs, 1, MAX_RUNS);
  const seed = values.seed === undefined ? DEFAULT_SEED : parseIntOption('--seed', values.seed, 0);
  // Every experiment is a fault 5 s after a tick on the paper's six servers, run until it settles.
  const params = defaultParams();
  const runS = usToSeconds(settleUs(params, defaultSimParams(), HARDENINGS)) + 5;
  const overBudget = eventBudgetProblem(totalRuns(runs), paperCluster().length, runS, usToSeconds(params.monitorIntervalUs));
  if (overBudget !== null) throw new UsageError(`--runs: expected ${overBudget}`);
  const outDir = await prepareOutputDir('--out', values.out ?? DEFAULT_OUT, writesFiles(...Object.values(FILES)));
  const progress = new Progress('repro', totalRuns(runs));
  const result = await repro({ outDir, runs, seed, onProgress: (done) => progress.tick(done), onPhase: (phase) => progress.phase(phase) });
  progress.done();
  console.log(summaryTable(result.cells, result.signs));
  console.log(`\nthe hardened ring beside them (docs/hardening.md; each extension alone in HARDENED.md):\n${hardenedSummary(result.hardened)}`);
  console.log(`\nwrote:\n${result.files.map((f) => `  ${f}`).join('\n')}`);
  return 0;
}

// `dbss repro`: every experiment of the paper (Table 2 upper and lower, Fig. 15) for the ring
// and the P2P method, written as results.csv, four SVG charts and REPORT.md. The same seed and
// runs give byte-identical files; the committed reports/ is what the defaults write.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { parseIntOption } from '../config/options.ts';
import { Progress } from './progress.ts';
import { UsageError } from '../config/usage-error.ts';
import { modelAssumptions } from '../report/assumptions.ts';
import { cells, resultRows, signComparisons } from '../report/cells.ts';
import type { Cell, SignComparison } from '../report/cells.ts';
import { LIMIT_PCT } from '../report/differences.ts';
import { fixed } from '../report/format.ts';
import { METRIC_TITLE, serverTitle } from '../report/labels.ts';
import { reportMarkdown } from '../report/report-md.ts';
import { resultsCsv } from '../report/results-csv.ts';
import { runAll, totalRuns } from '../report/run-all.ts';

export const REPRO_HELP = `Usage: dbss repro [options]

Replay every experiment of the paper for the ring and the P2P method: Table 2 upper (St, Nt on
FTP), Table 2 lower (St/Nt on FTP and Web 1) and Fig. 15 (Nt on Mail, FTP and Web 1). Writes
results.csv, table2-upper.svg, table2-lower.svg, fig15.svg, timeline-nt.svg and REPORT.md.
The same seed and runs always write the same bytes.

Options:
  --out DIR       output directory (default: reports)
  --runs N        runs per experiment and method (default: 10, as in the paper)
  --seed N        seed of the random streams (default: 1)
  -h, --help      show this help

Example:
  dbss repro --seed 1 --runs 10`;

export const DEFAULT_OUT = 'reports';
export const DEFAULT_RUNS = 10;
export const DEFAULT_SEED = 1;

/** FILES names every file repro writes, relative to the output directory. */
export const FILES = {
  csv: 'results.csv',
  upper: 'table2-upper.svg',
  lower: 'table2-lower.svg',
  fig15: 'fig15.svg',
  timeline: 'timeline-nt.svg',
  report: 'REPORT.md',
} as const;

export interface ReproOptions {
  outDir: string;
  runs: number;
  seed: number;
  /** onProgress sees the runs done out of total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReproResult {
  /** files are the paths written, the output directory joined with FILES. */
  files: string[];
  cells: Cell[];
  signs: SignComparison[];
}

/** repro runs everything and writes the files; it is what `dbss repro` and the tests call. */
export async function repro(opts: ReproOptions): Promise<ReproResult> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new RangeError(`runs must be a whole number >= 1, got ${opts.runs}`);
  const total = totalRuns(opts.runs);
  const runs = runAll(opts.seed, opts.runs, (done) => opts.onProgress?.(done, total));
  const rows = resultRows(runs.results);
  const all = cells(rows);
  const signs = signComparisons(all);
  const bootCells = cells(resultRows(runs.bootSensitivity));
  // The charts load d3-node and jsdom (about 0.4 s); only repro needs them, so not every dbss command pays.
  const charts = await import('../report/svg/charts.ts');
  const { timelineSvg } = await import('../report/svg/timeline-chart.ts');
  const contents: Record<keyof typeof FILES, string> = {
    csv: resultsCsv(rows),
    upper: charts.table2UpperSvg(all, opts.runs),
    lower: charts.table2LowerSvg(all, opts.runs),
    fig15: charts.fig15Svg(all, opts.runs),
    timeline: timelineSvg(runs.timeline, opts.seed),
    report: reportMarkdown({ repro: runs, cells: all, signs, bootCells, assumptions: modelAssumptions(), files: FILES }),
  };
  await mkdir(opts.outDir, { recursive: true });
  const files = (Object.keys(FILES) as (keyof typeof FILES)[]).map((k) => join(opts.outDir, FILES[k]));
  await Promise.all((Object.keys(FILES) as (keyof typeof FILES)[]).map((k) => writeFileAtomic(join(opts.outDir, FILES[k]), contents[k])));
  return { files, cells: all, signs };
}

export async function reproCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
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
  if (values.out === '') throw new UsageError('--out: expected a directory, got an empty string');
  const outDir = values.out ?? DEFAULT_OUT;
  const runs = values.runs === undefined ? DEFAULT_RUNS : parseIntOption('--runs', values.runs, 1);
  const seed = values.seed === undefined ? DEFAULT_SEED : parseIntOption('--seed', values.seed, 0);
  const progress = new Progress('repro', totalRuns(runs));
  const result = await repro({ outDir, runs, seed, onProgress: (done) => progress.tick(done) });
  progress.done();
  console.log(summaryTable(result.cells, result.signs));
  console.log(`\nwrote:\n${result.files.map((f) => `  ${f}`).join('\n')}`);
  return 0;
}

/** summaryTable prints every Table 2 cell: paper, simulated mean and error for both methods. */
export function summaryTable(all: readonly Cell[], signs: readonly SignComparison[]): string {
  const paperCells = all.filter((c) => c.ring.paper !== null);
  const value = (r: Cell['ring']): string => (r.summary === null ? 'never' : fixed(r.summary.mean, 2));
  const err = (r: Cell['ring']): string => (r.errorPct === null ? '' : `${fixed(r.errorPct, 1)}%`);
  const rows = [
    ['experiment', 'server', 'time', 'ring paper', 'ring sim', 'err', 'P2P paper', 'P2P sim', 'err'],
    ...paperCells.map((c) => [c.experiment, serverTitle(c.server), METRIC_TITLE[c.metric].toLowerCase(), fixed(c.ring.paper ?? 0, 2), value(c.ring), err(c.ring), fixed(c.p2p.paper ?? 0, 2), value(c.p2p), err(c.p2p)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const table = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
  const errors = paperCells.flatMap((c) => [c.ring.errorPct, c.p2p.errorPct]);
  const within = errors.filter((e) => e !== null && Math.abs(e) <= LIMIT_PCT).length;
  const agree = signs.filter((s) => s.agrees).length;
  return `${table}\n(seconds; means over the runs)\nwithin ${LIMIT_PCT} % of the paper: ${within} of ${errors.length}; ring-vs-P2P sign as in the paper: ${agree} of ${signs.length}`;
}

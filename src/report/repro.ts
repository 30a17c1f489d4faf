// The paper's experiments replayed for both methods (`dbss repro`): every experiment of Table 2
// (upper and lower) and Fig. 15, written as results.csv, four SVG charts and REPORT.md, and the
// same experiments for the hardened ring beside them (hardened.ts: hardened.csv, HARDENED.md). The
// same seed and runs give byte-identical files; the committed reports/ is what the defaults write.
import { columnWidths } from './stats.ts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '../drivers/atomic-file.ts';
import { modelAssumptions } from './assumptions.ts';
import { cells, resultRows, signComparisons } from './cells.ts';
import type { Cell, SignComparison } from './cells.ts';
import { LIMIT_PCT } from './differences.ts';
import { fixed } from './format.ts';
import { METRIC_TITLE, serverTitle } from './labels.ts';
import { reportMarkdown } from './report-md.ts';
import { resultsCsv } from './results-csv.ts';
import { runAll, totalRuns as paperRuns } from './run-all.ts';
import { hardenedCells, hardenedCsv, hardenedMarkdown, hardenedRunCount, runHardened } from './hardened.ts';
import type { HardenedCell } from './hardened.ts';

/** totalRuns is how many simulated runs repro makes: the paper's replays and the hardened ring's. */
export function totalRuns(runs: number): number {
  return paperRuns(runs) + hardenedRunCount(runs);
}

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
  hardenedCsv: 'hardened.csv',
  hardened: 'HARDENED.md',
} as const;

export interface ReproOptions {
  outDir: string;
  runs: number;
  seed: number;
  /** onProgress sees the runs done out of total. */
  onProgress?: (done: number, total: number) => void;
  /** onPhase names what repro does after the runs (drawing the charts, writing the files). */
  onPhase?: (phase: string) => void;
}

export interface ReproResult {
  /** files are the paths written, the output directory joined with FILES. */
  files: string[];
  cells: Cell[];
  signs: SignComparison[];
  hardened: HardenedCell[];
}

/** repro runs everything and writes the files; it is what `dbss repro` and the tests call. */
export async function repro(opts: ReproOptions): Promise<ReproResult> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new RangeError(`runs must be a whole number >= 1, got ${opts.runs}`);
  const total = totalRuns(opts.runs);
  // The runs are made one after the other in this thread: most of their time is the JIT warming
  // up to the code, which worker threads would each pay again (measured: 0.3 s slower on two).
  let done = 0;
  const onRun = (): void => opts.onProgress?.(++done, total);
  const runs = runAll(opts.seed, opts.runs, onRun);
  const variantRows = runHardened(opts.seed, opts.runs, onRun);
  opts.onPhase?.('drawing charts');
  const rows = resultRows(runs.results);
  const all = cells(rows);
  const signs = signComparisons(all);
  const bootCells = cells(resultRows(runs.bootSensitivity));
  const hardened = hardenedCells(all, variantRows);
  // Only repro draws charts, so only repro loads their modules.
  const charts = await import('./svg/charts.ts');
  const { timelineSvg } = await import('./svg/timeline-chart.ts');
  const contents: Record<keyof typeof FILES, string> = {
    csv: resultsCsv(rows),
    upper: charts.table2UpperSvg(all, opts.runs),
    lower: charts.table2LowerSvg(all, opts.runs),
    fig15: charts.fig15Svg(all, opts.runs),
    timeline: timelineSvg(runs.timeline, opts.seed),
    report: reportMarkdown({ repro: runs, cells: all, signs, bootCells, assumptions: modelAssumptions(), files: FILES }),
    hardenedCsv: hardenedCsv(hardened),
    hardened: hardenedMarkdown(hardened, opts.seed, opts.runs),
  };
  await mkdir(opts.outDir, { recursive: true });
  await removeStaleTemps(opts.outDir, { deadWritersOnly: true }); // left by a repro killed while writing
  const files = (Object.keys(FILES) as (keyof typeof FILES)[]).map((k) => join(opts.outDir, FILES[k]));
  await Promise.all((Object.keys(FILES) as (keyof typeof FILES)[]).map((k) => writeFileAtomic(join(opts.outDir, FILES[k]), contents[k])));
  return { files, cells: all, signs, hardened };
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
  const widths = columnWidths(rows);
  const table = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
  const errors = paperCells.flatMap((c) => [c.ring.errorPct, c.p2p.errorPct]);
  const within = errors.filter((e) => e !== null && Math.abs(e) <= LIMIT_PCT).length;
  const agree = signs.filter((s) => s.agrees).length;
  return `${table}\n(seconds; means over the runs)\nwithin ${LIMIT_PCT} % of the paper: ${within} of ${errors.length}; ring-vs-P2P sign as in the paper: ${agree} of ${signs.length}`;
}

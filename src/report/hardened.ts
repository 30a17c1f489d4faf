// The cost of the hardened ring (docs/hardening.md) on the paper's experiments: every cell of
// Table 2 and Fig. 15 for the paper's ring, the ring with each extension alone, the hardened ring
// (every extension) and P2P, side by side, written as hardened.csv and HARDENED.md by `dbss repro`.
// The paper's method stays what REPORT.md replays; these runs use the same seed and runs, so a cell
// differs only by what the extension does (hardened-only steps draw from a stream of their own).
import { columnWidths } from './stats.ts';
import { stringify } from 'csv-stringify/sync';
import { HARDENINGS } from '../core/program/hardening.ts';
import type { Hardening } from '../core/program/hardening.ts';
import { runExperiment } from '../sim/run/experiment.ts';
import { EXPERIMENTS, paperSpec } from '../paper/experiments.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import { cellKey, resultRows } from './cells.ts';
import type { Cell, ResultRow } from './cells.ts';
import { fixed, seconds } from './format.ts';
import { METRIC_TITLE, serverTitle } from './labels.ts';

/** HardenedVariant is one way of running the ring: one extension alone, or all of them. */
export interface HardenedVariant {
  name: string;
  hardening: readonly Hardening[];
}

export const HARDENED_VARIANTS: readonly HardenedVariant[] = [...HARDENINGS.map((h) => ({ name: h, hardening: [h] })), { name: 'hardened', hardening: HARDENINGS }];

/** hardenedRunCount is how many runs runHardened makes. */
export function hardenedRunCount(runs: number): number {
  return EXPERIMENTS.length * HARDENED_VARIANTS.length * runs;
}

/** runHardened runs every experiment with the ring in each variant (all of them unless given); rows[v] are variant v's result rows. */
export function runHardened(seed: number, runs: number, onProgress: () => void = () => undefined, variants: readonly HardenedVariant[] = HARDENED_VARIANTS): ResultRow[][] {
  const sim = defaultSimParams();
  return variants.map((v) =>
    resultRows(
      EXPERIMENTS.map((experiment) => {
        const result = runExperiment(paperSpec('ring', experiment.faults, sim, v.hardening), { seed, runs }, { traceHash: false, stopOnceMeasured: true }, () => onProgress());
        return { experiment, method: 'ring' as const, targets: result.targets };
      }),
    ),
  );
}

/** HardenedCell is one cell with the paper's ring, each variant and P2P. */
export interface HardenedCell {
  cell: Cell;
  variants: (ResultRow | null)[];
}

export function hardenedCells(all: readonly Cell[], variantRows: readonly ResultRow[][]): HardenedCell[] {
  const byVariant = variantRows.map((rows) => new Map(rows.map((r) => [cellKey(r), r])));
  return all.map((cell) => ({ cell, variants: byVariant.map((m) => m.get(cellKey(cell)) ?? null) }));
}

const mean = (r: ResultRow | null): number | null => r?.summary?.mean ?? null;
const show = (v: number | null): string => (v === null ? 'never' : fixed(v, 2));

/** cost is the hardened ring's mean minus the paper ring's, in seconds and percent (null when either never happened). */
export function cost(c: HardenedCell): { s: number; pct: number } | null {
  const ring = mean(c.cell.ring);
  const hardened = mean(c.variants.at(-1) ?? null);
  if (ring === null || hardened === null) return null;
  return { s: hardened - ring, pct: ring === 0 ? 0 : ((hardened - ring) / ring) * 100 };
}

const costText = (c: HardenedCell): string => {
  const k = cost(c);
  return k === null ? '' : `${k.s >= 0 ? '+' : ''}${fixed(k.s, 2)} (${k.pct >= 0 ? '+' : ''}${fixed(k.pct, 1)} %)`;
};

export const HARDENED_CSV_COLUMNS = ['experiment', 'server', 'fault', 'metric', 'ring', ...HARDENED_VARIANTS.map((v) => v.name), 'p2p', 'cost_s', 'cost_pct'] as const;

export function hardenedCsv(cells: readonly HardenedCell[]): string {
  const num = (v: number | null): string => (v === null ? '' : seconds(v));
  const records = cells.map((c) => {
    const k = cost(c);
    return [c.cell.experiment, c.cell.server, c.cell.fault, c.cell.metric, num(mean(c.cell.ring)), ...c.variants.map((v) => num(mean(v))), num(mean(c.cell.p2p)), k === null ? '' : seconds(k.s), k === null ? '' : fixed(k.pct, 1)];
  });
  return stringify([[...HARDENED_CSV_COLUMNS], ...records], { record_delimiter: 'unix' });
}

export function hardenedMarkdown(cells: readonly HardenedCell[], seed: number, runs: number): string {
  const head = ['experiment', 'server', 'time', 'ring', ...HARDENED_VARIANTS.map((v) => (v.name === 'hardened' ? '**hardened ring**' : `+${v.name}`)), 'P2P', 'cost of hardening'];
  const shown = cells.filter((c) => c.cell.metric !== 'detection');
  return [
    '# The cost of the hardened ring on the paper\'s experiments',
    '',
    `Written by \`npm run repro\` (\`dbss repro --seed ${seed} --runs ${runs}\`) beside REPORT.md, which replays the paper's method unchanged.`,
    "Every cell of Table 2 and Fig. 15: the paper's ring, the ring with each extension of the hardened ring alone (docs/hardening.md), the hardened ring with all of them, and P2P; means over the runs in seconds (never: the time never came in some run). The cost is the hardened ring's mean minus the paper ring's.",
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...shown.map((c) => `| ${c.cell.experiment} | ${serverTitle(c.cell.server)} | ${METRIC_TITLE[c.cell.metric].toLowerCase()} | ${show(mean(c.cell.ring))} | ${c.variants.map((v) => show(mean(v))).join(' | ')} | ${show(mean(c.cell.p2p))} | ${costText(c)} |`),
    '',
    'hardened.csv holds the same cells with the detection time as well.',
    '',
  ].join('\n');
}

/** hardenedSummary is the column `dbss repro` prints: every cell's ring, hardened ring and P2P means and the cost. */
export function hardenedSummary(cells: readonly HardenedCell[]): string {
  const rows = [
    ['experiment', 'server', 'time', 'ring', 'hardened', 'P2P', 'cost of hardening'],
    ...cells.filter((c) => c.cell.metric !== 'detection').map((c) => [c.cell.experiment, serverTitle(c.cell.server), METRIC_TITLE[c.cell.metric].toLowerCase(), show(mean(c.cell.ring)), show(mean(c.variants.at(-1) ?? null)), show(mean(c.cell.p2p)), costText(c)]),
  ];
  const widths = columnWidths(rows);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

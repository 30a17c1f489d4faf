// summary.csv of a sweep: per point x failed server x metric, the mean over the replications with
// its 95 % confidence interval (Student's t, cut to what the metric can take: no time or count
// below 0, no availability above 1; empty from one replication), min and max, and how many
// replications never saw the event. Computed from the rows' text only, so a merged sweep
// summarises what a local one does.
import type { Sweep } from '../../sim/sweep/sweep.ts';
import { fixed } from '../format.ts';
import { NON_NEGATIVE, summarize } from '../stats.ts';
import type { Summary } from '../stats.ts';
import type { SweepMetric, SweepRow } from './sweep-rows.ts';
import { sortedRows } from './sweep-rows.ts';

export interface SweepCell {
  point: number;
  server: string;
  fault: string;
  metric: SweepMetric;
  /** runs is how many replications the cell has; summary.n of them saw the event. */
  runs: number;
  summary: Summary | null;
}

/** sweepCells groups rows by point, server, fault and metric, in the rows' canonical order. */
export function sweepCells(rows: readonly SweepRow[]): SweepCell[] {
  const groups = new Map<string, { cell: Omit<SweepCell, 'summary' | 'runs'>; values: string[] }>();
  for (const r of sortedRows(rows)) {
    const key = `${r.point}\u0000${r.server}\u0000${r.fault}\u0000${r.metric}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { cell: { point: r.point, server: r.server, fault: r.fault, metric: r.metric }, values: [] }));
    g.values.push(r.value);
  }
  return [...groups.values()].map(({ cell, values }) => ({
    ...cell,
    runs: values.length,
    // A fraction is written with 9 decimals (availability near 1 needs them); every other value with 6 at most.
    summary: summarize(values.filter((v) => v !== '').map(Number), cell.metric === 'availability' ? 9 : 6, cell.metric === 'availability' ? FRACTION : NON_NEGATIVE),
  }));
}

/** FRACTION is the range of an availability. */
const FRACTION = [0, 1] as const;

/** summaryCsv writes one line per cell: the point's axis values, then the statistics (empty when the event never happened). */
export function summaryCsv(sweep: Sweep, cells: readonly SweepCell[]): string {
  const header = ['point', ...sweep.axes.map((a) => a.name), 'server', 'fault', 'metric', 'runs', 'n', 'mean', 'ci95_low', 'ci95_high', 'min', 'max'];
  const lines = [header.join(',')];
  for (const c of cells) {
    const point = sweep.points[c.point];
    if (point === undefined) throw new Error(`a cell of point ${c.point}, which the sweep does not have`);
    const s = c.summary;
    const num = (x: number | null | undefined): string => (x == null ? '' : fixed(x, c.metric === 'availability' ? 9 : 6));
    lines.push(
      [
        String(c.point),
        ...sweep.axes.map((a, i) => a.labels[point.at[i] as number] as string),
        c.server,
        c.fault,
        c.metric,
        String(c.runs),
        String(s?.n ?? 0),
        num(s?.mean),
        num(s?.ciLow),
        num(s?.ciHigh),
        num(s?.min),
        num(s?.max),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

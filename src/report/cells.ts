// The result rows of `dbss repro`: one per experiment x method x server x metric, with the
// simulated summary over the runs, the paper's value where Table 2 has one, and the error; and
// the ring-vs-P2P comparison of every cell the paper gives for both methods.
import type { TargetTimes } from '../sim/run/metrics.ts';
import type { Method } from '../core/method.ts';
import { summarizeUs } from './stats.ts';
import type { Summary } from './stats.ts';
import type { Group } from '../paper/experiments.ts';
import { errorPct } from './format.ts';
import { METRICS } from '../paper/table2.ts';
import type { Metric } from '../paper/table2.ts';
import type { ExperimentRuns } from './run-all.ts';

export interface ResultRow {
  experiment: string;
  group: Group;
  method: Method;
  server: string;
  fault: string;
  metric: Metric;
  summary: Summary | null;
  paper: number | null;
  /** errorPct is (simulated mean - paper) / paper in percent, one decimal; null without a paper value or a simulated one. */
  errorPct: number | null;
}

/** metricUs reads one metric of one run; detection is measured from the fault. */
export function metricUs(t: TargetTimes, metric: Metric): number | null {
  switch (metric) {
    case 'function_recovery':
      return t.functionRecoveryUs;
    case 'target_recovery':
      return t.targetRecoveryUs;
    case 'client_disconnection':
      return t.clientDisconnectionUs;
    case 'detection':
      return t.detectedAtUs === null ? null : t.detectedAtUs - t.faultAtUs;
  }
}

/** resultRows flattens the runs into rows, in experiment, method, fault and metric order. */
export function resultRows(results: readonly ExperimentRuns[]): ResultRow[] {
  return results.flatMap(({ experiment, method, targets }) =>
    experiment.faults.flatMap((fault, f) =>
      METRICS.map((metric): ResultRow => {
        const summary = summarizeUs((targets[f] ?? []).map((t) => metricUs(t, metric)));
        const paper = experiment.paper(fault.server, metric)?.[method] ?? null;
        return {
          experiment: experiment.id,
          group: experiment.group,
          method,
          server: fault.server,
          fault: fault.type,
          metric,
          summary,
          paper,
          errorPct: paper === null || summary === null ? null : errorPct(summary.mean, paper),
        };
      }),
    ),
  );
}

/** Cell is one (experiment, server, metric) with its ring row and its P2P row. */
export interface Cell {
  experiment: string;
  group: Group;
  server: string;
  fault: string;
  metric: Metric;
  ring: ResultRow;
  p2p: ResultRow;
}

/** cells pairs the ring row and the P2P row of every (experiment, server, metric). */
export function cells(rows: readonly ResultRow[]): Cell[] {
  const p2p = new Map(rows.filter((r) => r.method === 'p2p').map((r) => [cellKey(r), r]));
  return rows
    .filter((r) => r.method === 'ring')
    .map((ring) => {
      const other = p2p.get(cellKey(ring));
      if (other === undefined) throw new Error(`no P2P row for ${cellKey(ring)}`);
      return { experiment: ring.experiment, group: ring.group, server: ring.server, fault: ring.fault, metric: ring.metric, ring, p2p: other };
    });
}

/** cellKey names a cell as experiment/server/metric. */
export function cellKey(c: { experiment: string; server: string; metric: Metric }): string {
  return `${c.experiment}/${c.server}/${c.metric}`;
}

/** SignComparison says whether our P2P-minus-ring difference has the paper's sign. */
export interface SignComparison {
  cell: Cell;
  paperDiff: number;
  oursDiff: number;
  agrees: boolean;
}

/**
 * signComparisons compares, for every cell with paper values for both methods, the sign of P2P
 * minus ring. A difference that rounds to zero at the CSV's 3 decimals has no sign and does not
 * count as agreeing.
 */
export function signComparisons(all: readonly Cell[]): SignComparison[] {
  const out: SignComparison[] = [];
  for (const cell of all) {
    const { ring, p2p } = cell;
    if (ring.paper === null || p2p.paper === null || ring.summary === null || p2p.summary === null) continue;
    const paperDiff = Math.round((p2p.paper - ring.paper) * 1000) / 1000;
    const oursDiff = Math.round((p2p.summary.mean - ring.summary.mean) * 1000) / 1000;
    out.push({ cell, paperDiff, oursDiff, agrees: Math.sign(oursDiff) !== 0 && Math.sign(oursDiff) === Math.sign(paperDiff) });
  }
  return out;
}

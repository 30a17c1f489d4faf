// results.csv: one row per experiment x method x server x metric, seconds with 3 decimals, the
// 95 % confidence interval of the mean as its two ends, and the signed error against the paper.
import { stringify } from 'csv-stringify/sync';
import { fixed, seconds } from './format.ts';
import type { ResultRow } from './cells.ts';

export const CSV_COLUMNS = ['experiment', 'method', 'server', 'fault', 'metric', 'runs', 'mean', 'min', 'max', 'ci95_low', 'ci95_high', 'paper', 'error_pct'] as const;

/** resultsCsv renders the rows; a metric that never happened has runs 0 and empty numbers. */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const records = rows.map((r) => {
    const s = r.summary;
    return [
      r.experiment,
      r.method,
      r.server,
      r.fault,
      r.metric,
      String(s?.n ?? 0),
      s === null ? '' : seconds(s.mean),
      s === null ? '' : seconds(s.min),
      s === null ? '' : seconds(s.max),
      s?.ciLow == null ? '' : seconds(s.ciLow),
      s?.ciHigh == null ? '' : seconds(s.ciHigh),
      r.paper === null ? '' : seconds(r.paper),
      r.errorPct === null ? '' : fixed(r.errorPct, 1),
    ];
  });
  return stringify([[...CSV_COLUMNS], ...records], { record_delimiter: 'unix' });
}

// The per-run metrics of a run directory: one row per run and fault with the paper's three times
// (Sec. 5.2-5.3) and the detection, and the invariants the run broke. The same rows are written
// as CSV (for spreadsheets and R) and as JSON Lines (for jq and pandas); a time that never
// happened is empty in the CSV and null in JSON, never 0.
import { stringify } from 'csv-stringify/sync';
import type { RunOutput } from '../sim/run/run.ts';
import { seconds } from './format.ts';

/** MetricsRow is one fault of one run; a run without faults has one row with server and fault null. */
export interface MetricsRow {
  run: number;
  seed: string;
  server: string | null;
  fault: string | null;
  /** faultAtS is the fault time after the first tick (t = 0). */
  faultAtS: number | null;
  /** detectionS is from the fault to the first failed examination (Sec. 5.2's failure detection). */
  detectionS: number | null;
  functionRecoveryS: number | null;
  targetRecoveryS: number | null;
  clientDisconnectionS: number | null;
  /** violations are the invariants the run broke (the whole run's, on each of its rows). */
  violations: { invariant: string; atS: number; detail: string; count: number }[];
}

export const METRICS_CSV_COLUMNS = [
  'run',
  'seed',
  'server',
  'fault',
  'fault_at_s',
  'detection_s',
  'function_recovery_s',
  'target_recovery_s',
  'client_disconnection_s',
  'violations',
] as const;

/** metricsRows reads one run's rows from its output. */
export function metricsRows(run: number, seed: string, out: RunOutput): MetricsRow[] {
  const s = (us: number | null): number | null => (us === null ? null : us / 1e6);
  const violations = out.violations.map((v) => ({ invariant: v.invariant, atS: (v.atUs - out.firstTickUs) / 1e6, detail: v.detail, count: v.count }));
  if (out.targets.length === 0) {
    return [{ run, seed, server: null, fault: null, faultAtS: null, detectionS: null, functionRecoveryS: null, targetRecoveryS: null, clientDisconnectionS: null, violations }];
  }
  return out.targets.map((t) => ({
    run,
    seed,
    server: t.server,
    fault: t.fault,
    faultAtS: (t.faultAtUs - out.firstTickUs) / 1e6,
    detectionS: t.detectedAtUs === null ? null : (t.detectedAtUs - t.faultAtUs) / 1e6,
    functionRecoveryS: s(t.functionRecoveryUs),
    targetRecoveryS: s(t.targetRecoveryUs),
    clientDisconnectionS: s(t.clientDisconnectionUs),
    violations,
  }));
}

/** metricsCsv renders the rows with times in seconds to the microsecond and the violated invariants joined by ";". */
export function metricsCsv(rows: readonly MetricsRow[]): string {
  const cell = (x: number | null): string => (x === null ? '' : seconds(x, 6));
  const records = rows.map((r) => [
    String(r.run),
    r.seed,
    r.server ?? '',
    r.fault ?? '',
    cell(r.faultAtS),
    cell(r.detectionS),
    cell(r.functionRecoveryS),
    cell(r.targetRecoveryS),
    cell(r.clientDisconnectionS),
    r.violations.map((v) => v.invariant).join(';'),
  ]);
  return stringify([[...METRICS_CSV_COLUMNS], ...records], { record_delimiter: 'unix' });
}

/** metricsJsonl renders one JSON object per line, each ending in a newline. */
export function metricsJsonl(rows: readonly MetricsRow[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

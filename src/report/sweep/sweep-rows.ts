// The rows of a sweep: one per point x replication x failed server x metric, as points.csv holds
// them. A row's value is text exactly as written to the file (seconds to the microsecond, or a
// count), so that a sweep run on one machine and one merged from shards summarise the same text
// and write the same bytes.
import { phaseShiftUs, pointRun } from '../../sim/sweep/sweep.ts';
import type { Sweep, SweepPoint } from '../../sim/sweep/sweep.ts';
import { InputError } from '../../core/model/input-error.ts';
import { runSeed } from '../../sim/run/experiment.ts';
import { runOnce } from '../../sim/run/run.ts';

/** SWEEP_METRICS are the times of Sec. 5.2-5.3 (and the detection) per failed server, and the invariants a run broke. */
export const SWEEP_METRICS = ['detection_s', 'function_recovery_s', 'target_recovery_s', 'client_disconnection_s', 'violations'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

export interface SweepRow {
  point: number;
  replication: number;
  /** server and fault name the failed server and its fault type; both empty for a run's violations. */
  server: string;
  fault: string;
  metric: SweepMetric;
  /** value is seconds with 6 decimals, a count for violations, or empty when the event never happened. */
  value: string;
}

/** runSweepPoint makes replication r (1-based) of a point: run r of the point's seed, faults shifted by its phase, every checker on. */
export function runSweepPoint(sweep: Pick<Sweep, 'phase' | 'seed'>, point: SweepPoint, replication: number): SweepRow[] {
  const run = pointRun(sweep, point, replication);
  const out = runOnce(run.spec, run.seed, { traceHash: false });
  const rows: SweepRow[] = [];
  const add = (server: string, fault: string, metric: SweepMetric, value: string): void => {
    rows.push({ point: point.index, replication, server, fault, metric, value });
  };
  const since = (fromUs: number | null, toUs: number | null): string => (fromUs === null || toUs === null ? '' : secondsText(toUs - fromUs));
  for (const t of out.targets) {
    add(t.server, t.fault, 'detection_s', since(t.faultAtUs, t.detectedAtUs));
    add(t.server, t.fault, 'function_recovery_s', t.functionRecoveryUs === null ? '' : secondsText(t.functionRecoveryUs));
    add(t.server, t.fault, 'target_recovery_s', t.targetRecoveryUs === null ? '' : secondsText(t.targetRecoveryUs));
    add(t.server, t.fault, 'client_disconnection_s', t.clientDisconnectionUs === null ? '' : secondsText(t.clientDisconnectionUs));
  }
  add('', '', 'violations', String(out.violations.reduce((n, v) => n + v.count, 0)));
  return rows;
}

/** secondsText writes integer microseconds as seconds with 6 decimals, exactly. */
export function secondsText(us: number): string {
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  return `${sign}${Math.floor(abs / 1e6)}.${String(abs % 1e6).padStart(6, '0')}`;
}

/** pointsCsvHeader names the columns: the point, one column per axis, then the run and the measurement. */
export function pointsCsvHeader(sweep: Sweep): string[] {
  return ['point', ...sweep.axes.map((a) => a.name), 'replication', 'seed', 'shift_s', 'server', 'fault', 'metric', 'value'];
}

/** pointsCsv writes rows in canonical order (point, replication, then as measured). No field holds a comma or a quote: names are checked, values are numbers. */
export function pointsCsv(sweep: Sweep, rows: readonly SweepRow[]): string {
  const lines = [pointsCsvHeader(sweep).join(',')];
  for (const r of sortedRows(rows)) {
    const point = sweep.points[r.point];
    if (point === undefined) throw new Error(`a row of point ${r.point}, which the sweep does not have`);
    const labels = sweep.axes.map((a, i) => a.labels[point.at[i] as number] as string);
    const shift = secondsText(phaseShiftUs(sweep, point, r.replication));
    lines.push([String(r.point), ...labels, String(r.replication), runSeed(point.seed, r.replication), shift, r.server, r.fault, r.metric, r.value].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** sortedRows orders rows by point and replication, keeping each run's own order (a stable sort). */
export function sortedRows(rows: readonly SweepRow[]): SweepRow[] {
  return [...rows].sort((a, b) => a.point - b.point || a.replication - b.replication);
}

/** parsePointsCsv reads points.csv back (a shard's, for the merge), checking it against the sweep it claims to belong to. */
export function parsePointsCsv(text: string, file: string, sweep: Sweep): SweepRow[] {
  const header = pointsCsvHeader(sweep);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== header.join(',')) throw new InputError(file, 1, 'header', `the columns ${header.join(',')}`, lines[0] ?? '');
  const metrics: readonly string[] = SWEEP_METRICS;
  return lines.slice(1).map((line, i) => {
    const lineNo = i + 2;
    const f = line.split(',');
    if (f.length !== header.length) throw new InputError(file, lineNo, 'row', `${header.length} comma-separated fields`, line);
    const point = Number(f[0]);
    const replication = Number(f[sweep.axes.length + 1]);
    const metric = f[header.length - 2] as string;
    const value = f[header.length - 1] as string;
    if (!Number.isInteger(point) || sweep.points[point] === undefined) throw new InputError(file, lineNo, 'point', `a point from 0 to ${sweep.points.length - 1}`, f[0]);
    if (!Number.isInteger(replication) || replication < 1 || replication > sweep.replications) throw new InputError(file, lineNo, 'replication', `1 to ${sweep.replications}`, f[sweep.axes.length + 1]);
    if (!metrics.includes(metric)) throw new InputError(file, lineNo, 'metric', `one of ${SWEEP_METRICS.join(', ')}`, metric);
    if (value !== '' && !/^-?\d+(\.\d{6})?$/.test(value)) throw new InputError(file, lineNo, 'value', 'seconds with 6 decimals, a count, or nothing', value);
    return { point, replication, server: f[sweep.axes.length + 4] as string, fault: f[sweep.axes.length + 5] as string, metric: metric as SweepMetric, value };
  });
}

// The rows of a sweep: one per point x replication x failed server x metric, as points.csv holds
// them. A row's value is text exactly as written to the file (seconds to the microsecond, or a
// count), so that a sweep run on one machine and one merged from shards summarise the same text
// and write the same bytes.
import { phaseShiftUs, pointRun } from '../../sim/sweep/sweep.ts';
import type { Sweep, SweepPoint } from '../../sim/sweep/sweep.ts';
import { InputError } from '../../core/model/input-error.ts';
import { runSeed } from '../../sim/run/experiment.ts';
import { runOnce } from '../../sim/run/run.ts';
import { runModel } from '../../sim/sweep/architectures.ts';
import { runLongRun } from '../../sim/sweep/long-run.ts';
import type { PointAvailability } from '../../sim/sweep/sweep.ts';

/** FAULT_METRICS are the times of Sec. 5.2-5.3 (and the detection) per failed server, and the invariants a run broke. */
export const FAULT_METRICS = ['detection_s', 'function_recovery_s', 'target_recovery_s', 'client_disconnection_s', 'violations'] as const;
/**
 * AVAILABILITY_METRICS are a long run's: per service the fraction of client accesses answered,
 * the time it did not answer scaled to a year, and its failures; per run the incidents simulated,
 * the simulated time they took, the invariants broken and the incidents the cluster never healed from.
 */
export const AVAILABILITY_METRICS = ['availability', 'downtime_s_per_year', 'failures', 'incidents', 'simulated_s', 'violations', 'unhealed'] as const;
export const SWEEP_METRICS = [...new Set([...FAULT_METRICS, ...AVAILABILITY_METRICS])];
export type SweepMetric = (typeof FAULT_METRICS)[number] | (typeof AVAILABILITY_METRICS)[number];

/** metricsOf lists the metrics a sweep's rows hold, in their order. */
export function metricsOf(sweep: Pick<Sweep, 'points'>): readonly SweepMetric[] {
  return sweep.points[0]?.availability === null ? FAULT_METRICS : AVAILABILITY_METRICS;
}

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

/** runSweepPoint makes replication r (1-based) of a point: run r of the point's seed, faults shifted by its phase, every checker on; or its long run. */
export function runSweepPoint(sweep: Pick<Sweep, 'phase' | 'seed'>, point: SweepPoint, replication: number): SweepRow[] {
  if (point.availability !== null) return availabilityRows(point, replication);
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

/** availabilityRows makes replication r of a point of an availability study: its architecture for the horizon under the fault process. */
function availabilityRows(point: SweepPoint, replication: number): SweepRow[] {
  const a = point.availability as PointAvailability;
  const seed = runSeed(point.seed, replication);
  const services = point.spec.cluster.map((c) => c.data.hostName);
  const out =
    a.architecture === 'ring' || a.architecture === 'p2p'
      ? runLongRun(point.spec, a.process, seed)
      : runModel(a.architecture, services, point.spec.params, point.spec.sim, a.process, a.operatorRepairUs, seed);
  const rows: SweepRow[] = [];
  const add = (server: string, metric: SweepMetric, value: string): void => {
    rows.push({ point: point.index, replication, server, fault: server === '' ? '' : 'process', metric, value });
  };
  const perYear = YEAR_US / a.process.horizonUs;
  for (const t of out.services) {
    add(t.server, 'availability', (t.accesses === 0 ? 1 : t.answered / t.accesses).toFixed(9));
    add(t.server, 'downtime_s_per_year', secondsText(Math.round(t.downUs * perYear)));
    add(t.server, 'failures', String(t.failures));
  }
  add('', 'incidents', String(out.incidents));
  add('', 'simulated_s', secondsText(out.simulatedUs));
  add('', 'violations', String(out.violations));
  add('', 'unhealed', String(out.unhealed));
  return rows;
}

/** YEAR_US is 365 days: downtime is reported per year of this length. */
const YEAR_US = 365 * 86_400 * 1_000_000;

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
  const rows = lines.slice(1).map((line, i): SweepRow => {
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
    const form = VALUE_FORMS[metric as SweepMetric];
    if (!form.pattern.test(value)) throw new InputError(file, lineNo, 'value', `${metric}: ${form.expected}`, value);
    // The point's values, the run's seed and its phase shift are the sweep's own: a row from another sweep is refused.
    const p = sweep.points[point] as SweepPoint;
    const expected = [...sweep.axes.map((a, k) => a.labels[p.at[k] as number] as string), String(replication), runSeed(p.seed, replication), secondsText(phaseShiftUs(sweep, p, replication))];
    const got = f.slice(1, sweep.axes.length + 4);
    const wrong = expected.findIndex((e, k) => got[k] !== e);
    if (wrong >= 0) throw new InputError(file, lineNo, header[wrong + 1] as string, `${expected[wrong]} (point ${point} of this sweep)`, got[wrong]);
    return { point, replication, server: f[sweep.axes.length + 4] as string, fault: f[sweep.axes.length + 5] as string, metric: metric as SweepMetric, value };
  });
  checkRuns(rows, file, sweep);
  return rows;
}

const SECONDS = /^\d+\.\d{6}$/;
const COUNT = /^\d{1,15}$/;
const MAYBE_SECONDS = { pattern: /^(\d+\.\d{6})?$/, expected: 'seconds with 6 decimals, or nothing when it never happened' };
const EXACT_COUNT = { pattern: COUNT, expected: 'a count' };
/** VALUE_FORMS are how runSweepPoint writes each metric's value: a value of another form was not written by dbss sweep. */
const VALUE_FORMS: Record<SweepMetric, { pattern: RegExp; expected: string }> = {
  detection_s: MAYBE_SECONDS,
  function_recovery_s: MAYBE_SECONDS,
  target_recovery_s: MAYBE_SECONDS,
  client_disconnection_s: MAYBE_SECONDS,
  violations: EXACT_COUNT,
  availability: { pattern: /^(0\.\d{9}|1\.000000000)$/, expected: 'a fraction from 0 to 1 with 9 decimals' },
  downtime_s_per_year: { pattern: SECONDS, expected: 'seconds with 6 decimals' },
  failures: EXACT_COUNT,
  incidents: EXACT_COUNT,
  simulated_s: { pattern: SECONDS, expected: 'seconds with 6 decimals' },
  unhealed: EXACT_COUNT,
};

/**
 * runKeys are the rows a run writes, in order, as server/fault/metric: per failed server of its
 * scenario its four times, then its violations; or, in a long run, per service its three figures,
 * then the run's four. They follow from the sweep alone, so a shard's rows can be checked whole.
 */
function runKeys(sweep: Sweep, point: SweepPoint, replication: number): string[] {
  const key = (server: string, fault: string, metric: string): string => `${server}/${fault}/${metric}`;
  if (point.availability !== null) {
    const services = point.spec.cluster.map((c) => c.data.hostName);
    return [...services.flatMap((s) => AVAILABILITY_METRICS.slice(0, 3).map((m) => key(s, 'process', m))), ...AVAILABILITY_METRICS.slice(3).map((m) => key('', '', m))];
  }
  const faults = pointRun(sweep, point, replication).spec.faults;
  return [...faults.flatMap((f) => FAULT_METRICS.slice(0, 4).map((m) => key(f.server, f.type, m))), key('', '', 'violations')];
}

/** checkRuns checks that each run's rows are the rows it writes, once each, in its order: none lost, repeated or renamed. */
function checkRuns(rows: readonly SweepRow[], file: string, sweep: Sweep): void {
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; ) {
    const first = rows[i] as SweepRow;
    const run = `${first.point}/${first.replication}`;
    if (seen.has(run)) throw new InputError(file, i + 2, 'row', `each run once (point ${first.point}, replication ${first.replication} came before)`, 'the run again');
    seen.add(run);
    const keys = runKeys(sweep, sweep.points[first.point] as SweepPoint, first.replication);
    keys.forEach((expected, k) => {
      const r = rows[i + k];
      const got = r === undefined || r.point !== first.point || r.replication !== first.replication ? null : `${r.server}/${r.fault}/${r.metric}`;
      if (got !== expected) throw new InputError(file, i + k + 2, 'row', `${expected.replaceAll('/', ',')} of point ${first.point}, replication ${first.replication} (the rows its run writes, in order)`, got === null ? 'the end of the run' : got.replaceAll('/', ','));
    });
    i += keys.length;
  }
}

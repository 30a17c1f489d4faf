// The results directory of a sweep, as files: the sweep and its base scenario copied in,
// points.csv, summary.csv, an SVG line chart per time metric and numeric axis (methods side by
// side, 95 % bands) and REPORT.md. Every file is a pure function of the sweep and its rows, so a
// sweep merged from shards writes the bytes one machine writes.
import { hasCommonCause } from '../../sim/sweep/sweep.ts';
import type { Sweep, SweepAxis } from '../../sim/sweep/sweep.ts';
import { fixed } from '../format.ts';
import { ciOf, clipped } from '../stats.ts';
import type { Summary } from '../stats.ts';
import { mdTable } from '../markdown.ts';
import { lineChartSvg } from '../svg/line-chart.ts';
import type { LinePanel } from '../svg/line-chart.ts';
import type { SweepMetric, SweepRow } from './sweep-rows.ts';
import { metricsOf, pointsCsv } from './sweep-rows.ts';
import { architecturesMd } from './sweep-architectures.ts';
import { sweepCells, summaryCsv } from './sweep-summary.ts';
import type { SweepCell } from './sweep-summary.ts';

const METRIC_TITLES: Record<SweepMetric, string> = {
  detection_s: 'Detection (fault to first failed examination), s',
  function_recovery_s: 'Function recovery, s',
  target_recovery_s: 'Target recovery, s',
  client_disconnection_s: 'Client disconnection, s',
  violations: 'Invariant violations per run',
  availability: 'Availability (fraction of client accesses answered)',
  downtime_s_per_year: 'Downtime per year, s',
  failures: 'Failures per replication',
  incidents: 'Incidents simulated per replication',
  simulated_s: 'Simulated time per replication (the incidents), s',
  unhealed: 'Incidents the cluster did not heal from by the horizon',
};
/**
 * chartedValue is what a chart draws of a metric: availability as its complement in accesses not
 * answered per million, since architectures 1e-5 apart would otherwise lie on one line at 1 of an
 * axis from 0; every other metric as it is.
 */
function chartedValue(metric: SweepMetric, v: number): number {
  return metric === 'availability' ? (1 - v) * 1e6 : v;
}
const UNAVAILABILITY_TITLE = 'Unavailability (client accesses not answered per million)';

/** CHARTED are the metrics drawn against each numeric axis: the times of a fault, or a long run's availability and downtime. */
const CHARTED: readonly SweepMetric[] = ['detection_s', 'function_recovery_s', 'target_recovery_s', 'client_disconnection_s', 'availability', 'downtime_s_per_year'];

/**
 * targetLabel names a failed server in tables and legends: its name, or its name and fault type
 * when one point fails it twice (a pattern of two faults on one server).
 */
function targetLabeller(cells: readonly SweepCell[]): (c: SweepCell) => string {
  const seen = new Set<string>();
  let twice = false;
  for (const c of cells) {
    if (c.metric !== 'detection_s') continue;
    const key = `${c.point}\u0000${c.server}`;
    if (seen.has(key)) twice = true;
    seen.add(key);
  }
  return (c) => (twice ? `${c.server} (${c.fault})` : c.server);
}

/** sweepOutputFiles lists the results directory's files by name, in the order they are written. */
export function sweepOutputFiles(sweep: Sweep, rows: readonly SweepRow[]): Map<string, string> {
  const cells = sweepCells(rows);
  const files = new Map<string, string>();
  files.set('sweep.yaml', sweep.text);
  files.set('scenario.yaml', sweep.baseText);
  files.set('points.csv', pointsCsv(sweep, rows));
  files.set('summary.csv', summaryCsv(sweep, cells));
  const charts: string[] = [];
  const metrics = metricsOf(sweep);
  for (const axis of sweep.axes.filter((a) => a.numeric && a.values.length > 1)) {
    for (const metric of CHARTED.filter((m) => metrics.includes(m))) {
      const name = `chart-${metric.replace(/_s$/, '')}-${axis.name}.svg`;
      files.set(name, chartSvg(sweep, cells, axis, metric));
      charts.push(name);
    }
  }
  files.set('REPORT.md', reportMd(sweep, cells, charts, metrics));
  return files;
}

/** chartSvg draws one metric against one axis: a panel per method (or one), a line per failed server and value of the other axes. */
function chartSvg(sweep: Sweep, cells: readonly SweepCell[], axis: SweepAxis, metric: SweepMetric): string {
  const xAxis = sweep.axes.indexOf(axis);
  // A study of availability draws one line per architecture, the mean over the services; a study of faults one per failed server.
  const perService = sweep.points[0]?.availability === null;
  const methodAxis = perService ? sweep.axes.findIndex((a) => a.kind === 'method') : -1;
  const panelLabels = methodAxis < 0 ? [''] : (sweep.axes[methodAxis] as SweepAxis).labels;
  const target = targetLabeller(cells);
  const panels: LinePanel[] = panelLabels.map((panelLabel, pi) => {
    const series = new Map<string, { x: number; y: number | null; ci: readonly [number, number] | null }[]>();
    for (const c of cells) {
      if (c.metric !== metric) continue;
      const point = sweep.points[c.point];
      if (point === undefined || (methodAxis >= 0 && point.at[methodAxis] !== pi)) continue;
      const others = sweep.axes
        .map((a, i) => (i === xAxis || i === methodAxis ? '' : `${a.name} ${a.labels[point.at[i] as number]}`))
        .filter((t) => t !== '');
      const label = (perService ? [target(c), ...others] : others.length > 0 ? others : [sweep.name]).join(', ');
      let s = series.get(label);
      if (s === undefined) series.set(label, (s = []));
      const m = c.summary;
      const x = axis.values[point.at[xAxis] as number] as number;
      const y = m === null ? null : chartedValue(metric, m.mean);
      const ci = ciOf(m);
      if (perService) s.push({ x, y, ci: ci === null ? null : sortedPair(chartedValue(metric, ci[0]), chartedValue(metric, ci[1])) });
      else s.push({ x, y, ci: null });
    }
    if (!perService) for (const [label, points] of series) series.set(label, meanByX(points));
    return { title: panelLabel === '' ? sweep.name : panelLabel === 'p2p' ? 'P2P' : panelLabel === 'ring' ? 'Ring' : panelLabel, series: [...series].map(([label, points]) => ({ label, points: points.sort((a, b) => a.x - b.x) })) };
  });
  return lineChartSvg({
    title: `${sweep.name}: ${metric === 'availability' ? UNAVAILABILITY_TITLE : METRIC_TITLES[metric].replace(/, s$/, '')} against ${axis.name}`,
    subtitle: perService
      ? `Means of ${sweep.replications} replications per point, 95 % confidence bands; base scenario ${baseName(sweep.baseFile)}`
      : `Means over the services of ${sweep.replications} replications per point; base scenario ${baseName(sweep.baseFile)}`,
    xLabel: axis.name,
    yLabel: metric === 'availability' ? 'not answered per million' : 'seconds',
    panels,
  });
}

/** sortedPair orders an interval's ends (a complement turns them round). */
function sortedPair(a: number, b: number): [number, number] {
  return a <= b ? [a, b] : [b, a];
}

/** meanByX averages the points of a series that share an x (the services of one point), in x order. */
function meanByX(points: readonly { x: number; y: number | null }[]): { x: number; y: number | null; ci: null }[] {
  const byX = new Map<number, number[]>();
  for (const p of points) {
    const ys = byX.get(p.x) ?? [];
    if (p.y !== null) ys.push(p.y);
    byX.set(p.x, ys);
  }
  return [...byX].map(([x, ys]) => ({ x, y: ys.length === 0 ? null : ys.reduce((a, b) => a + b, 0) / ys.length, ci: null }));
}

/** reportMd is the study's REPORT.md: what was run, how to rerun it, and a table and charts per metric. */
function reportMd(sweep: Sweep, cells: readonly SweepCell[], charts: readonly string[], metrics: readonly SweepMetric[]): string {
  const runs = sweep.points.length * sweep.replications;
  const target = targetLabeller(cells);
  const out: string[] = [`# Sweep ${sweep.name}`, ''];
  if (sweep.description !== null) out.push(sweep.description, '');
  out.push(
    '## How it was made',
    '',
    `Base scenario \`${baseName(sweep.baseFile)}\` (copied in as scenario.yaml), ${sweep.points.length} points x ${sweep.replications} replications = ${runs} simulated runs, every invariant checked. Rerun with \`dbss sweep ${sweep.file}\` (the sweep is copied in as sweep.yaml).`,
    '',
    `Each point's seed derives from the sweep's seed (${sweep.seed}) and the point's values (points.csv, column seed: the seed of each run, \`<point seed>/run-<replication>\`), so any point or shard reproduces alone: \`dbss sweep ${sweep.file} --shard I/N\` makes the points I, I+N, ... and \`dbss sweep merge\` joins shards into these files byte for byte.`,
    '',
    sweep.points[0]?.availability !== null
      ? `Faults come from the fault process of the availability: block: every server fails after exponentially distributed times (its MTBF), St or Nt by the given share, drawn from each replication's seed; the ring and P2P recover them as the protocol does.${hasCommonCause(sweep) ? ' Correlated failures: common-cause events (a host carrying several servers, a shared power feed or rack switch), exponentially spaced with their own mean time in the whole cluster, shut down commonCauseServers neighbours in the ring at one instant (Nt), as in Table 2 lower and Fig. 15; in the models they reach each service\'s first server (see the assumptions below).' : ''}`
      : sweep.phase === 'random'
      ? 'Faults fall at a random phase of the monitoring interval: every fault of a run is shifted by one offset drawn for that run from [0, interval) (points.csv, column shift_s), so that detection is measured over the interval, not at one place in it.'
      : 'Faults fall where the base scenario or the fault pattern puts them (phase: fixed).',
    '',
    '| axis | values |',
    '| --- | --- |',
    ...sweep.axes.map((a) => `| ${a.name} | ${a.labels.join(', ')} |`),
    '',
  );
  if (sweep.points[0]?.availability !== null) out.push(...architecturesMd(sweep, cells));
  for (const metric of metrics) {
    const mine = cells.filter((c) => c.metric === metric);
    const columns = [...new Set(mine.map((c) => (c.server === '' ? 'per run' : target(c))))];
    if (columns.length === 0) continue;
    out.push(`## ${METRIC_TITLES[metric]}`, '');
    out.push(COUNTS.includes(metric) ? 'Mean over the replications [min-max].' : 'Mean over the replications with its 95 % confidence interval (Student\'s t): "mean ± half-width", or "mean (95 %: low-high)" where the interval is cut at what the metric can take (no time below 0, no availability above 1), or "(one run)" where one replication gives no interval; "never (k of n)" when the event did not happen in k of the n replications.', '');
    const rows = sweep.points.map((p) => [
      ...sweep.axes.map((a, i) => a.labels[p.at[i] as number] as string),
      ...columns.map((col) => {
        const c = mine.find((x) => x.point === p.index && (x.server === '' || target(x) === col));
        return c === undefined ? '' : cellText(c);
      }),
    ]);
    out.push(mdTable([...sweep.axes.map((a) => a.name), ...columns], rows), '');
    for (const chart of charts.filter((c) => c.startsWith(`chart-${metric.replace(/_s$/, '')}-`))) out.push(`![${metric} against ${chart.replace(/^.*-|\.svg$/g, '')}](${chart})`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** COUNTS are the metrics that count things: shown with their range, not a confidence interval. */
const COUNTS: readonly SweepMetric[] = ['violations', 'failures', 'incidents', 'unhealed'];

function cellText(c: SweepCell): string {
  const s = c.summary;
  const missing = c.runs - (s?.n ?? 0);
  if (s === null) return `never (${c.runs} of ${c.runs})`;
  const main = COUNTS.includes(c.metric) ? `${fixed(s.mean, 2)} [${fixed(s.min, 0)}-${fixed(s.max, 0)}]` : meanAndInterval(s, c.metric === 'availability' ? 7 : 2);
  return missing === 0 ? main : `${main}, never (${missing} of ${c.runs})`;
}

/**
 * meanAndInterval prints "mean ± half-width", or "mean (95 %: low-high)" when the interval was cut
 * at the quantity's range (a downtime's lower end at 0), or "mean (one run)".
 */
export function meanAndInterval(s: Summary, decimals: number): string {
  if (s.ciLow === null || s.ciHigh === null || s.ci95 === null) return `${fixed(s.mean, decimals)} (one run)`;
  return clipped(s) ? `${fixed(s.mean, decimals)} (95 %: ${fixed(s.ciLow, decimals)}-${fixed(s.ciHigh, decimals)})` : `${fixed(s.mean, decimals)} ± ${fixed(s.ci95, decimals)}`;
}

function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '');
}

// Line charts for parameter studies: one panel per method side by side, sharing the y axis, the
// swept quantity on x, one line per series (a failed server, with the other axes' values), each
// point the mean over the replications and a band for its 95 % confidence interval.
import { fixed } from '../format.ts';
import { linearScale, SvgCanvas, tickLabel, ticks, tickStep } from './svg.ts';

export interface LinePoint {
  x: number;
  /** y is the mean; null where the event never happened (the line breaks there). */
  y: number | null;
  ci: readonly [number, number] | null;
}

export interface LineSeries {
  label: string;
  points: LinePoint[];
}

export interface LinePanel {
  title: string;
  series: LineSeries[];
}

export interface LineChartSpec {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  panels: LinePanel[];
}

const COLOURS = ['#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363', '#d6616b', '#8c6d31', '#17becf'];
const PANEL_W = 360;
const PANEL_LEFT = 62;
const PANEL_GAP = 30;
const TOP = 70;
const PLOT_H = 240;
const BOTTOM = 52;
const LEGEND_ROW = 16;
const TITLE_PX_PER_CHAR = 9;

/** lineChartSvg draws the panels side by side and returns the SVG text. */
export function lineChartSvg(spec: LineChartSpec): string {
  const labels = [...new Set(spec.panels.flatMap((p) => p.series.map((s) => s.label)))];
  // Wide enough for the title too (15 px bold: about 9 px a character), which one panel may not be.
  const width = Math.max(20 + spec.panels.length * (PANEL_LEFT + PANEL_W + PANEL_GAP), 24 + Math.ceil(spec.title.length * TITLE_PX_PER_CHAR));
  const height = TOP + PLOT_H + BOTTOM + labels.length * LEGEND_ROW + 8;
  const c = new SvgCanvas(width, height);
  c.text(c.root, 12, 22, spec.title, { 'font-size': 15, 'font-weight': 'bold' });
  c.text(c.root, 12, 40, spec.subtitle, { 'font-size': 11, fill: '#444444' });
  const points = spec.panels.flatMap((p) => p.series.flatMap((s) => s.points));
  const xs = points.map((p) => p.x);
  const ys = points.flatMap((p) => [p.y, ...(p.ci ?? [])]).filter((v): v is number => v !== null);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const yHi = ys.length === 0 ? 1 : Math.max(...ys) * 1.08 || 1;
  const yLo = Math.min(0, ...ys);
  const yStep = tickStep(yHi - yLo, 5);
  const xStep = tickStep(x1 - x0 || 1, 6);
  spec.panels.forEach((panel, i) => {
    const left = 12 + i * (PANEL_LEFT + PANEL_W + PANEL_GAP) + PANEL_LEFT;
    const x = linearScale([x0, x1 === x0 ? x0 + 1 : x1], [left, left + PANEL_W]);
    const y = linearScale([yLo, yHi], [TOP + PLOT_H, TOP]);
    const g = c.group();
    c.text(g, left + PANEL_W / 2, TOP - 10, panel.title, { 'text-anchor': 'middle', 'font-weight': 'bold' });
    for (const t of ticks(yLo, yHi, yStep)) {
      c.line(g, left, y(t), left + PANEL_W, y(t), '#e0e0e0');
      c.text(g, left - 6, y(t) + 4, tickLabel(t, yStep), { 'text-anchor': 'end' });
    }
    for (const t of ticks(x0, x1, xStep)) c.text(g, x(t), TOP + PLOT_H + 16, tickLabel(t, xStep), { 'text-anchor': 'middle' });
    c.line(g, left, TOP + PLOT_H, left + PANEL_W, TOP + PLOT_H, '#333333');
    c.line(g, left, TOP, left, TOP + PLOT_H, '#333333');
    c.text(g, left + PANEL_W / 2, TOP + PLOT_H + 36, spec.xLabel, { 'text-anchor': 'middle' });
    c.text(g, left - 44, TOP + PLOT_H / 2, spec.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 ${left - 44} ${TOP + PLOT_H / 2})` });
    for (const s of panel.series) {
      const colour = COLOURS[labels.indexOf(s.label) % COLOURS.length] as string;
      const band = s.points.filter((p) => p.ci !== null);
      if (band.length > 1) {
        const upper = band.map((p) => `${fixed(x(p.x), 2)},${fixed(y((p.ci as readonly [number, number])[1]), 2)}`);
        const lower = [...band].reverse().map((p) => `${fixed(x(p.x), 2)},${fixed(y((p.ci as readonly [number, number])[0]), 2)}`);
        c.el(g, 'polygon', { points: [...upper, ...lower].join(' '), fill: colour, 'fill-opacity': 0.15, stroke: 'none' });
      }
      for (const run of runsOf(s.points)) {
        if (run.length > 1) c.el(g, 'polyline', { points: run.map((p) => `${fixed(x(p.x), 2)},${fixed(y(p.y as number), 2)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 2 });
      }
      for (const p of s.points) {
        if (p.y === null) continue;
        const dot = c.el(g, 'circle', { cx: x(p.x), cy: y(p.y), r: 3, fill: colour });
        c.title(dot, `${s.label}, ${spec.xLabel} ${p.x}: ${fixed(p.y, 3)}${p.ci === null ? '' : ` (95 % CI ${fixed(p.ci[0], 3)}-${fixed(p.ci[1], 3)})`}`);
      }
    }
  });
  labels.forEach((label, i) => {
    const top = TOP + PLOT_H + BOTTOM + i * LEGEND_ROW;
    c.rect(c.root, 12 + PANEL_LEFT, top, 14, 4, COLOURS[i % COLOURS.length] as string);
    c.text(c.root, 12 + PANEL_LEFT + 20, top + 6, label);
  });
  return c.toString();
}

/** runsOf splits a series at its missing values, so the line breaks where the event never happened. */
function runsOf(points: readonly LinePoint[]): LinePoint[][] {
  const runs: LinePoint[][] = [[]];
  for (const p of points) {
    if (p.y === null) runs.push([]);
    else (runs[runs.length - 1] as LinePoint[]).push(p);
  }
  return runs;
}

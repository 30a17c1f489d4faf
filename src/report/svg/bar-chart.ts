// Grouped bar charts for the repro report: one panel per metric (each with its own seconds
// axis, since recovery times span 4 s to 83 s), one group of bars per table cell, paper bars
// beside simulated bars, and the simulated 95 % confidence interval of the mean as error bars.
import type { Selection } from './svg.ts';
import { fixed } from '../format.ts';
import { linearScale, SvgCanvas, tickLabel, ticks, tickStep } from './svg.ts';

export interface BarSeries {
  key: string;
  label: string;
  fill: string;
  stroke: string;
}

export interface Bar {
  series: string;
  /** value in seconds; null draws "never" (the event did not happen in any run). */
  value: number | null;
  /** ci is the 95 % interval of the mean, drawn as an error bar. */
  ci: readonly [number, number] | null;
}

export interface BarGroup {
  label: string;
  sublabel: string;
  bars: Bar[];
}

export interface BarPanel {
  title: string;
  yLabel: string;
  groups: BarGroup[];
}

export interface BarChartSpec {
  title: string;
  subtitle: string;
  series: BarSeries[];
  panels: BarPanel[];
}

const BAR_W = 18;
const GROUP_GAP = 26;
const PANEL_LEFT = 62;
const PANEL_GAP = 24;
const TOP = 96;
const PLOT_H = 250;
const BOTTOM = 56;

/** barChartSvg draws the panels side by side and returns the SVG text. */
export function barChartSvg(spec: BarChartSpec): string {
  const barsPerGroup = spec.series.length;
  const groupW = barsPerGroup * BAR_W + GROUP_GAP;
  const panelWidths = spec.panels.map((p) => PANEL_LEFT + p.groups.length * groupW);
  const width = Math.max(560, panelWidths.reduce((a, b) => a + b + PANEL_GAP, 20));
  const height = TOP + PLOT_H + BOTTOM;
  const c = new SvgCanvas(width, height);
  c.text(c.root, 12, 22, spec.title, { 'font-size': 15, 'font-weight': 'bold' });
  c.text(c.root, 12, 40, spec.subtitle, { 'font-size': 11, fill: '#444444' });
  drawLegend(c, spec.series, 12, 56);
  let x0 = 10;
  spec.panels.forEach((panel, i) => {
    drawPanel(c, panel, spec.series, x0, groupW);
    x0 += (panelWidths[i] ?? 0) + PANEL_GAP;
  });
  return c.toString();
}

function drawLegend(c: SvgCanvas, series: readonly BarSeries[], x: number, y: number): void {
  const g = c.group();
  let cx = x;
  for (const s of series) {
    c.rect(g, cx, y, 14, 12, s.fill, { stroke: s.stroke, 'stroke-width': 1 });
    c.text(g, cx + 19, y + 10, s.label);
    cx += 30 + s.label.length * 6.2;
  }
  c.line(g, cx, y + 1, cx + 12, y + 1, '#222222', { 'stroke-width': 1.2 });
  c.line(g, cx + 6, y + 1, cx + 6, y + 11, '#222222', { 'stroke-width': 1.2 });
  c.line(g, cx, y + 11, cx + 12, y + 11, '#222222', { 'stroke-width': 1.2 });
  c.text(g, cx + 17, y + 10, 'simulated 95 % confidence interval of the mean');
}

function drawPanel(c: SvgCanvas, panel: BarPanel, series: readonly BarSeries[], x0: number, groupW: number): void {
  const g = c.group();
  const plotX = x0 + PANEL_LEFT;
  const plotW = panel.groups.length * groupW;
  const top = panel.groups.flatMap((gr) => gr.bars.flatMap((b) => [b.value ?? 0, b.ci?.[1] ?? 0]));
  const step = tickStep(Math.max(...top, 1) * 1.12, 5);
  const yMax = Math.ceil((Math.max(...top, 1) * 1.12) / step) * step;
  const y = linearScale([0, yMax], [TOP + PLOT_H, TOP]);
  c.text(g, plotX + plotW / 2, TOP - 10, panel.title, { 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold' });
  for (const t of ticks(0, yMax, step)) {
    c.line(g, plotX, y(t), plotX + plotW, y(t), '#e6e6e6');
    c.line(g, plotX - 4, y(t), plotX, y(t), '#000000');
    c.text(g, plotX - 6, y(t) + 4, tickLabel(t, step), { 'text-anchor': 'end', 'font-size': 10 });
  }
  c.line(g, plotX, TOP, plotX, TOP + PLOT_H, '#000000');
  c.line(g, plotX, TOP + PLOT_H, plotX + plotW, TOP + PLOT_H, '#000000');
  const labelX = x0 + 14;
  const labelY = TOP + PLOT_H / 2;
  c.text(g, labelX, labelY, panel.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 ${labelX} ${labelY})`, 'font-size': 11 });
  panel.groups.forEach((group, gi) => {
    const gx = plotX + GROUP_GAP / 2 + gi * groupW;
    group.bars.forEach((bar) => drawBar(c, g, bar, series, gx, y));
    const cx = gx + (series.length * BAR_W) / 2;
    c.text(g, cx, TOP + PLOT_H + 16, group.label, { 'text-anchor': 'middle' });
    c.text(g, cx, TOP + PLOT_H + 30, group.sublabel, { 'text-anchor': 'middle', fill: '#444444' });
  });
}

function drawBar(c: SvgCanvas, g: Selection, bar: Bar, series: readonly BarSeries[], gx: number, y: (v: number) => number): void {
  const si = series.findIndex((s) => s.key === bar.series);
  const s = series[si];
  if (s === undefined) throw new Error(`bar of unknown series ${bar.series}`);
  const x = gx + si * BAR_W;
  const base = y(0);
  if (bar.value === null) {
    c.text(g, x + BAR_W / 2 + 3, base - 4, 'never', { transform: `rotate(-90 ${x + BAR_W / 2 + 3} ${base - 4})`, 'font-size': 9 });
    return;
  }
  const rect = c.rect(g, x + 1, y(bar.value), BAR_W - 2, base - y(bar.value), s.fill, { stroke: s.stroke, 'stroke-width': 1 });
  c.title(rect, `${s.label}: ${fixed(bar.value, 2)} s${bar.ci === null ? '' : ` (95 % CI ${fixed(bar.ci[0], 2)}-${fixed(bar.ci[1], 2)})`}`);
  let labelTop = y(bar.value);
  if (bar.ci !== null) {
    const mid = x + BAR_W / 2;
    const [lo, hi] = bar.ci;
    c.line(g, mid, y(lo), mid, y(hi), '#222222', { 'stroke-width': 1.2 });
    c.line(g, mid - 4, y(lo), mid + 4, y(lo), '#222222', { 'stroke-width': 1.2 });
    c.line(g, mid - 4, y(hi), mid + 4, y(hi), '#222222', { 'stroke-width': 1.2 });
    labelTop = Math.min(labelTop, y(hi));
  }
  const lx = x + BAR_W / 2 + 3;
  const ly = labelTop - 3;
  c.text(g, lx, ly, fixed(bar.value, 2), { transform: `rotate(-90 ${lx} ${ly})`, 'font-size': 9 });
}

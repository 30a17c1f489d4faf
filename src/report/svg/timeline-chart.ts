// The timeline of one simulated Nt failure of FTP drawn like the paper's Fig. 14: the client's
// OK/XX strip, each Fig. 14 system-log event at our time (filled) and the paper's (hollow), and
// the fault, detection, function recovery and target recovery marked. The time axis counts
// seconds after the fault and is broken where nothing happens (the 50 s restart wait, the boot).
import type { Selection } from './svg.ts';
import type { ClientAccess } from '../../sim/world/client.ts';
import { FIG14_CLIENT, FIG14_EVENTS } from '../../paper/fig14.ts';
import { fixed, signed } from '../format.ts';
import { METHOD_TITLE, serverTitle } from '../labels.ts';
import type { TimelineRun } from '../run-all.ts';
import { firstEventTimes } from '../timeline-events.ts';
import { SvgCanvas, tickLabel, ticks, tickStep } from './svg.ts';

const WIDTH = 1000;
const LEFT = 330;
const RIGHT = 92;
const ROW_H = 22;
const SEGMENT_GAP = 18;
/** CLUSTER_GAP_S: points further apart than this start a new axis segment. */
const CLUSTER_GAP_S = 6;
const OK = '#74c476';
const XX = '#de2d26';
const SIM = '#3182bd';
const PAPER = '#e6550d';

interface Segment {
  fromS: number;
  toS: number;
  x0: number;
  x1: number;
}

/** TimelinePoints is every time the chart draws, in seconds after the fault (null = never happened). */
interface TimelinePoints {
  events: { what: string; oursS: number | null; paperS: number }[];
  detectionS: number | null;
  functionS: number | null;
  targetS: number | null;
  accesses: { atS: number; ok: boolean }[];
}

function points(run: TimelineRun): TimelinePoints {
  const first = firstEventTimes(run);
  const detectionS = run.times.detectedAtUs === null ? null : (run.times.detectedAtUs - run.faultAtUs) / 1e6;
  const since = (us: number | null): number | null => (us === null || detectionS === null ? null : detectionS + us / 1e6);
  return {
    events: FIG14_EVENTS.map((e) => ({ what: e.what, oursS: first.get(e.event) ?? null, paperS: e.afterFaultS })),
    detectionS,
    functionS: since(run.times.functionRecoveryUs),
    targetS: since(run.times.targetRecoveryUs),
    accesses: run.clients.map((a: ClientAccess) => ({ atS: (a.atUs - run.faultAtUs) / 1e6, ok: a.ok })),
  };
}

/** segments clusters the drawn times into axis pieces, each padded by a second, sharing the plot width by duration. */
function segments(times: readonly number[]): Segment[] {
  const sorted = [...times].sort((a, b) => a - b);
  const spans: [number, number][] = [];
  for (const t of sorted) {
    const last = spans[spans.length - 1];
    if (last !== undefined && t - last[1] <= CLUSTER_GAP_S) last[1] = t;
    else spans.push([t, t]);
  }
  const padded = spans.map(([a, b]) => [Math.floor(a) - 1, Math.ceil(b) + 1] as const);
  const totalS = padded.reduce((sum, [a, b]) => sum + (b - a), 0);
  const pxPerS = (WIDTH - LEFT - RIGHT - SEGMENT_GAP * (padded.length - 1)) / totalS;
  let x = LEFT;
  return padded.map(([fromS, toS]) => {
    const seg = { fromS, toS, x0: x, x1: x + (toS - fromS) * pxPerS };
    x = seg.x1 + SEGMENT_GAP;
    return seg;
  });
}

function xOf(segs: readonly Segment[], tS: number): number | null {
  const s = segs.find((g) => tS >= g.fromS - 1e-9 && tS <= g.toS + 1e-9);
  return s === undefined ? null : s.x0 + ((tS - s.fromS) / (s.toS - s.fromS)) * (s.x1 - s.x0);
}

/** timelineSvg draws the run; every coordinate depends only on the run, so the same run gives the same bytes. */
export function timelineSvg(run: TimelineRun, seed: number): string {
  const p = points(run);
  const known = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
  const firstFailS = p.accesses.find((a) => a.atS >= 0 && !a.ok)?.atS ?? null;
  const firstOkS = firstFailS === null ? null : (p.accesses.find((a) => a.atS > firstFailS && a.ok)?.atS ?? null);
  const segs = segments([
    0,
    ...known(p.events.map((e) => e.oursS)),
    ...p.events.map((e) => e.paperS),
    ...known([p.detectionS, p.functionS, p.targetS, firstFailS, firstOkS]),
    FIG14_CLIENT.firstFailAfterFaultS,
    FIG14_CLIENT.firstOkAfterFaultS,
  ]);
  const markersTop = 96;
  const rowsTop = markersTop + 36;
  const rowCount = 2 + p.events.length;
  const axisY = rowsTop + rowCount * ROW_H + 6;
  const height = axisY + 78;
  const c = new SvgCanvas(WIDTH, height);
  const who = `${serverTitle(run.server)} shut down (Nt), ${METHOD_TITLE[run.method]}, run ${run.run} of seed ${seed}`;
  c.text(c.root, 12, 22, `Fig. 14 replayed: ${who}`, { 'font-size': 15, 'font-weight': 'bold' });
  c.text(c.root, 12, 40, 'Filled circles: our system log; hollow diamonds: the paper\'s Fig. 14. Time in seconds after the fault (13:43:05 in Fig. 14);', { fill: '#444444' });
  c.text(c.root, 12, 55, 'the axis is broken where nothing is logged (the 50 s restart wait and the boot).', { fill: '#444444' });
  drawLegend(c, 12, 68);

  const grid = c.group();
  for (const s of segs) {
    c.rect(grid, s.x0, rowsTop, s.x1 - s.x0, rowCount * ROW_H, '#fafafa', { stroke: '#dddddd' });
  }
  drawMarkers(c, segs, markersTop, axisY, [
    ['fault', 0, '#000000'],
    ['detection', p.detectionS, '#555555'],
    ['function recovery', p.functionS, SIM],
    ['target recovery', p.targetS, SIM],
  ]);
  drawClientRows(c, segs, rowsTop, p.accesses);
  c.text(c.root, WIDTH - 8, rowsTop + 2 * ROW_H - 6, 'ours - paper', { 'text-anchor': 'end', 'font-size': 10, fill: '#444444' });
  p.events.forEach((e, i) => drawEventRow(c, segs, rowsTop + (i + 2) * ROW_H, e));
  drawAxis(c, segs, axisY);
  return c.toString();
}

function drawLegend(c: SvgCanvas, x: number, y: number): void {
  const g = c.group();
  c.el(g, 'circle', { cx: x + 5, cy: y + 6, r: 4, fill: SIM });
  c.text(g, x + 14, y + 10, 'simulated');
  diamond(c, g, x + 90, y + 6);
  c.text(g, x + 99, y + 10, 'paper (Fig. 14)');
  c.rect(g, x + 200, y + 1, 14, 10, OK);
  c.text(g, x + 219, y + 10, 'client access OK');
  c.rect(g, x + 330, y + 1, 14, 10, XX);
  c.text(g, x + 349, y + 10, 'client access XX (failed)');
}

function diamond(c: SvgCanvas, g: Selection, x: number, y: number): void {
  const r = 5;
  c.el(g, 'path', { d: `M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z`, fill: 'none', stroke: PAPER, 'stroke-width': 1.6 });
}

function drawMarkers(c: SvgCanvas, segs: readonly Segment[], top: number, bottom: number, marks: [string, number | null, string][]): void {
  const g = c.group();
  marks.forEach(([label, tS, colour], i) => {
    if (tS === null) return;
    const x = xOf(segs, tS);
    if (x === null) return;
    c.line(g, x, top + 6 + (i % 2) * 14, x, bottom, colour, { 'stroke-dasharray': '4 3', 'stroke-width': 1 });
    c.text(g, x + 3, top + 4 + (i % 2) * 14, `${label} ${fixed(tS, 2)} s`, { 'font-size': 10, fill: colour });
  });
}

function drawClientRows(c: SvgCanvas, segs: readonly Segment[], top: number, accesses: TimelinePoints['accesses']): void {
  const g = c.group();
  c.text(g, LEFT - 8, top + 15, 'client of FTP, simulated: OK / XX', { 'text-anchor': 'end' });
  c.text(g, LEFT - 8, top + ROW_H + 15, 'client of FTP, Fig. 14: XX from 1.36 to 12.90 s', { 'text-anchor': 'end' });
  accesses.forEach((a, i) => {
    const endS = accesses[i + 1]?.atS ?? a.atS + 1;
    band(c, g, segs, a.atS, endS, top + 5, a.ok ? OK : XX);
  });
  const paperTop = top + ROW_H + 5;
  const first = segs[0];
  if (first === undefined) return;
  band(c, g, segs, first.fromS, FIG14_CLIENT.firstFailAfterFaultS, paperTop, OK);
  band(c, g, segs, FIG14_CLIENT.firstFailAfterFaultS, FIG14_CLIENT.firstOkAfterFaultS, paperTop, XX);
  band(c, g, segs, FIG14_CLIENT.firstOkAfterFaultS, first.toS, paperTop, OK);
}

/** band draws [fromS, toS) on every segment it overlaps, with a hairline gap between accesses. */
function band(c: SvgCanvas, g: Selection, segs: readonly Segment[], fromS: number, toS: number, y: number, fill: string): void {
  for (const s of segs) {
    const a = Math.max(fromS, s.fromS);
    const b = Math.min(toS, s.toS);
    if (b <= a) continue;
    const x0 = xOf(segs, a) ?? s.x0;
    const x1 = xOf(segs, b) ?? s.x1;
    c.rect(g, x0, y, x1 - x0 - 0.6, ROW_H - 10, fill);
  }
}

function drawEventRow(c: SvgCanvas, segs: readonly Segment[], y: number, e: TimelinePoints['events'][number]): void {
  const g = c.group();
  const mid = y + ROW_H / 2;
  c.text(g, LEFT - 8, mid + 4, e.what, { 'text-anchor': 'end' });
  const px = xOf(segs, e.paperS);
  if (px !== null) diamond(c, g, px, mid);
  const ox = e.oursS === null ? null : xOf(segs, e.oursS);
  if (ox !== null) c.el(g, 'circle', { cx: ox, cy: mid, r: 4, fill: SIM });
  const delta = e.oursS === null ? 'not logged' : `${signed(e.oursS - e.paperS, 2)} s`;
  c.text(g, WIDTH - 8, mid + 4, delta, { 'text-anchor': 'end', 'font-size': 10, fill: '#444444' });
}

function drawAxis(c: SvgCanvas, segs: readonly Segment[], y: number): void {
  const g = c.group();
  for (const s of segs) {
    c.line(g, s.x0, y, s.x1, y, '#000000');
    const step = tickStep(s.toS - s.fromS, Math.max(2, (s.x1 - s.x0) / 34));
    for (const t of ticks(s.fromS, s.toS, step)) {
      const x = xOf(segs, t);
      // A label at the edge of a break would run into the next segment's first label.
      if (x === null || (t !== s.fromS && s.x1 - x < 10) || (s !== segs[0] && x - s.x0 < 10)) continue;
      c.line(g, x, y, x, y + 4, '#000000');
      c.text(g, x, y + 16, tickLabel(t, step), { 'text-anchor': 'middle', 'font-size': 10 });
    }
  }
  segs.slice(1).forEach((s) => {
    const x = s.x0 - SEGMENT_GAP / 2;
    c.line(g, x - 5, y + 5, x - 1, y - 5, '#000000');
    c.line(g, x + 1, y + 5, x + 5, y - 5, '#000000');
  });
  c.text(g, (LEFT + WIDTH - RIGHT) / 2, y + 38, 'seconds after the fault (broken axis)', { 'text-anchor': 'middle' });
}

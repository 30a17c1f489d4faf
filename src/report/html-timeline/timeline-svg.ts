// timelineSvg draws one run's TimelineData as a plain SVG string (no DOM library: a run directory
// may hold hundreds of them). Every element placed in time carries its time in data-t (and the
// end of a span in data-t2), so that the HTML page's script can move it when the view zooms;
// every element a reader may point at carries a <title>, which a browser shows on hover in the
// static file too. The same data give the same bytes.
import { fixed } from '../format.ts';
import { axisTicks } from './axis.ts';
import type { EventKind, MarkKind, TimelineData } from './timeline-data.ts';

export const WIDTH = 1200;
export const LEFT = 150;
export const RIGHT = 20;
export const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const ROW_H = 18;
const ROWS_TOP = 118;
/** MARK_W: marks are solid bars of whole pixels, so that their colour survives anti-aliasing (the browser test counts them). */
const MARK_W = 3;

/** COLOURS: each mark has a colour no other element uses, so a screenshot can be checked for it. */
export const COLOURS = {
  ok: '#74c476',
  xx: '#de2d26',
  fault: '#7b2cbf',
  detection: '#ff7f00',
  function: '#1f5fbf',
  target: '#0b8a3e',
  violation: '#e7298a',
  other: '#8c8c8c',
  window: '#cab2d6',
} as const;

const MARK_COLOURS: Record<MarkKind, string> = { fault: COLOURS.fault, detection: COLOURS.detection, function: COLOURS.function, target: COLOURS.target, violation: COLOURS.violation };
/** Event dots are a lighter shade of their mark's colour: the meaning reads the same, the marks stay unique. */
const EVENT_COLOURS: Record<EventKind, string> = { detection: '#ffb366', function: '#7fa6e0', target: '#6cc08f', other: COLOURS.other };

export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** timelineHeight is the drawing's height for its rows. */
export function timelineHeight(d: TimelineData): number {
  return ROWS_TOP + (d.clients.length + d.logs.length) * ROW_H + 52;
}

export function timelineSvg(d: TimelineData): string {
  const height = timelineHeight(d);
  const rowsBottom = ROWS_TOP + (d.clients.length + d.logs.length) * ROW_H;
  const x = (t: number): number => Math.round(LEFT + ((t - d.fromS) / (d.toS - d.fromS)) * PLOT_WIDTH);
  const out: string[] = [];
  const attrs = `data-from="${d.fromS}" data-to="${d.toS}" data-left="${LEFT}" data-plot-width="${PLOT_WIDTH}" data-origin-us="${d.firstTickUs}" data-rows-bottom="${rowsBottom}"`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" id="timeline" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11" ${attrs}>`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">${xml(d.title)}</text>`);
  out.push(legend(10, 36));
  out.push(`<clipPath id="plot-area"><rect x="${LEFT}" y="0" width="${PLOT_WIDTH}" height="${height}"/></clipPath>`);
  const rowY = (i: number): number => ROWS_TOP + i * ROW_H;
  d.clients.forEach((c, i) => out.push(label(rowY(i), `client of ${c.server}`)));
  d.logs.forEach((l, i) => out.push(label(rowY(d.clients.length + i), `log of ${l.server}`)));
  out.push(`<rect x="${LEFT}" y="${ROWS_TOP}" width="${PLOT_WIDTH}" height="${rowsBottom - ROWS_TOP}" fill="#fafafa" stroke="#dddddd"/>`);
  out.push(`<g clip-path="url(#plot-area)">`);
  for (const w of d.windows) {
    out.push(`<rect class="t" data-t="${w.fromS}" data-t2="${w.toS}" x="${x(w.fromS)}" y="${ROWS_TOP}" width="${Math.max(1, x(w.toS) - x(w.fromS))}" height="${rowsBottom - ROWS_TOP}" fill="${COLOURS.window}" fill-opacity="0.35"><title>${xml(w.tip)}</title></rect>`);
  }
  d.clients.forEach((c, i) => {
    for (const b of c.bands) {
      const what = `client of ${c.server}: ${b.ok ? 'OK' : 'XX'} from ${fixed(b.fromS, 2)} to ${fixed(b.toS, 2)} s (${b.accesses} access${b.accesses === 1 ? '' : 'es'})`;
      out.push(`<rect class="t" data-t="${b.fromS}" data-t2="${b.toS}" x="${x(b.fromS)}" y="${rowY(i) + 4}" width="${Math.max(1, x(b.toS) - x(b.fromS))}" height="${ROW_H - 8}" fill="${b.ok ? COLOURS.ok : COLOURS.xx}"><title>${xml(what)}</title></rect>`);
    }
  });
  d.logs.forEach((l, i) => {
    const cy = rowY(d.clients.length + i) + ROW_H / 2;
    for (const e of l.events) out.push(`<circle class="t" data-t="${e.atS}" cx="${x(e.atS)}" cy="${cy}" r="3.5" fill="${EVENT_COLOURS[e.kind]}"><title>${xml(e.tip)}</title></circle>`);
  });
  d.marks.forEach((m, i) => {
    const colour = MARK_COLOURS[m.kind];
    const labelY = 78 + (i % 3) * 13;
    out.push(`<rect class="t mark" data-t="${m.atS}" x="${x(m.atS) - 1}" y="${labelY + 3}" width="${MARK_W}" height="${rowsBottom - labelY - 3}" fill="${colour}"><title>${xml(m.tip)}</title></rect>`);
    out.push(`<text class="t" data-t="${m.atS}" x="${x(m.atS) + 4}" y="${labelY}" fill="${colour}" font-size="10">${xml(m.label)}</text>`);
  });
  out.push(`</g>`);
  out.push(axis(d, rowsBottom, x));
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}

function label(y: number, text: string): string {
  return `<text x="${LEFT - 8}" y="${y + ROW_H / 2 + 4}" text-anchor="end">${xml(text)}</text>`;
}

function legend(x0: number, y: number): string {
  const items: [string, string][] = [
    [COLOURS.ok, 'client access OK'],
    [COLOURS.xx, 'client access XX'],
    [COLOURS.fault, 'fault'],
    [COLOURS.detection, 'detection'],
    [COLOURS.function, 'function recovery'],
    [COLOURS.target, 'target recovery'],
    [COLOURS.violation, 'invariant broken'],
    [COLOURS.other, 'other log event'],
  ];
  let x = x0;
  const parts: string[] = [];
  for (const [colour, text] of items) {
    parts.push(`<rect x="${x}" y="${y}" width="12" height="10" fill="${colour}"/><text x="${x + 16}" y="${y + 9}">${xml(text)}</text>`);
    x += 30 + text.length * 6;
  }
  return `<g>${parts.join('')}</g>`;
}

/** axis draws the time axis; the HTML page's script redraws it (id "axis") for each view. */
function axis(d: TimelineData, y: number, x: (t: number) => number): string {
  const parts = [`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_WIDTH}" y2="${y}" stroke="#000000"/>`];
  for (const { t, text } of axisTicks(d.fromS, d.toS, PLOT_WIDTH)) {
    parts.push(`<line x1="${x(t)}" y1="${y}" x2="${x(t)}" y2="${y + 4}" stroke="#000000"/><text x="${x(t)}" y="${y + 16}" text-anchor="middle" font-size="10">${text}</text>`);
  }
  parts.push(`<text x="${LEFT + PLOT_WIDTH / 2}" y="${y + 36}" text-anchor="middle">seconds after the first tick (t = 0)</text>`);
  return `<g id="axis" data-y="${y}">${parts.join('')}</g>`;
}

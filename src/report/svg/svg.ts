// A small deterministic SVG canvas: every coordinate rounded to 2 decimals, fixed fonts and
// sizes, no generated ids, so that the same numbers always give the same bytes. Scales and ticks
// are computed here rather than with d3-scale so that their rounding is ours; the elements are
// plain values (svg-element.ts) rather than a DOM.
import { SVG_NS, SvgElement } from './svg-element.ts';

/** Selection is an element being drawn into (the name the charts have used since d3-node). */
export type Selection = SvgElement;

export const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';

/** r2 rounds a coordinate to 2 decimals and never returns -0. */
export function r2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? 0 : r;
}

type Attrs = Record<string, string | number>;

/** SvgCanvas is one SVG document being drawn. */
export class SvgCanvas {
  readonly root: Selection;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.root = new SvgElement('svg').attr('xmlns', SVG_NS).attr('width', width).attr('height', height);
    this.root.attr('viewBox', `0 0 ${width} ${height}`).attr('font-family', FONT).attr('font-size', 11);
    this.el(this.root, 'rect', { x: 0, y: 0, width, height, fill: '#ffffff' });
  }

  /** el appends an element to parent with attributes, numbers rounded to 2 decimals. */
  el(parent: Selection, name: string, attrs: Attrs): Selection {
    const node = parent.append(name);
    for (const [k, v] of Object.entries(attrs)) node.attr(k, typeof v === 'number' ? r2(v) : v);
    return node;
  }

  group(parent: Selection = this.root): Selection {
    return parent.append('g');
  }

  line(parent: Selection, x1: number, y1: number, x2: number, y2: number, stroke: string, extra: Attrs = {}): Selection {
    return this.el(parent, 'line', { x1, y1, x2, y2, stroke, ...extra });
  }

  rect(parent: Selection, x: number, y: number, width: number, height: number, fill: string, extra: Attrs = {}): Selection {
    return this.el(parent, 'rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), fill, ...extra });
  }

  text(parent: Selection, x: number, y: number, content: string, extra: Attrs = {}): Selection {
    return this.el(parent, 'text', { x, y, ...extra }).text(content);
  }

  /** title adds a hover text (and an accessible name) to an element. */
  title(parent: Selection, content: string): void {
    parent.append('title').text(content);
  }

  toString(): string {
    return `${this.root.toString()}\n`;
  }
}

/** LinearScale maps a domain onto a range linearly. */
export interface LinearScale {
  (value: number): number;
  domain: readonly [number, number];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 === 0 ? 1 : d1 - d0;
  const scale = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as LinearScale;
  scale.domain = domain;
  return scale;
}

/** tickStep picks 1, 2 or 5 times a power of ten so that span holds about count ticks. */
export function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  const mult = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return mult * power;
}

/** ticks lists the multiples of step from lo to hi, rounded to the step's decimals. */
export function ticks(lo: number, hi: number, step: number): number[] {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + 1e-9; i++) out.push(Number((i * step).toFixed(decimals)));
  return out;
}

/** tickLabel prints a tick value with the step's decimals. */
export function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

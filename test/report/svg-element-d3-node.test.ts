// d3-node is the oracle of the charts' element tree: the charts were drawn into d3-node's jsdom
// until its loading cost most of `dbss repro`'s start-up (src/report/svg/svg-element.ts). Any
// sequence of the operations the charts use (append, attr, text), made on both, must serialise to
// the same bytes, so that the committed reports stay what d3-node would have written.
import fc from 'fast-check';
import { D3Node } from 'd3-node';
import { describe, expect, it } from 'vitest';
import { SVG_NS, SvgElement } from '../../src/report/svg/svg-element.ts';

type Op = { kind: 'append'; at: number; name: string } | { kind: 'attr'; at: number; name: string; value: string } | { kind: 'text'; at: number; value: string };

/** d3Like is the part of a d3 selection the operations use. */
interface D3Like {
  append(name: string): D3Like;
  attr(name: string, value: string): D3Like;
  text(value: string): D3Like;
  node(): { outerHTML: string };
}

const ELEMENT_NAMES = ['g', 'rect', 'line', 'path', 'text', 'tspan', 'title', 'circle', 'linearGradient', 'clipPath', 'foreignObject'];
const ATTRIBUTE_NAMES = ['x', 'y', 'width', 'fill', 'stroke-width', 'font-family', 'text-anchor', 'viewBox', 'd', 'class', 'data-at'];
/** TEXT mixes plain characters with every one parse5 escapes somewhere (&, no-break space, <, >, ") and other non-ASCII. */
const TEXT = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '.', '&', '\u00a0', '<', '>', '"', "'", '=', 'é', '→', '\n'), maxLength: 12 });

const OPS = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('append' as const), at: fc.nat(), name: fc.constantFrom(...ELEMENT_NAMES) }),
    fc.record({ kind: fc.constant('attr' as const), at: fc.nat(), name: fc.constantFrom(...ATTRIBUTE_NAMES), value: TEXT }),
    fc.record({ kind: fc.constant('text' as const), at: fc.nat(), value: TEXT }),
  ),
  { maxLength: 40 },
);

/** play applies the operations to a root of either kind; at picks among the elements made so far. */
function play<E extends { append(name: string): E; attr(name: string, value: string): E; text(value: string): E }>(root: E, ops: readonly Op[]): void {
  const made: E[] = [root];
  for (const op of ops) {
    const el = made[op.at % made.length] as E;
    if (op.kind === 'append') made.push(el.append(op.name));
    else if (op.kind === 'attr') el.attr(op.name, op.value);
    else el.text(op.value);
  }
}

describe('the SVG element tree against d3-node', () => {
  it('serialises any sequence of appends, attributes and texts byte for byte as d3-node does', () => {
    const d3n = new D3Node();
    fc.assert(
      fc.property(OPS, (ops) => {
        const theirs = (d3n.d3.select(d3n.document.body).append('svg') as D3Like).attr('xmlns', SVG_NS);
        const ours = new SvgElement('svg').attr('xmlns', SVG_NS);
        play(theirs, ops);
        play(ours, ops);
        const expected = theirs.node().outerHTML;
        (theirs as unknown as { remove(): void }).remove();
        expect(ours.toString()).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

// The charts' element tree serialises as jsdom did for d3-node (parse5's HTML rules for SVG
// elements), so that the committed reports/ stay byte for byte what `dbss repro` writes.
import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText, SvgElement } from '../../src/report/svg/svg-element.ts';
import { SvgCanvas } from '../../src/report/svg/svg.ts';

describe('the SVG element tree of the charts', () => {
  it('writes every element with an end tag and its attributes in the order first set', () => {
    const g = new SvgElement('g').attr('fill', 'red').attr('x', 1.5);
    g.append('rect').attr('width', 2);
    g.attr('fill', 'blue');
    expect(g.toString()).toBe('<g fill="blue" x="1.5"><rect width="2"></rect></g>');
  });

  it('escapes text as parse5 does: ampersand, no-break space, less-than and greater-than, but not quotes', () => {
    expect(escapeText('a & b < c > d "e" \u00a0')).toBe('a &amp; b &lt; c &gt; d "e" &nbsp;');
    expect(new SvgElement('title').text('Nt < 5 s & "Mail"').toString()).toBe('<title>Nt &lt; 5 s &amp; "Mail"</title>');
  });

  it('escapes attribute values as parse5 does: ampersand, no-break space and double quotes, but not angle brackets', () => {
    expect(escapeAttribute('a & "b" <c>\u00a0')).toBe('a &amp; &quot;b&quot; <c>&nbsp;');
  });

  it('replaces the children when text is set, and keeps the text when a child is appended after it, as the DOM does', () => {
    const t = new SvgElement('text');
    t.append('tspan');
    expect(t.text('x').toString()).toBe('<text>x</text>');
    t.append('tspan').text('y');
    expect(t.toString()).toBe('<text>x<tspan>y</tspan></text>');
  });

  it('refuses names that would break the markup', () => {
    expect(() => new SvgElement('g onload="x"')).toThrow(TypeError);
    expect(() => new SvgElement('g').attr('x"y', 1)).toThrow(TypeError);
  });

  it('opens a canvas as d3-node did: the namespace, the size, the view box, the font and a white background', () => {
    const canvas = new SvgCanvas(20, 10);
    expect(canvas.toString()).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" viewBox="0 0 20 10" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="11">' +
        '<rect x="0" y="0" width="20" height="10" fill="#ffffff"></rect></svg>\n',
    );
  });
});

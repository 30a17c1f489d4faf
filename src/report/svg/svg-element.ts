// SvgElement is the element tree the charts draw into, serialised the way d3-node serialised it
// (jsdom's outerHTML of an SVG element in an HTML document: parse5's rules), so that the files
// stay byte for byte what they were. The charts only append elements, set attributes and text;
// jsdom built a whole browser DOM for that and took about 0.4 s to load, most of `dbss repro`'s
// start-up.

/** SVG_NS is the namespace the root element declares. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** escapeText escapes a text node as parse5 6 does: &, no-break space, < and >. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** escapeAttribute escapes an attribute value as parse5 6 does: &, no-break space and ". */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/"/g, '&quot;');
}

/** SvgElement is one element: its attributes in the order first set, then its children (elements and text). */
export class SvgElement {
  private readonly attrs = new Map<string, string>();
  private children: (SvgElement | string)[] = [];

  constructor(readonly name: string) {
    if (!/^[a-zA-Z][a-zA-Z0-9-]*$/.test(name)) throw new TypeError(`invalid SVG element name ${JSON.stringify(name)}`);
  }

  /** append adds a child element at the end and returns it (after any text, as appendChild does). */
  append(name: string): SvgElement {
    const child = new SvgElement(name);
    this.children.push(child);
    return child;
  }

  /** attr sets an attribute; setting it again keeps its place, as setAttribute does. */
  attr(name: string, value: string | number): SvgElement {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/.test(name)) throw new TypeError(`invalid SVG attribute name ${JSON.stringify(name)}`);
    this.attrs.set(name, String(value));
    return this;
  }

  /** text replaces the children with text, as d3's selection.text does (textContent; empty text leaves none). */
  text(value: string): SvgElement {
    this.children = value === '' ? [] : [value];
    return this;
  }

  /** toString serialises the element: SVG elements always get an end tag in HTML serialisation. */
  toString(): string {
    const attrs = [...this.attrs].map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
    const inner = this.children.map((c) => (typeof c === 'string' ? escapeText(c) : c.toString())).join('');
    return `<${this.name}${attrs}>${inner}</${this.name}>`;
  }
}

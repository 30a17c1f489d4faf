// Types for the part of d3-node (and of the d3 selection it hands out) that the repro charts
// use. d3-node ships no types and @types/d3 is not installed; the charts only append elements,
// set attributes and text, and serialise the SVG.
declare module 'd3-node' {
  export interface Selection {
    append(name: string): Selection;
    attr(name: string, value: string | number): Selection;
    text(value: string): Selection;
  }

  export class D3Node {
    constructor(options?: { styles?: string });
    createSVG(width: number, height: number, attrs?: Record<string, string | number>): Selection;
    svgString(): string;
  }
}

// d3-node ships no types; the SVG oracle test (test/report/svg-element-d3-node.test.ts) uses only this.
declare module 'd3-node' {
  export class D3Node {
    constructor(options?: Record<string, unknown>);
    readonly document: { body: unknown };
    readonly d3: { select(node: unknown): { append(name: string): unknown } };
  }
}

// Where a default comes from, for the report's "Model assumptions" section (src/report/assumptions.ts).

/**
 * SourceKind: "paper" is a value printed in Table 1 or the text; "figure" is read off the system
 * log of Fig. 14 (one Nt run); "derived" is computed from the paper's numbers by a reading of
 * ours; "assumption" is a value the paper does not give.
 */
export type SourceKind = 'paper' | 'figure' | 'derived' | 'assumption';

export interface ParamSource {
  kind: SourceKind;
  reason: string;
}

export const paper = (reason: string): ParamSource => ({ kind: 'paper', reason });
export const figure = (reason: string): ParamSource => ({ kind: 'figure', reason });
export const derived = (reason: string): ParamSource => ({ kind: 'derived', reason });
export const assumption = (reason: string): ParamSource => ({ kind: 'assumption', reason });

/** paramSource classifies a PARAM_SOURCES text (params.ts): "assumption: ..." or a citation of the paper. */
export function paramSource(text: string): ParamSource {
  const prefix = 'assumption: ';
  return text.startsWith(prefix) ? assumption(text.slice(prefix.length)) : paper(text);
}

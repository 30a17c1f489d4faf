// Explanations of the mechanisms behind the findings of `npm run explore`, keyed by
// "<method>:<invariant>", written after replaying each finding with `dbss sim --logs`.

export interface Explanation {
  mechanism: string;
  paper: string;
}

export const EXPLANATIONS: Readonly<Record<string, Explanation>> = {};

// The report's "Model assumptions" section: every parameter whose default the paper does not print,
// with its source, from src/paper/params.ts (PARAM_SOURCES) and src/paper/testbed.ts
// (SIM_PARAM_SOURCES, which mirrors the doc comments of src/sim/sim-params.ts).
import type { Params } from '../core/model/params.ts';
import { defaultParams, PARAM_SOURCES } from '../paper/params.ts';
import { paramSource } from '../paper/sources.ts';
import type { SourceKind } from '../paper/sources.ts';
import { defaultSimParams, SIM_PARAM_SOURCES } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import { fixed } from './format.ts';

/** ModelAssumption is one line of the report's "Model assumptions" section. */
export interface ModelAssumption {
  owner: 'Params' | 'SimParams';
  name: string;
  value: string;
  kind: SourceKind;
  reason: string;
}

/** modelAssumptions lists every parameter whose default is an assumption, a figure reading or a derivation. */
export function modelAssumptions(params: Params = defaultParams(), sim: SimParams = defaultSimParams()): ModelAssumption[] {
  const core = (Object.keys(PARAM_SOURCES) as (keyof Params)[]).map((name): ModelAssumption => {
    const source = paramSource(PARAM_SOURCES[name]);
    return { owner: 'Params', name, value: formatParam(name, params[name]), ...source };
  });
  const world = (Object.keys(SIM_PARAM_SOURCES) as (keyof SimParams)[]).map((name): ModelAssumption => {
    const source = SIM_PARAM_SOURCES[name];
    return { owner: 'SimParams', name, value: formatParam(name, sim[name]), ...source };
  });
  return [...core, ...world].filter((a) => a.kind !== 'paper');
}

/** formatParam prints a parameter value in the unit its name carries (Us, Kb, BytesPerS, Pct, Fraction, UnixS). */
export function formatParam(name: string, value: number | Record<string, number>): string {
  if (typeof value !== 'number') {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${formatParam('valueUs', v)}`)
      .join(', ');
  }
  if (name.endsWith('Us')) return `${trimZeros(fixed(value / 1e6, 3))} s`;
  if (name.endsWith('Kb')) return `${value / 1024} MB`;
  if (name.endsWith('BytesPerS')) return `${value} B/s`;
  if (name.endsWith('Pct')) return `${value} %`;
  if (name.endsWith('Fraction')) return `${value} (${trimZeros(fixed(value * 100, 1))} %)`;
  if (name.endsWith('UnixS')) return `${value} (${new Date(value * 1000).toISOString().replace('.000Z', 'Z')})`;
  return String(value);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

// The parameters a run used, by the names a scenario file gives them (`parameters:`), so that a
// run directory's run.json can be pasted back into a scenario: times in seconds as the paper
// writes them (Table 1), counts and fractions as they are. config owns these names
// (parameters.ts); the report only writes what it is handed.
import type { Params } from '../core/model/params.ts';
import { usToSeconds } from '../core/model/time.ts';
import { defaultParams } from '../paper/params.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import { PARAMETER_NAMES } from './parameters.ts';

export type ParameterValue = number | Record<string, number>;

/** ResolvedParameterNames is every parameter by its scenario name, and the names whose value is not the paper's default. */
export interface ResolvedParameterNames {
  values: Record<string, ParameterValue>;
  overridden: string[];
}

/**
 * scenarioParameters names every value of params and sim as `parameters:` would: a field ending
 * in Us loses the suffix and is given in seconds; serviceExamUsByDaemon is serviceExamByDaemon.
 */
export function scenarioParameters(params: Params, sim: SimParams): ResolvedParameterNames {
  const given = valuesOf(params, sim);
  const defaults = valuesOf(defaultParams(), defaultSimParams());
  const overridden = Object.keys(given).filter((name) => JSON.stringify(given[name]) !== JSON.stringify(defaults[name]));
  return { values: given, overridden };
}

function valuesOf(params: Params, sim: SimParams): Record<string, ParameterValue> {
  const fields: Record<string, unknown> = { ...sim, ...params };
  const out: Record<string, ParameterValue> = {};
  for (const name of PARAMETER_NAMES) {
    if (name === 'serviceExamByDaemon') {
      const byDaemon = Object.entries(sim.serviceExamUsByDaemon).sort(([a], [b]) => a.localeCompare(b));
      out[name] = Object.fromEntries(byDaemon.map(([daemon, us]) => [daemon, usToSeconds(us)]));
      continue;
    }
    const us = fields[`${name}Us`];
    const plain = fields[name];
    if (typeof us === 'number') out[name] = usToSeconds(us);
    else if (typeof plain === 'number') out[name] = plain;
    else throw new Error(`scenarioParameters: ${name} names no numeric field of Params or SimParams`);
  }
  return out;
}

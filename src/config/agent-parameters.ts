// agent.yaml's `parameters:`, held to the scenario files' rules (config/parameters.ts): the same
// names, in seconds, the same ranges and the same relations between them, so that a value the
// simulator refuses is refused by the agent too, with the same words.
import { PARAM_KEYS, paramConfigKey, type AgentConfig } from '../agent/config.ts';
import type { InputError } from '../core/model/input-error.ts';
import type { Params } from '../core/model/params.ts';
import { defaultParams } from '../paper/params.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import { followInterval, parameterRelationProblems } from './parameter-relations.ts';
import { paramValueProblem } from './parameters.ts';
import type { YamlSource } from './yaml-source.ts';

/**
 * agentParameterProblems checks each overridden value's range, then the relations between them
 * (each broken relation reported at the overridden parameter it names), and lets the parameters
 * that follow the monitoring interval follow it in config.params, as a scenario's do.
 */
export function agentParameterProblems(source: YamlSource, config: AgentConfig): InputError[] {
  const raw = ((source.value as { parameters?: Record<string, number> }).parameters ?? {}) as Record<string, number>;
  const given = (field: keyof Params): boolean => raw[paramConfigKey(field)] !== undefined;
  const problems: InputError[] = [];
  for (const field of PARAM_KEYS) {
    const key = paramConfigKey(field);
    const value = raw[key];
    const problem = value === undefined ? null : paramValueProblem(field, value);
    if (problem !== null) problems.push(source.error(['parameters', key], problem));
  }
  if (problems.length > 0) return problems;
  const resolved = { ...defaultParams(), ...config.params };
  followInterval(resolved, given);
  for (const problem of parameterRelationProblems(resolved, defaultSimParams(), (field) => paramConfigKey(field as keyof Params))) {
    const blamed = problem.blame.find((b) => given(b.field as keyof Params));
    if (blamed !== undefined) problems.push(source.error(['parameters', paramConfigKey(blamed.field as keyof Params)], blamed.expected));
  }
  config.params = { ...config.params, internalMonitorOffsetUs: resolved.internalMonitorOffsetUs, heartbeatStaleUs: resolved.heartbeatStaleUs };
  return problems;
}

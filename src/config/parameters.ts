// Parameter overrides of a scenario file (`parameters:`): every protocol parameter (Params) and
// every numeric world parameter (SimParams) by its name without the Us suffix, times in seconds
// as the paper writes them (Table 1), converted to integer microseconds.
import type { InputError } from '../core/model/input-error.ts';
import { defaultParams } from '../paper/params.ts';
import type { Params } from '../core/model/params.ts';
import { secondsToUs } from '../core/model/time.ts';
import { isDaemonName } from '../core/model/validate.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import type { YamlPath, YamlSource } from './yaml-source.ts';
import { MAX_FIRST_TICK_UNIX_S, MAX_PARAMETER_S, MIN_PERIOD_S } from './limits.ts';
import { followInterval, parameterRelationProblems } from './parameter-relations.ts';

type NumericKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];
/** PlainKey is a numeric field whose name does not end in Us: a count, fraction or size, not a time. */
type PlainKey<T> = Exclude<NumericKey<T>, `${string}Us`>;

/** MAX_LOAD_SAMPLES bounds the load measurements per step (each is a measurement of its own). */
const MAX_LOAD_SAMPLES = 100;

/** Rule is how a value is checked and converted. */
type Rule = 'seconds' | 'period' | 'count' | 'countOrZero' | 'samples' | 'fraction' | 'positive' | 'nonNegative' | 'unixTime';

const SECONDS_RANGE = `from 0.000001 (a microsecond, the step of simulated time) to ${MAX_PARAMETER_S}`;
const SAFE = Number.MAX_SAFE_INTEGER;

/** RuleBounds is a rule's range as JSON Schema writes it (src/config/schema-parameters.ts); ok() is what is checked. */
export interface RuleBounds {
  integer: boolean;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
}

const RULES: Record<Rule, { expected: string; ok: (v: number) => boolean; bounds: RuleBounds }> = {
  // Less than a microsecond would round to a zero duration in disguise, or to one it does not say.
  seconds: { expected: `a duration in seconds, ${SECONDS_RANGE}`, ok: (v) => v >= 1e-6 && v <= MAX_PARAMETER_S, bounds: { integer: false, minimum: 1e-6, maximum: MAX_PARAMETER_S } },
  period: { expected: `a period in seconds, from ${MIN_PERIOD_S} to ${MAX_PARAMETER_S}`, ok: (v) => v >= MIN_PERIOD_S && v <= MAX_PARAMETER_S, bounds: { integer: false, minimum: MIN_PERIOD_S, maximum: MAX_PARAMETER_S } },
  count: { expected: 'an integer >= 1', ok: (v) => Number.isSafeInteger(v) && v >= 1, bounds: { integer: true, minimum: 1, maximum: SAFE } },
  countOrZero: { expected: 'an integer >= 0', ok: (v) => Number.isSafeInteger(v) && v >= 0, bounds: { integer: true, minimum: 0, maximum: SAFE } },
  samples: { expected: `an integer from 1 to ${MAX_LOAD_SAMPLES}`, ok: (v) => Number.isSafeInteger(v) && v >= 1 && v <= MAX_LOAD_SAMPLES, bounds: { integer: true, minimum: 1, maximum: MAX_LOAD_SAMPLES } },
  fraction: { expected: 'a fraction from 0 to 1', ok: (v) => v >= 0 && v <= 1, bounds: { integer: false, minimum: 0, maximum: 1 } },
  positive: { expected: 'a number > 0', ok: (v) => v > 0, bounds: { integer: false, exclusiveMinimum: 0 } },
  nonNegative: { expected: 'a number >= 0', ok: (v) => v >= 0, bounds: { integer: false, minimum: 0 } },
  unixTime: { expected: `a UNIX time in whole seconds, from 0 to ${MAX_FIRST_TICK_UNIX_S}`, ok: (v) => Number.isSafeInteger(v) && v >= 0 && v <= MAX_FIRST_TICK_UNIX_S, bounds: { integer: true, minimum: 0, maximum: MAX_FIRST_TICK_UNIX_S } },
};

/** PERIODS are the times that repeat something: each is a period (MIN_PERIOD_S), not only a duration. */
const PERIODS: ReadonlySet<string> = new Set(['monitorIntervalUs', 'recoveryPollIntervalUs', 'serviceRetryIntervalUs', 'clientIntervalUs']);

/** PLAIN_PARAM_RULES: the Params fields that are not times. A new one must be added here (the type demands it). */
const PLAIN_PARAM_RULES: Record<PlainKey<Params>, Rule> = {
  loadSamplesPerStep: 'samples',
};

/** PLAIN_SIM_RULES: the SimParams fields that are not times. vmCapacity may be 0 (a host that runs no virtual server). */
const PLAIN_SIM_RULES: Record<PlainKey<SimParams>, Rule> = {
  variationFraction: 'fraction',
  hostMemKb: 'count',
  hostCores: 'count',
  hostRatedBytesPerS: 'positive',
  vmCapacity: 'countOrZero',
  vsMemKb: 'count',
  baseFreeMemKb: 'nonNegative',
  baseCpuIdlePct: 'nonNegative',
  baseNetBytesPerS: 'nonNegative',
  loadNoiseFraction: 'fraction',
  firstTickUnixS: 'unixTime',
};

type Spec = { name: string; rule: Rule } & ({ target: 'params'; field: NumericKey<Params> } | { target: 'sim'; field: NumericKey<SimParams> });

/** SERVICE_EXAM_NAME overrides entries of SimParams.serviceExamUsByDaemon, in seconds per daemon. */
const SERVICE_EXAM_NAME = 'serviceExamByDaemon';

/** PARAMETER_ALIASES: other accepted spellings (the example writes monitoringInterval). */
export const PARAMETER_ALIASES: Readonly<Record<string, string>> = { monitoringInterval: 'monitorInterval' };

function specName(field: string): string {
  return field.endsWith('Us') ? field.slice(0, -2) : field;
}

function specRule(field: string, plain: Readonly<Record<string, Rule>>): Rule {
  if (field.endsWith('Us')) return PERIODS.has(field) ? 'period' : 'seconds';
  const rule = plain[field];
  if (rule === undefined) throw new Error(`parameters: no rule for the numeric field ${field}`);
  return rule;
}

function buildSpecs(): Map<string, Spec> {
  const specs = new Map<string, Spec>();
  const add = (spec: Spec): void => {
    if (specs.has(spec.name)) throw new Error(`parameters: ${spec.name} names two fields`);
    specs.set(spec.name, spec);
  };
  const params = defaultParams();
  for (const key of Object.keys(params) as (keyof Params)[]) {
    const field = key as NumericKey<Params>;
    add({ name: specName(field), rule: specRule(field, PLAIN_PARAM_RULES), target: 'params', field });
  }
  const sim = defaultSimParams();
  for (const key of Object.keys(sim) as (keyof SimParams)[]) {
    if (typeof sim[key] !== 'number') continue;
    const field = key as NumericKey<SimParams>;
    add({ name: specName(field), rule: specRule(field, PLAIN_SIM_RULES), target: 'sim', field });
  }
  return specs;
}

const SPECS = buildSpecs();

/** PARAMETER_NAMES lists every name `parameters:` accepts (aliases aside), Params first, for help text. */
export const PARAMETER_NAMES: readonly string[] = [...SPECS.keys(), SERVICE_EXAM_NAME];

/** ParameterInfo describes one name `parameters:` accepts: the field it sets, what is expected and the range (for the schema and docs/scenario-reference.md). */
export interface ParameterInfo {
  name: string;
  target: 'params' | 'sim';
  field: string;
  expected: string;
  bounds: RuleBounds;
}

/** parameterInfos lists the names of PARAMETER_NAMES but serviceExamByDaemon (a mapping, described by serviceExamInfo), in that order. */
export function parameterInfos(): ParameterInfo[] {
  return [...SPECS.values()].map((s) => ({ name: s.name, target: s.target, field: s.field, expected: RULES[s.rule].expected, bounds: RULES[s.rule].bounds }));
}

/** serviceExamInfo describes serviceExamByDaemon: its name and what each daemon's value must be. */
export const serviceExamInfo = { name: SERVICE_EXAM_NAME, expected: RULES.seconds.expected, bounds: RULES.seconds.bounds } as const;

export interface ResolvedParameters {
  params: Params;
  sim: SimParams;
}

/**
 * resolveParameters applies the overrides in raw (the plain value of the mapping at path) to
 * the defaults and returns every problem found, each an InputError at its line. When the
 * monitoring interval is overridden, the parameters Params defines relative to it follow it
 * unless given too: internalMonitorOffset is half the interval and heartbeatStale one interval
 * (the assumptions of params.ts). internalMonitorOffset must be less than the interval.
 */
export function resolveParameters(
  source: YamlSource,
  path: YamlPath,
  raw: Readonly<Record<string, unknown>> | undefined,
): { value: ResolvedParameters; errors: InputError[] } {
  const params = defaultParams();
  const sim = defaultSimParams();
  const errors: InputError[] = [];
  const given = new Map<string, YamlPath>();

  for (const [key, value] of Object.entries(raw ?? {})) {
    const at = [...path, key];
    if (key === SERVICE_EXAM_NAME) {
      sim.serviceExamUsByDaemon = { ...sim.serviceExamUsByDaemon, ...serviceExams(source, at, value, errors) };
      continue;
    }
    const name = PARAMETER_ALIASES[key] ?? key;
    const spec = SPECS.get(name);
    if (spec === undefined) {
      errors.push(source.error(at, unknownNameExpected(key), { keyLine: true, got: key }));
      continue;
    }
    const earlier = given.get(name);
    if (earlier !== undefined) {
      errors.push(source.error(at, `${name} given once (it is already given as ${String(earlier[earlier.length - 1])})`, { keyLine: true, got: key }));
      continue;
    }
    given.set(name, at);
    const rule = RULES[spec.rule];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.ok(value)) {
      errors.push(source.error(at, rule.expected));
      continue;
    }
    const converted = spec.field.endsWith('Us') ? secondsToUs(value) : value;
    if (spec.target === 'params') params[spec.field] = converted;
    else sim[spec.field] = converted;
  }

  followInterval(params, (field) => given.has(specName(field)));
  // Relations between parameters: each problem is reported at the overridden one it names.
  for (const problem of parameterRelationProblems(params, sim)) {
    const blamed = problem.blame.find((b) => given.has(specName(b.field)));
    if (blamed !== undefined) errors.push(source.error(given.get(specName(blamed.field)) as YamlPath, blamed.expected));
  }
  return { value: { params, sim }, errors };
}

/** paramValueProblem checks a protocol parameter as written (seconds for a time) by the rules above: what is expected, or null when the value is fine. The agent checks its overrides with it. */
export function paramValueProblem(field: keyof Params, value: number): string | null {
  const spec = SPECS.get(specName(field));
  if (spec === undefined) throw new Error(`parameters: no rule for ${field}`);
  const rule = RULES[spec.rule];
  return Number.isFinite(value) && rule.ok(value) ? null : rule.expected;
}

/** serviceExams reads `serviceExamByDaemon: { httpd: 1.1 }`: daemon names to seconds > 0. */
function serviceExams(source: YamlSource, at: YamlPath, value: unknown, errors: InputError[]): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(source.error(at, 'a mapping of daemon names to seconds, such as { httpd: 1.1 }'));
    return {};
  }
  const out: Record<string, number> = {};
  for (const [daemon, seconds] of Object.entries(value)) {
    const entryAt = [...at, daemon];
    if (!isDaemonName(daemon)) {
      errors.push(source.error(entryAt, 'a daemon name such as httpd', { keyLine: true, got: daemon }));
    } else if (typeof seconds !== 'number' || !Number.isFinite(seconds) || !RULES.seconds.ok(seconds)) {
      errors.push(source.error(entryAt, RULES.seconds.expected));
    } else {
      out[daemon] = secondsToUs(seconds);
    }
  }
  return out;
}

/** unknownNameExpected lists the close matches of a misspelt name, else every name. */
function unknownNameExpected(key: string): string {
  const candidates = [...PARAMETER_NAMES, ...Object.keys(PARAMETER_ALIASES)];
  const close = closeMatches(key, candidates);
  if (close.length > 0) return `a known parameter name (closest: ${close.join(', ')})`;
  return `a known parameter name, one of ${PARAMETER_NAMES.join(', ')}`;
}

/** closeMatches returns up to three candidates within a small edit distance, or containing the key, nearest first. */
export function closeMatches(key: string, candidates: readonly string[]): string[] {
  const k = key.toLowerCase();
  const limit = Math.max(2, Math.floor(k.length / 3));
  return candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = editDistance(k, lc);
      return { c, d: k.length >= 4 && (lc.includes(k) || k.includes(lc)) ? Math.min(d, limit) : d };
    })
    .filter((m) => m.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 3)
    .map((m) => m.c);
}

/** editDistance is the Levenshtein distance (insert, delete, substitute one character). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

// Parameter overrides of a scenario file (`parameters:`): every protocol parameter (Params) and
// every numeric world parameter (SimParams) by its name without the Us suffix, times in seconds
// as the paper writes them (Table 1), converted to integer microseconds.
import type { InputError } from '../core/model/input-error.ts';
import { defaultParams } from '../paper/params.ts';
import type { Params } from '../core/model/params.ts';
import { secondsToUs, usToSeconds } from '../core/model/time.ts';
import { isDaemonName } from '../core/model/validate.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import type { YamlPath, YamlSource } from './yaml-source.ts';

type NumericKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];
/** PlainKey is a numeric field whose name does not end in Us: a count, fraction or size, not a time. */
type PlainKey<T> = Exclude<NumericKey<T>, `${string}Us`>;

/** Rule is how a value is checked and converted. */
type Rule = 'seconds' | 'count' | 'countOrZero' | 'fraction' | 'positive' | 'nonNegative';

const RULES: Record<Rule, { expected: string; ok: (v: number) => boolean }> = {
  // A duration that rounds to 0 µs would be a zero duration in disguise.
  seconds: { expected: 'a duration in seconds, a number > 0', ok: (v) => v > 0 && secondsToUs(v) > 0 },
  count: { expected: 'an integer >= 1', ok: (v) => Number.isSafeInteger(v) && v >= 1 },
  countOrZero: { expected: 'an integer >= 0', ok: (v) => Number.isSafeInteger(v) && v >= 0 },
  fraction: { expected: 'a fraction from 0 to 1', ok: (v) => v >= 0 && v <= 1 },
  positive: { expected: 'a number > 0', ok: (v) => v > 0 },
  nonNegative: { expected: 'a number >= 0', ok: (v) => v >= 0 },
};

/** PLAIN_PARAM_RULES: the Params fields that are not times. A new one must be added here (the type demands it). */
const PLAIN_PARAM_RULES: Record<PlainKey<Params>, Rule> = {
  loadSamplesPerStep: 'count',
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
  firstTickUnixS: 'countOrZero',
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
  if (field.endsWith('Us')) return 'seconds';
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
    const converted = spec.rule === 'seconds' ? secondsToUs(value) : value;
    if (spec.target === 'params') params[spec.field] = converted;
    else sim[spec.field] = converted;
  }

  // Sec. 4.1: internal monitoring runs inside the interval; these follow an overridden interval.
  if (given.has('monitorInterval')) {
    if (!given.has('internalMonitorOffset')) params.internalMonitorOffsetUs = Math.floor(params.monitorIntervalUs / 2);
    if (!given.has('heartbeatStale')) params.heartbeatStaleUs = params.monitorIntervalUs;
  }
  const offsetAt = given.get('internalMonitorOffset');
  if (offsetAt !== undefined && params.internalMonitorOffsetUs >= params.monitorIntervalUs) {
    errors.push(source.error(offsetAt, `a duration in seconds less than monitorInterval (${usToSeconds(params.monitorIntervalUs)} s)`));
  }
  return { value: { params, sim }, errors };
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

// parseSweep reads a sweep file (YAML): a base scenario, the axes it is varied along, and the
// replications of each point, as OMNeT++'s parameter studies and ns-3's campaigns describe them.
// Each point of the grid is a whole scenario, checked by parseScenario like a file of its own; a
// point that makes a bad scenario is reported at the sweep file's line of the axis value that made
// it. Pure: the base scenario reaches it through the injected loader.
import * as z from 'zod';
import { InputError } from '../core/model/input-error.ts';
import { METHODS } from '../core/method.ts';
import { PARAMETER_ALIASES, PARAMETER_NAMES } from './parameters.ts';
import { baseName, faultShape, NAME_EXPECTED, NAME_RE } from './parse-scenario.ts';
import type { Scenario } from './scenario.ts';
import { ARCHITECTURE_EXPECTED, availabilitySchema, isArchitecture, pointAvailability, PROCESS_NUMBER_NAMES, PROCESS_NUMBERS } from './sweep-availability.ts';
import type { ProcessNumber } from './sweep-availability.ts';
import { ARCHITECTURES, MODEL_EVENTS_PER_FAILURE, modelMachines } from '../sim/sweep/architectures.ts';
import { pointSeed } from '../sim/sweep/sweep.ts';
import type { Sweep, SweepAxis, SweepPoint } from '../sim/sweep/sweep.ts';
import type { FaultProcess } from '../sim/sweep/fault-process.ts';

export type { Sweep, SweepAxis, SweepPoint } from '../sim/sweep/sweep.ts';
import { formatPath, YamlSource } from './yaml-source.ts';
import type { YamlPath } from './yaml-source.ts';
import { estimatedEvents, MAX_RUNS, MAX_SERVERS, MAX_SWEEP_EVENTS, runBudgetProblem } from './limits.ts';
import { usToSeconds } from '../core/model/time.ts';
import { runLengthUs, settleUs, sharesReplicas } from '../sim/run/run-spec.ts';

/** MAX_SWEEP_POINTS bounds the grid: beyond it a study belongs to several sweep files or shards of a bigger machine. */
export const MAX_SWEEP_POINTS = 10_000;
/** MAX_SWEEP_AXES bounds the axes; every point's row names a value of each. */
export const MAX_SWEEP_AXES = 6;
/** DEFAULT_REPLICATIONS is the paper's number of runs per experiment (Sec. 5.3). */
export const DEFAULT_REPLICATIONS = 10;

export interface ParseSweepOptions {
  /** loadBase reads the base scenario named by `scenario:` (relative to the sweep file) as text. */
  loadBase: (path: string) => { file: string; text: string };
  /** parsePoint checks a scenario (the base, or a point derived from it) as a file beside the base one: its `cluster:` is read from there. */
  parsePoint: (source: YamlSource, text: string) => Scenario;
}

const RANGE_EXPECTED = 'a list of values, or a range such as { from: 2, to: 30, step: 2 } or { from: 1, to: 100, count: 5, scale: log }';

const rangeSchema = z.strictObject(
  {
    from: z.number({ error: 'a number' }),
    to: z.number({ error: 'a number' }),
    step: z.number({ error: 'a step above 0' }).positive({ error: 'a step above 0' }).optional(),
    count: z.int({ error: 'a count from 2 to 1000' }).min(2, { error: 'a count from 2 to 1000' }).max(1000, { error: 'a count from 2 to 1000' }).optional(),
    scale: z.enum(['linear', 'log'], { error: 'linear or log' }).optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? 'one of the keys from, to, step, count, scale' : RANGE_EXPECTED) },
);

const sweepSchema = z.strictObject(
  {
    name: z.string({ error: NAME_EXPECTED }).regex(NAME_RE, { error: NAME_EXPECTED }).optional(),
    description: z.string({ error: 'a one-line description' }).optional(),
    scenario: z.string({ error: 'the base scenario file, relative to the sweep file' }).min(1, { error: 'the base scenario file, relative to the sweep file' }),
    axes: z.record(z.string(), z.unknown(), { error: 'a mapping of axis names to their values, such as { monitorInterval: [2, 5, 10] }' }),
    replications: z.int({ error: `an integer from 1 to ${MAX_RUNS}` }).min(1, { error: `an integer from 1 to ${MAX_RUNS}` }).max(MAX_RUNS, { error: `an integer from 1 to ${MAX_RUNS}` }).optional(),
    seed: z.int({ error: 'a non-negative integer' }).min(0, { error: 'a non-negative integer' }).max(2 ** 31 - 1, { error: 'a non-negative integer below 2^31' }).optional(),
    phase: z.enum(['fixed', 'random'], { error: 'fixed (faults where the scenario puts them) or random (shifted by a random part of the monitoring interval per run)' }).optional(),
    availability: availabilitySchema.optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? 'one of the keys name, description, scenario, axes, replications, seed, phase, availability' : 'a mapping with scenario: and axes:') },
);

const faultListSchema = z.array(z.strictObject(faultShape, { error: 'a fault such as { server: FTP, type: Nt, at: 5 }' }), { error: 'a list of faults such as [{ server: FTP, type: Nt, at: 5 }]' });

/** parseSweep parses and checks a sweep file's text and builds every point's scenario; file names it in messages. */
export function parseSweep(text: string, file: string, options: ParseSweepOptions): Sweep {
  const source = YamlSource.parse(text, file, 'sweep');
  const shape = sweepSchema.safeParse(source.value);
  if (!shape.success) throw first(source.zodErrors(shape.error.issues));
  const raw = shape.data;
  if (raw.description !== undefined && raw.description.trim().includes('\n')) throw source.error(['description'], 'a one-line description');
  const names = Object.keys(raw.axes);
  if (names.length === 0) throw source.error(['axes'], 'at least one axis, such as { monitorInterval: [2, 5, 10] }');
  if (names.length > MAX_SWEEP_AXES) throw source.error(['axes'], `at most ${MAX_SWEEP_AXES} axes`);
  const axes = names.map((name) => axisOf(source, name, raw.axes[name], raw.availability !== undefined));
  if (axes.some((a) => a.kind === 'architecture') && axes.some((a) => a.kind === 'method')) {
    throw source.error(['axes', 'method'], 'no method axis beside architecture (its ring and p2p are the methods)', { keyLine: true, got: 'method' });
  }
  const canonical = axes.filter((a) => a.kind === 'parameter').map((a) => PARAMETER_ALIASES[a.name] ?? a.name);
  canonical.forEach((n, i) => {
    if (canonical.indexOf(n) >= i) return;
    const name = axes.filter((a) => a.kind === 'parameter')[i]?.name ?? n;
    throw source.error(['axes', name], `an axis not already given (${n} is)`, { keyLine: true, got: name });
  });
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_SWEEP_POINTS) throw source.error(['axes'], `at most ${MAX_SWEEP_POINTS} points (the axes give ${count})`);

  const base = options.loadBase(raw.scenario);
  const baseSource = YamlSource.parse(base.text, base.file);
  if (typeof baseSource.value !== 'object' || baseSource.value === null || Array.isArray(baseSource.value)) {
    throw new InputError(base.file, 1, 'scenario', 'a mapping with at least faults: [...]');
  }
  const baseValue = baseSource.value as Record<string, unknown>;
  // The base must stand alone as a scenario, so that its own errors name its own lines.
  options.parsePoint(baseSource, base.text);
  const replications = raw.replications ?? DEFAULT_REPLICATIONS;
  const seed = raw.seed ?? 1;
  const points: SweepPoint[] = [];
  let events = 0;
  for (let index = 0; index < count; index++) {
    const at = indexesOf(index, axes);
    const key = axes.map((a, i) => `${a.name}=${a.labels[at[i] as number]}`).join(';');
    let scenario: Scenario;
    try {
      scenario = options.parsePoint(baseSource.derived(`${base.file} (${key})`, pointSets(baseValue, axes, at, replications, pointSeed(seed, key))), base.text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw blame(source, axes, at, key, e);
    }
    const availability = raw.availability === undefined ? null : pointAvailability(raw.availability, axes, at, scenario.spec);
    const cc = availability?.process.commonCause ?? null;
    if (cc !== null && cc.servers > scenario.spec.cluster.length) {
      const path = axes.some((a) => a.name === 'commonCauseServers') ? ['axes', 'commonCauseServers'] : ['availability', 'commonCauseServers'];
      throw source.error(path, `at most the ${scenario.spec.cluster.length} servers of the ring (the point ${key} has ${cc.servers})`);
    }
    const point = { index, at, key, spec: scenario.spec, seed: scenario.seed, availability };
    points.push(point);
    // The budget is checked point by point, so that a sweep far beyond it is refused at once.
    events += pointEvents(source, point, replications);
    if (events > MAX_SWEEP_EVENTS) {
      const which = count === 1 ? 'its one point' : index + 1 === count ? `its ${count} points` : index === 0 ? `the first of its ${count} points` : `the first ${index + 1} of its ${count} points`;
      throw source.error(['replications'], `at most ${MAX_SWEEP_EVENTS.toExponential(0)} simulated events per sweep; ${which} x ${replications} replications already need about ${events.toExponential(1)} (fewer points or replications, shorter runs)`);
    }
  }
  return { name: raw.name ?? baseName(file), description: raw.description?.trim() ?? null, file, text, baseFile: base.file, baseText: base.text, axes, replications, seed, phase: raw.phase ?? 'fixed', points };
}

/**
 * pointEvents is what a point's replications cost in simulated events (MAX_SWEEP_EVENTS bounds the
 * sweep's sum, so that its runs do not take days); a point that breaks a run's own limits is refused.
 */
function pointEvents(source: YamlSource, p: SweepPoint, replications: number): number {
  const spec = p.spec;
  const problem = runBudgetProblem(spec, replications);
  if (problem !== null) throw source.error(['replications'], `replications within the limits of one point; the point ${p.key} needs ${problem}`);
  const intervalS = usToSeconds(spec.params.monitorIntervalUs);
  const a = p.availability;
  if (a === null) return estimatedEvents(replications, spec.cluster.length, usToSeconds(runLengthUs(spec)), intervalS, sharesReplicas(spec));
  if (a.architecture !== 'ring' && a.architecture !== 'p2p') {
    // A model walks its drawn failures: priced per failure (MODEL_EVENTS_PER_FAILURE).
    const machines = modelMachines(a.architecture, spec.cluster.map((c) => c.data.hostName)).length;
    return replications * MODEL_EVENTS_PER_FAILURE * (drawnFailures(a.process, machines) + commonCauseEvents(a.process) * spec.cluster.length);
  }
  // A long run simulates an incident per failure (or fewer, merged): about settleUs each; a common-cause event is one incident.
  const failures = drawnFailures(a.process, spec.cluster.length) + commonCauseEvents(a.process);
  return failures * estimatedEvents(replications, spec.cluster.length, usToSeconds(settleUs(spec.params, spec.sim, spec.hardening)) + intervalS, intervalS, sharesReplicas(spec));
}

/** drawnFailures is how many independent failures a replication draws on average for so many machines. */
function drawnFailures(process: FaultProcess, machines: number): number {
  return (machines * process.horizonUs) / process.mtbfUs;
}

/** commonCauseEvents is how many common-cause events a replication draws on average. */
function commonCauseEvents(process: FaultProcess): number {
  return process.commonCause === null ? 0 : process.horizonUs / process.commonCause.mtbfUs;
}

function axisOf(source: YamlSource, name: string, value: unknown, availability: boolean): SweepAxis {
  const at = ['axes', name];
  const needsBlock = (): InputError => source.error(at, `an availability: block for the ${name} axis (a study of availability)`, { keyLine: true, got: name });
  if (name === 'architecture') {
    if (!availability) throw needsBlock();
    if (!Array.isArray(value) || value.length === 0) throw source.error(at, `a list of architectures from ${ARCHITECTURES.join(', ')}`);
    value.forEach((v, i) => {
      if (!isArchitecture(v)) throw source.error([...at, i], ARCHITECTURE_EXPECTED);
    });
    return distinct(source, { name, kind: 'architecture', labels: value as string[], values: value, numeric: false });
  }
  if ((PROCESS_NUMBER_NAMES as readonly string[]).includes(name)) {
    if (!availability) throw needsBlock();
    const values = Array.isArray(value) ? listValues(source, at, value) : rangeValues(source, at, value);
    const rule = PROCESS_NUMBERS[name as ProcessNumber];
    values.forEach((v, i) => {
      if (!rule.ok(v)) throw source.error(Array.isArray(value) ? [...at, i] : at, rule.expected);
    });
    return distinct(source, { name, kind: 'process', labels: values.map(String), values, numeric: true });
  }
  if (name === 'ringSize') {
    const values = Array.isArray(value) ? listValues(source, at, value) : rangeValues(source, at, value);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 2 || v > MAX_SERVERS) throw source.error(Array.isArray(value) ? [...at, i] : at, `a number of servers from 2 to ${MAX_SERVERS} (a synthetic ring S1..SK)`);
    });
    return distinct(source, { name, kind: 'ringSize', labels: values.map(String), values, numeric: true });
  }
  if (name === 'faults' && availability) throw source.error(at, 'no faults axis in a study of availability (the fault process draws the faults)', { keyLine: true, got: name });
  if (name === 'method') {
    const methods = z.array(z.enum(METHODS as [string, ...string[]], { error: `one of ${METHODS.join(', ')}` }), { error: `a list of methods from ${METHODS.join(', ')}` }).min(1, { error: 'at least one method' });
    const r = methods.safeParse(value);
    if (!r.success) throw first(source.zodErrors(r.error.issues, at));
    return distinct(source, { name, kind: 'method', labels: r.data, values: r.data, numeric: false });
  }
  if (name === 'faults') {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
      throw source.error(at, 'a mapping of pattern names to fault lists, such as { St: [{ server: FTP, type: St, at: 5 }] }');
    }
    const labels = Object.keys(value);
    for (const label of labels) {
      if (!NAME_RE.test(label)) throw source.error([...at, label], NAME_EXPECTED, { keyLine: true, got: label });
      const r = faultListSchema.safeParse((value as Record<string, unknown>)[label]);
      if (!r.success) throw first(source.zodErrors(r.error.issues, [...at, label]));
    }
    return { name, kind: 'faults', labels, values: labels.map((l) => (value as Record<string, unknown>)[l]), numeric: false };
  }
  if (!PARAMETER_NAMES.includes(PARAMETER_ALIASES[name] ?? name) || name === 'serviceExamByDaemon') {
    throw source.error(at, `method, faults, ringSize, architecture, ${PROCESS_NUMBER_NAMES.join(', ')}, or a parameter name (${PARAMETER_NAMES.filter((n) => n !== 'serviceExamByDaemon').join(', ')})`, { keyLine: true, got: name });
  }
  const values = Array.isArray(value) ? listValues(source, at, value) : rangeValues(source, at, value);
  return distinct(source, { name, kind: 'parameter', labels: values.map(String), values, numeric: true });
}

function listValues(source: YamlSource, at: (string | number)[], list: unknown[]): number[] {
  if (list.length === 0) throw source.error(at, 'at least one value');
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw source.error([...at, i], 'a number (seconds for a time)');
  });
  return list as number[];
}

/** rangeValues expands { from, to, step } (inclusive, rounded to microseconds) or { from, to, count, scale }. */
function rangeValues(source: YamlSource, at: (string | number)[], value: unknown): number[] {
  const r = rangeSchema.safeParse(value);
  if (!r.success) throw first(source.zodErrors(r.error.issues, at));
  const { from, to, step, count, scale } = r.data;
  if (to < from) throw source.error([...at, 'to'], `a number not below from (${from})`);
  if ((step === undefined) === (count === undefined)) throw source.error(at, 'either step or count, not both or neither');
  const round = (x: number): number => Math.round(x * 1e6) / 1e6;
  if (step !== undefined) {
    if (scale === 'log') throw source.error([...at, 'scale'], 'linear with step (a log scale takes count)');
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_SWEEP_POINTS) throw source.error([...at, 'step'], `a step giving at most ${MAX_SWEEP_POINTS} values`);
    return Array.from({ length: n }, (_, i) => round(from + i * step));
  }
  const n = count as number;
  if (scale === 'log') {
    if (from <= 0) throw source.error([...at, 'from'], 'a number above 0 on a log scale');
    return Array.from({ length: n }, (_, i) => round(from * (to / from) ** (i / (n - 1))));
  }
  return Array.from({ length: n }, (_, i) => round(from + ((to - from) * i) / (n - 1)));
}

function distinct(source: YamlSource, axis: SweepAxis): SweepAxis {
  axis.labels.forEach((label, i) => {
    if (axis.labels.indexOf(label) < i) throw source.error(['axes', axis.name], `values that differ (${label} is given twice)`);
  });
  return axis;
}

/** indexesOf splits a point's index into its value index on each axis, the last axis varying fastest. */
function indexesOf(index: number, axes: readonly SweepAxis[]): number[] {
  const at = new Array<number>(axes.length).fill(0);
  let rest = index;
  for (let a = axes.length - 1; a >= 0; a--) {
    const n = (axes[a] as SweepAxis).values.length;
    at[a] = rest % n;
    rest = Math.floor(rest / n);
  }
  return at;
}

/** pointSets are the edits that make a point's scenario of the base: its values put in, its runs the replications and its seed the point's. */
function pointSets(base: Record<string, unknown>, axes: readonly SweepAxis[], at: readonly number[], replications: number, seed: number): { path: YamlPath; value: unknown }[] {
  const sets: { path: YamlPath; value: unknown }[] = [
    { path: ['runs'], value: replications },
    { path: ['seed'], value: seed },
  ];
  const given = typeof base.parameters === 'object' && base.parameters !== null ? Object.keys(base.parameters) : [];
  axes.forEach((axis, a) => {
    const v = axis.values[at[a] as number];
    if (axis.kind === 'method' || (axis.kind === 'architecture' && (v === 'ring' || v === 'p2p'))) sets.push({ path: ['method'], value: v });
    else if (axis.kind === 'faults') sets.push({ path: ['faults'], value: v });
    else if (axis.kind === 'ringSize') sets.push({ path: ['cluster'], value: { synthetic: v } });
    else if (axis.kind === 'parameter') {
      // The base may give the same parameter under another spelling (monitoringInterval): the axis replaces it.
      const canonical = PARAMETER_ALIASES[axis.name] ?? axis.name;
      for (const k of given) if ((PARAMETER_ALIASES[k] ?? k) === canonical && k !== axis.name) sets.push({ path: ['parameters', k], value: undefined });
      sets.push({ path: ['parameters', axis.name], value: v });
    }
  });
  return sets;
}

/** blame reports a point that makes a bad scenario at the line of the axis value its error is about. */
function blame(source: YamlSource, axes: readonly SweepAxis[], at: readonly number[], key: string, e: InputError): InputError {
  const field = e.field;
  const a = axes.findIndex((axis) =>
    axis.kind === 'method' ? field === 'method' : axis.kind === 'faults' ? field.startsWith('faults') : axis.kind === 'ringSize' ? field.startsWith('cluster') || field.startsWith('faults') || field.startsWith('servers') : field === `parameters.${axis.name}`,
  );
  const axis = axes[a];
  const expected = `values that make a valid scenario; the point ${key} gives ${field}: expected ${e.expected}${e.got === undefined ? '' : `, got ${JSON.stringify(e.got)}`}`;
  if (axis === undefined) return new InputError(source.file, source.lineOf(['scenario']), 'scenario', expected);
  const valueAt = axis.kind === 'faults' ? (axis.labels[at[a] as number] as string) : (at[a] as number);
  const path = source.has(['axes', axis.name, valueAt]) ? ['axes', axis.name, valueAt] : ['axes', axis.name];
  return new InputError(source.file, source.lineOf(path), formatPath(path, 'sweep'), expected);
}

function first(errors: readonly InputError[]): InputError {
  const sorted = [...errors].sort((x, y) => (x.line ?? Infinity) - (y.line ?? Infinity));
  const e = sorted[0];
  if (e === undefined) throw new Error('parseSweep: no error to report');
  return e;
}

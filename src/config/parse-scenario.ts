// parseScenario reads a scenario file (YAML) into a resolved Scenario. It is pure: the only way
// it reaches the file system is the injected cluster loader. Every bad input becomes one
// InputError naming the file, the line of the offending node and the field. Checks run in
// stages (YAML syntax, then shape and types, then the cluster, then names, times and
// parameters); within the first stage that finds problems, the earliest line is reported.
import * as z from 'zod';
import { listed } from '../core/model/input-error.ts';
import type { InputError } from '../core/model/input-error.ts';
import { secondsToUs, usToSeconds } from '../core/model/time.ts';
import { paperCluster } from '../paper/cluster.ts';
import type { ClusterServer } from '../core/model/cluster.ts';
import { FAULT_TYPES, WINDOW_FAULT_TYPES } from '../sim/world/faults.ts';
import { HARDENINGS } from '../core/program/hardening.ts';
import type { Hardening } from '../core/program/hardening.ts';
import { RING_MECHANISMS } from '../core/ring/mechanisms.ts';
import type { RingMechanism } from '../core/ring/mechanisms.ts';
import type { Fault } from '../sim/world/faults.ts';
import { resolveParameters } from './parameters.ts';
import { METHODS } from '../core/method.ts';
import type { Method } from '../core/method.ts';
import type { Scenario, ScenarioExpectation } from './scenario.ts';
import { YamlSource } from './yaml-source.ts';
import { MAX_FAULTS, MAX_RUNS, MAX_SERVERS, MAX_TIME_S } from './limits.ts';
import { syntheticCluster } from '../sim/synthetic-cluster.ts';
import { INVARIANTS } from '../sim/checkers/index.ts';
import type { YamlPath } from './yaml-source.ts';

export { PARAMETER_NAMES } from './parameters.ts';

export interface ParseScenarioOptions {
  /**
   * loadCluster reads the cluster directory named by `cluster:`, as written in the file
   * (relative to the scenario file); it throws InputError for bad management data.
   */
  loadCluster: (dir: string) => ClusterServer[];
}

/** DEFAULT_RUNS is the paper's number of runs per experiment (Sec. 5.3: means of 10 runs). */
export const DEFAULT_RUNS = 10;
export const DEFAULT_SEED = 1;

const CLUSTER_EXPECTED = `a directory of management data files, or { synthetic: K } for a generated ring of S1..SK (2 <= K <= ${MAX_SERVERS})`;
const SYNTHETIC_EXPECTED = `a number of servers from 2 to ${MAX_SERVERS}`;
const TIME_EXPECTED = `a time in seconds, from 0 to ${MAX_TIME_S}`;
const DURATION_EXPECTED = `a duration in seconds, more than 0 and at most ${MAX_TIME_S}`;
const DELAY_EXPECTED = `a delay in seconds, from 0 to ${MAX_TIME_S}`;
const HARDENING_EXPECTED = `all, none, or a list of extensions of the hardened ring from ${HARDENINGS.join(', ')}`;
// A scenario's or a sweep's name. At most 100 characters: a name becomes a directory name (sim
// --out, sweep-results/NAME), which has at most 255 bytes.
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const NAME_EXPECTED = 'a name of letters, digits, ".", "_" and "-" (at most 100)';
const keysOf = (shape: object): string => `one of the keys ${Object.keys(shape).join(', ')}`;

/** strictMap is a mapping with exactly the given keys; its errors name the keys it accepts. */
function strictMap<T extends z.ZodRawShape>(shape: T, what: string) {
  return z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? keysOf(shape) : what) });
}

const serverList = (what: string) => z.array(z.string({ error: 'a server name' }), { error: what });

export const faultShape = {
  server: z.string({ error: 'a server name' }),
  type: z.enum(FAULT_TYPES as [Fault['type'], ...Fault['type'][]], { error: `one of ${FAULT_TYPES.join(', ')}` }),
  at: z.number({ error: TIME_EXPECTED }).min(0, { error: TIME_EXPECTED }).max(MAX_TIME_S, { error: TIME_EXPECTED }),
  duration: z.number({ error: DURATION_EXPECTED }).positive({ error: DURATION_EXPECTED }).max(MAX_TIME_S, { error: DURATION_EXPECTED }).optional(),
  delay: z.number({ error: DELAY_EXPECTED }).min(0, { error: DELAY_EXPECTED }).max(MAX_TIME_S, { error: DELAY_EXPECTED }).optional(),
  offset: z.number({ error: 'a clock offset in seconds, from -3600 to 3600' }).min(-3600, { error: 'a clock offset in seconds, from -3600 to 3600' }).max(3600, { error: 'a clock offset in seconds, from -3600 to 3600' }).optional(),
};

export const expectShape = {
  served: serverList('a list of server names whose function is served at the end').optional(),
  managed: serverList('a list of server names running and managed at the end').optional(),
  recovered: serverList('a list of server names whose VIP is back on the real server at the end').optional(),
  violations: z
    .array(z.enum(INVARIANTS, { error: `an invariant, one of ${INVARIANTS.join(', ')}` }), { error: 'a list of invariant names' })
    .refine((list) => new Set(list).size === list.length, { error: 'a list of invariant names, each once' })
    .optional(),
};

export const scenarioShape = {
  name: z.string({ error: NAME_EXPECTED }).regex(NAME_RE, { error: NAME_EXPECTED }).optional(),
  description: z.string({ error: 'a one-line description' }).optional(),
  method: z.enum(METHODS as [Method, ...Method[]], { error: `one of ${METHODS.join(', ')}` }).optional(),
  servers: serverList('a list of server names in ring order, such as [Mail, FTP, Web1]').optional(),
  cluster: z
    .union(
      [
        z.string().min(1, { error: 'a directory of management data files' }),
        z.strictObject(
          { synthetic: z.int({ error: SYNTHETIC_EXPECTED }).min(2, { error: SYNTHETIC_EXPECTED }).max(MAX_SERVERS, { error: SYNTHETIC_EXPECTED }) },
          { error: (iss) => (iss.code === 'unrecognized_keys' ? 'only the key synthetic: a generated ring is not also read from a directory' : CLUSTER_EXPECTED) },
        ),
      ],
      { error: CLUSTER_EXPECTED },
    )
    .optional(),
  faults: z
    .array(strictMap(faultShape, 'a fault such as { server: FTP, type: Nt, at: 5 }'), { error: 'a list of faults such as [{ server: FTP, type: Nt, at: 5 }]' })
    .max(MAX_FAULTS, { error: `a list of at most ${MAX_FAULTS} faults` }),
  runs: z.int({ error: `an integer from 1 to ${MAX_RUNS}` }).min(1, { error: `an integer from 1 to ${MAX_RUNS}` }).max(MAX_RUNS, { error: `an integer from 1 to ${MAX_RUNS}` }).optional(),
  seed: z.int({ error: 'a non-negative integer' }).min(0, { error: 'a non-negative integer' }).optional(),
  duration: z.number({ error: DURATION_EXPECTED }).positive({ error: DURATION_EXPECTED }).max(MAX_TIME_S, { error: DURATION_EXPECTED }).optional(),
  parameters: z.record(z.string(), z.unknown(), { error: 'a mapping of parameter names to values, such as { monitorInterval: 10 }' }).optional(),
  expect: strictMap(expectShape, 'a mapping such as { served: [FTP], managed: [FTP], recovered: [FTP] }').optional(),
  disable: z
    .array(z.enum(RING_MECHANISMS as [RingMechanism, ...RingMechanism[]], { error: `one of ${RING_MECHANISMS.join(', ')}` }), { error: `a list of mechanisms to switch off, from ${RING_MECHANISMS.join(', ')}` })
    .optional(),
  hardening: z
    .union(
      [
        z.enum(['all', 'none']),
        z.array(z.enum(HARDENINGS as [Hardening, ...Hardening[]], { error: `one of ${HARDENINGS.join(', ')}` }), { error: HARDENING_EXPECTED }),
      ],
      { error: HARDENING_EXPECTED },
    )
    .optional(),
};

/** hardeningList resolves `hardening:` (all, none or a list) to the extensions switched on, in HARDENINGS order. */
export function hardeningList(raw: 'all' | 'none' | readonly Hardening[] | undefined): Hardening[] {
  if (raw === undefined || raw === 'none') return [];
  if (raw === 'all') return [...HARDENINGS];
  return HARDENINGS.filter((h) => raw.includes(h));
}

export const scenarioSchema = strictMap(scenarioShape, 'a mapping with at least faults: [...]');
type RawScenario = z.infer<typeof scenarioSchema>;

/** parseScenario parses and checks a scenario file's text; file names it in messages. */
export function parseScenario(text: string, file: string, options: ParseScenarioOptions): Scenario {
  return parseScenarioSource(YamlSource.parse(text, file), text, options);
}

/** parseScenarioSource checks a scenario already read as YAML (a file, or a sweep's point derived from one). */
export function parseScenarioSource(source: YamlSource, text: string, options: ParseScenarioOptions): Scenario {
  const file = source.file;
  const shape = scenarioSchema.safeParse(source.value);
  if (!shape.success) throw earliest(source.zodErrors(shape.error.issues));
  const raw = shape.data;

  const errors: InputError[] = [];
  const cluster = ringOf(source, raw, options, errors);
  const names = cluster.map((c) => c.data.hostName);
  const faults = raw.faults.map((f, i): Fault => {
    checkKnown(source, ['faults', i, 'server'], f.server, names, errors);
    checkFaultFields(source, i, f, errors);
    const fault: Fault = { server: f.server, type: f.type, atUs: secondsToUs(f.at) };
    if (f.duration !== undefined) fault.durationUs = secondsToUs(f.duration);
    if (f.delay !== undefined) fault.delayUs = secondsToUs(f.delay);
    if (f.offset !== undefined) fault.offsetUs = secondsToUs(f.offset);
    return fault;
  });
  const durationUs = raw.duration === undefined ? null : secondsToUs(raw.duration);
  const lastFaultUs = faults.reduce((latest, f) => Math.max(latest, f.atUs), 0);
  if (durationUs !== null && faults.length > 0 && durationUs <= lastFaultUs) {
    errors.push(source.error(['duration'], `a time in seconds after the last fault (${usToSeconds(lastFaultUs)} s)`));
  }
  if (raw.description !== undefined && raw.description.trim().includes('\n')) {
    errors.push(source.error(['description'], 'a one-line description'));
  }
  const expect = raw.expect === undefined ? null : expectation(source, raw.expect, names, errors);
  const parameters = resolveParameters(source, ['parameters'], raw.parameters);
  errors.push(...parameters.errors);
  if (errors.length > 0) throw earliest(errors);

  return {
    name: raw.name ?? baseName(file),
    file,
    text,
    description: raw.description?.trim() ?? null,
    spec: {
      method: raw.method ?? 'ring',
      cluster,
      params: parameters.value.params,
      sim: parameters.value.sim,
      faults,
      durationUs,
      disabled: [...new Set(raw.disable ?? [])],
      hardening: hardeningList(raw.hardening),
    },
    runs: raw.runs ?? DEFAULT_RUNS,
    seed: raw.seed ?? DEFAULT_SEED,
    expect,
  };
}

/**
 * ringOf builds the ring: the cluster (the loaded directory or the paper's six servers), cut
 * down and reordered by `servers:` when given, No. 1..n in ring order. A ring needs two servers.
 */
function ringOf(source: YamlSource, raw: RawScenario, options: ParseScenarioOptions, errors: InputError[]): ClusterServer[] {
  const all = raw.cluster === undefined ? paperCluster() : typeof raw.cluster === 'string' ? options.loadCluster(raw.cluster) : syntheticCluster(raw.cluster.synthetic);
  const byName = new Map(all.map((c) => [c.data.hostName, c]));
  let ring = all;
  if (raw.servers !== undefined) {
    const names = [...byName.keys()];
    raw.servers.forEach((name, i) => checkKnown(source, ['servers', i], name, names, errors));
    checkUnique(source, ['servers'], raw.servers, errors);
    const listed = [...new Set(raw.servers)].flatMap((name) => byName.get(name) ?? []);
    ring = listed.map((c, i) => ({ no: i + 1, data: { ...c.data, daemons: [...c.data.daemons] } }));
  }
  if (ring.length < 2) {
    if (raw.servers !== undefined) errors.push(source.error(['servers'], 'at least 2 servers to form a ring'));
    else errors.push(source.error(['cluster'], `a cluster of at least 2 servers to form a ring (it has ${ring.length})`));
  }
  return ring;
}

function expectation(source: YamlSource, raw: NonNullable<RawScenario['expect']>, names: readonly string[], errors: InputError[]): ScenarioExpectation {
  const out: ScenarioExpectation = {};
  for (const key of ['served', 'managed', 'recovered'] as const) {
    const list = raw[key];
    if (list === undefined) continue;
    list.forEach((name, i) => checkKnown(source, ['expect', key, i], name, names, errors));
    checkUnique(source, ['expect', key], list, errors);
    out[key] = [...list];
  }
  if (raw.violations !== undefined) out.violations = [...raw.violations];
  return out;
}

/** checkFaultFields asks each fault type for exactly the fields it uses (WINDOW_FAULT_TYPES need a duration). */
function checkFaultFields(
  source: YamlSource,
  i: number,
  f: { type: Fault['type']; duration?: number | undefined; delay?: number | undefined; offset?: number | undefined },
  errors: InputError[],
): void {
  const window = WINDOW_FAULT_TYPES.includes(f.type);
  if (window && f.duration === undefined) errors.push(source.error(['faults', i], `a duration: ${f.type} lasts for a window of seconds`));
  if (!window && f.duration !== undefined) errors.push(source.error(['faults', i, 'duration'], `no duration: ${f.type} is not a window fault`));
  if (f.type === 'SemDelay' && f.delay === undefined) errors.push(source.error(['faults', i], 'a delay: SemDelay delays each SEM record by delay seconds'));
  if (f.type !== 'SemDelay' && f.delay !== undefined) errors.push(source.error(['faults', i, 'delay'], `no delay: only SemDelay takes one`));
  if (f.type === 'ClockOff' && f.offset === undefined) errors.push(source.error(['faults', i], 'an offset: ClockOff sets the clock off by offset seconds'));
  if (f.type !== 'ClockOff' && f.offset !== undefined) errors.push(source.error(['faults', i, 'offset'], `no offset: only ClockOff takes one`));
}

function checkKnown(source: YamlSource, at: YamlPath, name: string, names: readonly string[], errors: InputError[]): void {
  if (!names.includes(name)) errors.push(source.error(at, `one of ${listed(names)}`));
}

function checkUnique(source: YamlSource, at: YamlPath, list: readonly string[], errors: InputError[]): void {
  list.forEach((name, i) => {
    const first = list.indexOf(name);
    if (first < i) errors.push(source.error([...at, i], `a server not already listed (${name} is ${formatIndex(at, first)})`));
  });
}

function formatIndex(at: YamlPath, index: number): string {
  return `${String(at[at.length - 1])}[${index}]`;
}

/**
 * earliest picks the error on the first line (an error without a line last), so a file's first
 * problem is reported. A missing key (no `got`) comes after the others: its line is its parent's,
 * and a misspelt key ("fautls:") is better reported as the unknown key it is.
 */
function earliest(errors: readonly InputError[]): InputError {
  const rank = (e: InputError): number => (e.got === undefined ? 1 : 0);
  const sorted = [...errors].sort((a, b) => rank(a) - rank(b) || (a.line ?? Infinity) - (b.line ?? Infinity));
  const first = sorted[0];
  if (first === undefined) throw new Error('parseScenario: earliest() of no errors');
  return first;
}

/** baseName is the file name without directories and without a .yaml or .yml extension. */
export function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '');
}

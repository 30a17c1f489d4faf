// The scenario file's format as a JSON Schema (draft 2020-12), generated from the zod schemas
// the reader checks files with (parse-scenario.ts), so that the two cannot drift: `dbss schema
// scenario` prints it and docs/scenario-reference.md is rendered from it (schema-doc.ts). The
// descriptions are here; the types demand one for every key. What zod cannot say is added from
// the reader's own tables: the names of `parameters:` with their ranges (parameters.ts) and which
// fields each fault type takes (the rules of checkFaultFields). Cross-checks the schema does not
// make (a server named in the ring, duration after the last fault, relations between parameters)
// are listed in its description.
import * as z from 'zod';
import { DAEMON_NAME_RE } from '../core/model/validate.ts';
import { RING_MECHANISMS } from '../core/ring/mechanisms.ts';
import { HARDENINGS } from '../core/program/hardening.ts';
import { INVARIANTS } from '../sim/checkers/index.ts';
import { FAULT_TYPES, WINDOW_FAULT_TYPES } from '../sim/world/faults.ts';
import type { FaultType } from '../sim/world/faults.ts';
import { MAX_FAULTS, MAX_RUNS, MAX_TIME_S } from './limits.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, expectShape, faultShape, scenarioSchema, scenarioShape } from './parse-scenario.ts';
import { parameterRows } from './schema-parameters.ts';
import type { ParameterRow } from './schema-parameters.ts';

/** JsonSchema is a JSON Schema node: plain JSON data. */
export type JsonSchema = { [key: string]: unknown };

const SCENARIO_KEYS: Record<keyof typeof scenarioShape, string> = {
  name: 'The name in reports: letters, digits, ".", "_" and "-". Default: the file name without .yaml.',
  description: 'One line saying what the scenario shows.',
  method: "The management method: ring (the paper's ring-type DBSS, Sec. 4) or p2p (the P2P method it improves on, Sec. 2.3). Default: ring; --method overrides it.",
  servers: "The servers of the ring in ring order, named from the cluster; No. 1..n follow this order. At least 2, each once. Default: the whole cluster in its own order.",
  cluster: "A directory of management data (ring.txt and one <Host>.dat per server, Fig. 4), relative to the scenario file (to the current directory when the scenario is read from standard input); or { synthetic: K }, a generated ring of K servers S1..SK with unique addresses (labels only), for studies at scale. Default: the paper's six servers (Fig. 13).",
  faults: `Required. The faults injected into every run, at most ${MAX_FAULTS}; [] for none.`,
  runs: `How many seeded runs, 1 to ${MAX_RUNS}. Default: ${DEFAULT_RUNS} (the paper's means of 10 runs, Sec. 5.3); --runs overrides it.`,
  seed: `The seed of the random streams; run i uses the seed "<seed>/run-<i>". Default: ${DEFAULT_SEED}; --seed overrides it.`,
  duration: `Seconds each run lasts after the first monitoring tick (t = 0), more than 0 and at most ${MAX_TIME_S}; it must end after the last fault. Default: until every recovery has settled.`,
  parameters: "Overrides of the protocol's settings (Table 1) and of the simulated testbed, by name, times in seconds; left out, a value keeps its default.",
  expect: 'What every run must end with (the scenario tests check it). Each list names servers of the ring.',
  disable: `Mechanisms of the ring method switched off, for an ablation: ${RING_MECHANISMS.join(', ')}.`,
  hardening: `Extensions of the hardened ring (docs/hardening.md): all, none, or a list from ${HARDENINGS.join(', ')}. Default: none (the paper's method); --hardening and --hardened override it.`,
};

const FAULT_KEYS: Record<keyof typeof faultShape, string> = {
  server: 'The server the fault happens to, named in the ring.',
  type: 'What happens (see the fault types).',
  at: `Seconds after the first monitoring tick (t = 0), 0 to ${MAX_TIME_S}.`,
  duration: `Seconds a window fault lasts (${WINDOW_FAULT_TYPES.join(', ')}; required for them, refused for the others), more than 0 and at most ${MAX_TIME_S}.`,
  delay: `Seconds each SEM record is delayed (SemDelay only, required there), 0 to ${MAX_TIME_S}.`,
  offset: 'Seconds the clock is off, positive ahead (ClockOff only, required there), -3600 to 3600.',
};

/** FAULT_TYPE_DOCS says what each fault type does. */
export const FAULT_TYPE_DOCS: Record<FaultType, string> = {
  St: "the server's service program fails; restarting the server clears it (the paper's St)",
  Nt: "the server shuts down (the paper's Nt)",
  Repair: 'an operator boots a stopped server or repairs its service',
  SemLoss: 'SEM records to and from the server are lost for the window',
  SemDelay: 'SEM records to and from the server are delayed by delay seconds for the window',
  ServicePartition: 'the server is cut off the service network, still running',
  ManagementPartition: 'the server is cut off the management network',
  ClockOff: "the server's clock is off by offset seconds (chrony no longer keeps it)",
  NoCapacity: 'the host can run no more virtual servers',
};

const EXPECT_KEYS: Record<keyof typeof expectShape, string> = {
  served: 'Servers whose function is served at the end: their VIP answered by the real server or a virtual one.',
  managed: 'Servers running their program at the end and managed by exactly one live server.',
  recovered: 'Servers whose VIP is back on the real server at the end.',
  violations: `The invariants every run must break, exactly these (src/sim/checkers/): ${INVARIANTS.join(', ')}. Left out, none.`,
};

/** CROSS_CHECKS are what the reader checks beyond this schema. */
export const CROSS_CHECKS = [
  'every server named (servers, faults, expect) is one of the ring',
  'servers and the lists of expect name each server once',
  'duration ends after the last fault',
  'description is one line',
  'parameters agree with each other: networkExamTimeout, serviceExamWaitMax and internalMonitorOffset less than monitorInterval; recoveryProbeTimeout less than recoveryPollInterval',
  'a run fits the simulation budget (src/config/limits.ts)',
];

/** scenarioJsonSchema returns the scenario file's JSON Schema (a fresh object each call). */
export function scenarioJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input' }) as JsonSchema;
  const props = propertiesOf(schema);
  describeAll(props, SCENARIO_KEYS);
  const fault = node(node(props, 'faults'), 'items');
  describeAll(propertiesOf(fault), FAULT_KEYS);
  node(propertiesOf(fault), 'type').description = `What happens: ${FAULT_TYPES.map((t) => `${t}, ${FAULT_TYPE_DOCS[t]}`).join('; ')}.`;
  fault.allOf = FAULT_TYPES.map(faultTypeRule);
  const expected = propertiesOf(node(props, 'expect'));
  describeAll(expected, EXPECT_KEYS);
  // The reader refuses a server listed twice (checkUnique); zod's arrays cannot say so.
  for (const list of [node(props, 'servers'), node(expected, 'served'), node(expected, 'managed'), node(expected, 'recovered')]) list.uniqueItems = true;
  node(props, 'servers').minItems = 2; // a ring needs two servers (ringOf)
  props.parameters = { ...parametersSchema(parameterRows()), description: SCENARIO_KEYS.parameters };
  node(props, 'method').default = 'ring';
  node(props, 'runs').default = DEFAULT_RUNS;
  node(props, 'seed').default = DEFAULT_SEED;
  node(props, 'hardening').default = 'none';
  return {
    $schema: schema.$schema,
    title: 'dbss scenario file',
    description: `One experiment for dbss sim: the ring, the faults and when they happen, parameter overrides, the seeded runs and what every run must end with. Times are seconds. The reader also checks: ${CROSS_CHECKS.join('; ')}.`,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** parametersSchema is the mapping of `parameters:`: each name (and alias) with its range, unit, default and source. */
function parametersSchema(rows: readonly ParameterRow[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const row of rows) {
    const value = typeof row.defaultValue === 'number' ? numberSchema(row) : serviceExamSchema(row);
    properties[row.name] = { ...value, description: `${capital(row.meaning)}. Unit: ${row.unit}; ${row.expected}. Source of the default: ${row.source}.`, default: row.defaultValue };
    for (const alias of row.aliases) properties[alias] = { ...value, description: `Another spelling of ${row.name}; give one of them.` };
  }
  return { type: 'object', properties, additionalProperties: false };
}

function numberSchema(row: ParameterRow): JsonSchema {
  const { integer, ...range } = row.bounds;
  return { type: integer ? 'integer' : 'number', ...range };
}

function serviceExamSchema(row: ParameterRow): JsonSchema {
  const { integer, ...range } = row.bounds;
  return { type: 'object', propertyNames: { pattern: DAEMON_NAME_RE.source }, additionalProperties: { type: integer ? 'integer' : 'number', ...range } };
}

/** faultTypeRule says which of duration, delay and offset a fault of this type must have and which it must not (checkFaultFields). */
function faultTypeRule(type: FaultType): JsonSchema {
  const takes = { duration: WINDOW_FAULT_TYPES.includes(type), delay: type === 'SemDelay', offset: type === 'ClockOff' };
  const fields = Object.entries(takes);
  return {
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: {
      required: fields.filter(([, yes]) => yes).map(([f]) => f),
      properties: Object.fromEntries(fields.filter(([, yes]) => !yes).map(([f]) => [f, false])),
    },
  };
}

function describeAll(props: Record<string, JsonSchema>, docs: Record<string, string>): void {
  for (const key of Object.keys(props)) {
    const doc = docs[key];
    if (doc === undefined) throw new Error(`schema: no description for ${key}`);
    node(props, key).description = doc;
  }
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return node(schema, 'properties') as Record<string, JsonSchema>;
}

function node(parent: JsonSchema, key: string): JsonSchema {
  const child = parent[key];
  if (typeof child !== 'object' || child === null) throw new Error(`schema: no ${key} in the generated schema`);
  return child as JsonSchema;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

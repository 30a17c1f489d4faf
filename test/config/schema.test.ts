// The scenario schema (dbss schema scenario) says what the reader accepts: every shipped scenario
// is valid under it, every bad scenario of scenarios/bad is refused by it unless its problem is one
// of the cross-checks the schema leaves to the reader (named below, so the list stays honest),
// and each parameter's range agrees with the reader's at its bounds. Checked with a small
// validator of our own (test/helpers/json-schema.ts), not with zod, so that the output is tested.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/model/input-error.ts';
import { parseScenario, PARAMETER_NAMES } from '../../src/config/parse-scenario.ts';
import { parameterRows } from '../../src/config/schema-parameters.ts';
import { scenarioJsonSchema } from '../../src/config/schema-scenario.ts';
import type { JsonSchema } from '../../src/config/schema-scenario.ts';
import { YamlSource } from '../../src/config/yaml-source.ts';
import { paperCluster } from '../../src/paper/cluster.ts';
import { schemaErrors } from '../helpers/json-schema.ts';

const schema = scenarioJsonSchema();
const yamlIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));

/** BEYOND_SCHEMA: bad scenarios the schema accepts, each with the reader's check that refuses it. */
const BEYOND_SCHEMA: Record<string, string> = {
  'bad-address-cluster.yaml': 'the cluster directory is read',
  'budget-runs-times-duration.yaml': 'the simulation budget',
  'client-accesses-budget.yaml': 'the simulation budget',
  'cluster-missing-dir.yaml': 'the cluster directory is read',
  'description-two-lines.yaml': 'description is one line',
  'duration-before-fault.yaml': 'duration ends after the last fault',
  'expect-unknown-server.yaml': 'servers named are of the ring',
  'first-tick-before-1970.yaml': 'parameters agree with each other',
  'internal-offset-beyond-interval.yaml': 'parameters agree with each other',
  'missing-line-cluster.yaml': 'the cluster directory is read',
  'monitor-interval-below-tnd.yaml': 'parameters agree with each other',
  'parameter-twice.yaml': 'a name and its alias are not both given',
  'probe-timeout-above-poll.yaml': 'parameters agree with each other',
  'servers-unknown.yaml': 'servers named are of the cluster',
  'synthetic-over-budget.yaml': 'the simulation budget',
  'synthetic-over-memory.yaml': 'the simulation budget (memory)',
  'service-wait-above-interval.yaml': 'parameters agree with each other',
  'tnd-above-interval.yaml': 'parameters agree with each other',
  'unknown-server.yaml': 'servers named are of the ring',
};

/** plainValue reads a file as the reader does (YamlSource); null when YAML itself refuses it. */
function plainValue(file: string): unknown {
  try {
    return YamlSource.parse(readFileSync(file, 'utf8'), file).value;
  } catch (e) {
    if (e instanceof InputError && e.field === 'YAML') return null;
    throw e;
  }
}

describe('the scenario schema', () => {
  it.each([...yamlIn('scenarios'), ...yamlIn('scenarios/regressions')])('accepts the shipped scenario %s', (file) => {
    const value = plainValue(file);

    expect(schemaErrors(schema, value)).toEqual([]);
  });

  it.each(yamlIn('scenarios/bad'))('refuses %s unless a named cross-check does', (file) => {
    const value = plainValue(file);
    if (value === null) return; // malformed YAML, refused before any schema
    const beyond = BEYOND_SCHEMA[file.replace(/^.*\//, '')];

    const errors = schemaErrors(schema, value);

    if (beyond === undefined) expect(errors, 'the schema should refuse it').not.toEqual([]);
    else expect(errors, `the schema accepts it; the reader refuses it (${beyond})`).toEqual([]);
  });

  it('refuses faults that lack or carry the fields their type takes', () => {
    const faults = (fault: object) => ({ faults: [{ server: 'FTP', at: 5, ...fault }] });

    expect(schemaErrors(schema, faults({ type: 'SemLoss', duration: 3 }))).toEqual([]);
    expect(schemaErrors(schema, faults({ type: 'SemLoss' }))).toEqual(['$.faults[0]: missing duration']);
    expect(schemaErrors(schema, faults({ type: 'SemDelay', duration: 3 }))).toEqual(['$.faults[0]: missing delay']);
    expect(schemaErrors(schema, faults({ type: 'St', offset: 1 }))).toEqual(['$.faults[0].offset: not allowed']);
    expect(schemaErrors(schema, faults({ type: 'ClockOff', offset: 1, delay: 1 }))).toEqual(['$.faults[0].delay: not allowed']);
  });

  it('names every parameter the reader accepts, its alias and nothing else', () => {
    const parameters = (schema.properties as Record<string, JsonSchema>).parameters as JsonSchema;

    expect(Object.keys(parameters.properties as object).sort()).toEqual([...PARAMETER_NAMES, 'monitoringInterval'].sort());
    expect(parameters.additionalProperties).toBe(false);
  });

  it('describes every key at every level', () => {
    const undescribed: string[] = [];
    const walk = (node: JsonSchema, path: string): void => {
      for (const [key, child] of Object.entries((node.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        if (typeof child.description !== 'string' || child.description.length < 10) undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
        if (typeof child.items === 'object') walk(child.items as JsonSchema, `${path}.${key}[]`);
      }
    };

    walk(schema, '$');

    expect(undescribed).toEqual([]);
  });
});

describe('each parameter range of the schema agrees with the reader at its bounds', () => {
  const scenarioWith = (name: string, value: number): string =>
    `parameters: { ${name}: ${value} }\nfaults: [{ server: FTP, type: Nt, at: 5 }]\nduration: 600\nruns: 1\n`;
  /** readerRefusesRange tells whether the reader refuses the value for its range (not for a relation to another parameter). */
  const readerRefusesRange = (name: string, value: number, expected: string): boolean => {
    try {
      parseScenario(scenarioWith(name, value), 'x.yaml', { loadCluster: () => paperCluster() });
      return false;
    } catch (e) {
      return e instanceof InputError && e.expected === expected;
    }
  };
  const rows = parameterRows().filter((r) => typeof r.defaultValue === 'number');

  it.each(rows.map((r) => [r.name, r] as const))('%s', (name, row) => {
    const b = row.bounds;
    const probes = [b.minimum, b.exclusiveMinimum, b.maximum].filter((v): v is number => v !== undefined && Number.isSafeInteger(Math.abs(v) * 1000));
    const values = probes.flatMap((v) => [v, v - 0.5, v + 0.5, v - 1e-4, v + 1e-4]).concat([1.5, -1]);
    const disagreements: string[] = [];

    for (const value of values) {
      const schemaRefuses = schemaErrors(schema, { parameters: { [name]: value }, faults: [] }).length > 0;
      if (schemaRefuses !== readerRefusesRange(name, value, row.expected)) disagreements.push(`${value}: schema ${schemaRefuses ? 'refuses' : 'accepts'}`);
    }

    expect(disagreements).toEqual([]);
  });
});

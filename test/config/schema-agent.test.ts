// agent.yaml's schema (dbss schema agent) says what the agent accepts, as far as JSON Schema can:
// a good configuration is valid, and every bad one of test/bad-input/agent is refused by it unless
// its problem is one the agent checks beyond the schema (named below, so the list stays honest).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/model/input-error.ts';
import { agentJsonSchema } from '../../src/config/schema-agent.ts';
import type { JsonSchema } from '../../src/config/schema-scenario.ts';
import { YamlSource } from '../../src/config/yaml-source.ts';
import { schemaErrors } from '../helpers/json-schema.ts';

const schema = agentJsonSchema();
const DIR = 'test/bad-input/agent';

/** BEYOND_SCHEMA: bad agent.yaml files the schema accepts, each with the agent's check that refuses it. */
const BEYOND_SCHEMA: Record<string, string> = {
  'chrony-offset-loose.yaml': 'chrony.maxOffsetMs against the hardened ring\'s maxClockOffset',
  'commands-dbss-relative.yaml': 'command templates',
  'commands-vipclaim-shell.yaml': 'command templates',
  'known-hosts-missing.yaml': 'the files it names are read',
  'logfile-shell.yaml': 'safe absolute paths',
  'management-not-ip.yaml': 'IPv4 addresses',
  'management-octet.yaml': 'IPv4 addresses',
  'params-offset-beyond-interval.yaml': 'parameters agree with each other',
  'params-tnd-above-interval.yaml': 'parameters agree with each other',
  'sem-key-directory.yaml': 'the files it names are read',
  'sem-key-fifo.yaml': 'the files it names are read',
  'sem-key-missing.yaml': 'the files it names are read',
  'sem-key-short.yaml': 'the files it names are read',
  'server-not-in-ring.yaml': 'the server is in the ring of ring.txt',
  'server-shell.yaml': 'host names',
  'servers-missing-peer.yaml': 'servers against ring.txt',
  'servers-missing-self.yaml': 'server is one of servers',
  'servers-unknown-peer.yaml': 'servers against ring.txt',
  'statedir-relative.yaml': 'safe absolute paths',
  'wol-broadcast-bad.yaml': 'IPv4 addresses',
};

/** plainValue reads a bad configuration as the agent does; null when YAML itself refuses it. */
function plainValue(text: string, file: string): unknown {
  try {
    return YamlSource.parse(text.replaceAll('{cfg}', '/etc/dbss'), file, 'agent.yaml').value;
  } catch (e) {
    if (e instanceof InputError && e.field === 'YAML') return null;
    throw e;
  }
}

describe("agent.yaml's schema", () => {
  it('accepts a whole configuration', () => {
    const good = readFileSync(join(DIR, 'host-cores-zero.yaml'), 'utf8').replace('host: { cores: 0 }', 'host: { cores: 8 }\nparameters: { monitorInterval: 10 }\nhardening: [fencing]');

    expect(schemaErrors(schema, plainValue(good, 'good.yaml'))).toEqual([]);
  });

  it.each(readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort())('refuses %s unless a named check of the agent does', (file) => {
    const value = plainValue(readFileSync(join(DIR, file), 'utf8'), file);
    if (value === null) return; // malformed YAML, refused before any schema
    const beyond = BEYOND_SCHEMA[file];

    const errors = schemaErrors(schema, value);

    if (beyond === undefined) expect(errors, 'the schema should refuse it').not.toEqual([]);
    else expect(errors, `the schema accepts it; the agent refuses it (${beyond})`).toEqual([]);
  });

  it('describes every key at every level, the entries of servers too', () => {
    const undescribed: string[] = [];
    const walk = (node: JsonSchema, path: string): void => {
      for (const [key, child] of Object.entries((node.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        if (typeof child.description !== 'string' || child.description.length < 5) undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as JsonSchema, `${path}.*`);
    };

    walk(schema, '$');

    expect(undescribed).toEqual([]);
  });
});

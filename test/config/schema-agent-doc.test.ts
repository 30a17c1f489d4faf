// docs/agent-reference.md is generated from agent.yaml's schema: it must be exactly what the
// generator writes now, so that a key, range, default or daemon changed in the code changes the
// document, and it must have a row for every key the agent accepts, at every level.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARAM_KEYS, configShape, paramConfigKey } from '../../src/agent/config.ts';
import { SERVICE_OF_DAEMON } from '../../src/drivers/probes.ts';
import { agentJsonSchema } from '../../src/config/schema-agent.ts';
import { AGENT_REFERENCE_COMMAND, agentReference } from '../../src/config/schema-agent-doc.ts';
import type { JsonSchema } from '../../src/config/schema-scenario.ts';

describe('docs/agent-reference.md', () => {
  it('is what the schema generates today', () => {
    const committed = readFileSync('docs/agent-reference.md', 'utf8');

    expect(committed, `regenerate it: ${AGENT_REFERENCE_COMMAND}`).toBe(agentReference());
  });

  it('has a row for every key at every level, every parameter and every daemon the agent can examine', () => {
    const doc = agentReference();
    const keys: string[] = [];
    const walk = (node: JsonSchema): void => {
      for (const [key, child] of Object.entries((node.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        keys.push(key);
        if (key !== 'parameters') walk(child);
      }
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as JsonSchema);
    };

    walk(agentJsonSchema());

    expect(keys.length).toBeGreaterThan(Object.keys(configShape).length);
    for (const key of keys) expect(doc, key).toMatch(new RegExp(`^\\| \`${key}\` \\|`, 'm'));
    for (const field of PARAM_KEYS) expect(doc).toMatch(new RegExp(`^\\| \`${paramConfigKey(field)}\` \\|`, 'm'));
    for (const daemon of Object.keys(SERVICE_OF_DAEMON)) expect(doc).toContain(`\`${daemon}\``);
  });
});

// docs/scenario-reference.md is generated from the scenario schema: it must be exactly what the
// generator writes now, so that a key, range or default changed in the code changes the document.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_COMMAND, scenarioReference } from '../../src/config/schema-doc.ts';
import { PARAMETER_NAMES, scenarioShape } from '../../src/config/parse-scenario.ts';

describe('docs/scenario-reference.md', () => {
  it('is what the schema generates today', () => {
    const committed = readFileSync('docs/scenario-reference.md', 'utf8');

    expect(committed, `regenerate it: ${REFERENCE_COMMAND}`).toBe(scenarioReference());
  });

  it('has a row for every top-level key and every parameter name', () => {
    const doc = scenarioReference();

    for (const key of Object.keys(scenarioShape)) expect(doc).toContain(`| \`${key}\` |`);
    for (const name of PARAMETER_NAMES) expect(doc).toMatch(new RegExp(`^\\| \`${name}\``, 'm'));
  });
});

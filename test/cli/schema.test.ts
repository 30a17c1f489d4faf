// `dbss schema` as a script uses it: JSON on standard output, nothing else, status 0.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.ts';
import { agentJsonSchema } from '../../src/config/schema-agent.ts';
import { scenarioReference } from '../../src/config/schema-doc.ts';
import { scenarioJsonSchema } from '../../src/config/schema-scenario.ts';

/** stdoutOf runs `dbss ARGS` in-process and returns its status and what it wrote to standard output. */
async function stdoutOf(args: string[]): Promise<{ status: number; stdout: string }> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    const status = await main(args);
    return { status, stdout: out.join('') };
  } finally {
    process.stdout.write = write;
  }
}

describe('dbss schema', () => {
  it('prints the scenario schema as one JSON document', async () => {
    const r = await stdoutOf(['schema', 'scenario']);

    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(scenarioJsonSchema());
  });

  it("prints agent.yaml's schema as one JSON document", async () => {
    const r = await stdoutOf(['schema', 'agent']);

    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(agentJsonSchema());
  });

  it('prints the reference document with --markdown', async () => {
    const r = await stdoutOf(['schema', 'scenario', '--markdown']);

    expect(r.status).toBe(0);
    expect(r.stdout).toBe(scenarioReference());
  });
});

// `dbss schema scenario|agent`: the formats of dbss's input files as JSON Schemas, generated from
// the zod schemas their readers check them with (src/config/schema-scenario.ts,
// src/config/schema-agent.ts), for editors and for scripts that write scenarios.
import { parseCommandLine } from '../config/command-line.ts';
import { scenarioReference } from '../config/schema-doc.ts';
import { agentJsonSchema } from '../config/schema-agent.ts';
import { agentReference } from '../config/schema-agent-doc.ts';
import { scenarioJsonSchema } from '../config/schema-scenario.ts';
import { UsageError } from '../config/usage-error.ts';

export const SCHEMA_HELP = `Usage: dbss schema scenario [--markdown]
       dbss schema agent [--markdown]

Print the scenario file's format as a JSON Schema (draft 2020-12), generated from the
checks dbss sim applies: every key with its meaning, range and default, and every
parameter with its unit, default and where the default comes from. "agent" prints
agent.yaml's format the same way.

Options:
  --markdown      print the reference document instead (docs/scenario-reference.md,
                  docs/agent-reference.md)
  -h, --help      show this help

Example:
  dbss schema scenario > scenario.schema.json`;

const SCHEMAS: Record<string, { json: () => object; markdown: () => string }> = {
  scenario: { json: scenarioJsonSchema, markdown: scenarioReference },
  agent: { json: agentJsonSchema, markdown: agentReference },
};

export async function schemaCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('schema', {
    args: argv,
    allowPositionals: true,
    options: {
      markdown: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(SCHEMA_HELP);
    return 0;
  }
  const names = Object.keys(SCHEMAS).join(', ');
  if (positionals.length !== 1) throw new UsageError(`dbss schema takes one of ${names}, got ${positionals.length} arguments (see dbss schema --help)`);
  const name = positionals[0] as string;
  const schema = SCHEMAS[name];
  if (schema === undefined) throw new UsageError(`dbss schema: unknown schema ${JSON.stringify(name)}; schemas: ${names}`);
  if (values.markdown) {
    process.stdout.write(schema.markdown());
  } else {
    process.stdout.write(`${JSON.stringify(schema.json(), null, 2)}\n`);
  }
  return 0;
}

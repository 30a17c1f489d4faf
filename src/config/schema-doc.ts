// docs/scenario-reference.md, rendered from the scenario schema (schema-scenario.ts) and the
// parameter rows it is built from, so that the document cannot say what the reader does not
// check: `dbss schema scenario --markdown` prints it, and a test compares the committed file.
import { FAULT_TYPE_DOCS, scenarioJsonSchema } from './schema-scenario.ts';
import type { JsonSchema } from './schema-scenario.ts';
import { parameterRows } from './schema-parameters.ts';
import type { ParameterRow } from './schema-parameters.ts';
import type { FaultType } from '../sim/world/faults.ts';

/** REFERENCE_COMMAND writes the reference document. */
export const REFERENCE_COMMAND = 'npm run dbss -- schema scenario --markdown > docs/scenario-reference.md';

/** scenarioReference renders docs/scenario-reference.md. */
export function scenarioReference(): string {
  const schema = scenarioJsonSchema();
  const props = propertiesOf(schema);
  const fault = child(child(props, 'faults'), 'items');
  const sections = [
    '# Scenario file reference',
    `<!-- Generated from src/config/schema-scenario.ts by \`${REFERENCE_COMMAND}\`; test/config/schema-doc.test.ts fails when this file differs. Edit the source, not this file. -->`,
    `${String(schema.description)}`,
    'The same as a JSON Schema (draft 2020-12): `dbss schema scenario`. An editor with a YAML language server checks a file against it with a first line `# yaml-language-server: $schema=scenario.schema.json` after `dbss schema scenario > scenario.schema.json`. A scenario read from standard input (`dbss sim -`) follows the same rules. docs/scenarios.md shows a whole file and explains the limits.',
    '## Top-level keys',
    keyTable(props, schema.required as string[]),
    '## A fault (`faults:` items)',
    keyTable(propertiesOf(fault), fault.required as string[]),
    '### Fault types',
    faultTypeTable(fault),
    '## `expect:`',
    keyTable(propertiesOf(child(props, 'expect')), []),
    '## `parameters:`',
    'Every protocol parameter (`src/core/model/params.ts`) and every numeric testbed parameter (`src/sim/sim-params.ts`), by its name without the `Us` suffix; a time is in seconds. A name left out keeps its default. When `monitorInterval` is given, `internalMonitorOffset` (half of it) and `heartbeatStale` (one interval) follow it unless given too.',
    parameterTable(parameterRows()),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** keyTable is one table of a mapping's keys: presence, what the value may be, and its meaning. */
export function keyTable(props: Record<string, JsonSchema>, required: readonly string[]): string {
  const rows = Object.entries(props).map(([key, node]) => {
    const presence = required.includes(key) ? 'required' : 'optional';
    return `| \`${key}\` | ${presence} | ${cell(valueText(node))} | ${cell(String(node.description))} |`;
  });
  return ['| key | | value | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function faultTypeTable(fault: JsonSchema): string {
  const rules = fault.allOf as JsonSchema[];
  const rows = rules.map((rule) => {
    const type = (((rule.if as JsonSchema).properties as Record<string, JsonSchema>).type as JsonSchema).const as FaultType;
    const takes = ((rule.then as JsonSchema).required as string[]).map((f) => `\`${f}\``).join(', ');
    return `| \`${type}\` | ${takes} | ${cell(FAULT_TYPE_DOCS[type])} |`;
  });
  return ['| type | also takes | what happens |', '|---|---|---|', ...rows].join('\n');
}

/** parameterTable lists parameter names with unit, range, default, meaning and the source of the default. */
export function parameterTable(rows: readonly ParameterRow[]): string {
  const lines = rows.map((r) => {
    const name = [r.name, ...r.aliases].map((n) => `\`${n}\``).join(' (also ') + (r.aliases.length > 0 ? ')' : '');
    const range = rangeText({ type: r.bounds.integer ? 'integer' : 'number', ...r.bounds });
    return `| ${name} | ${cell(r.unit)} | ${cell(typeof r.defaultValue === 'number' ? range : `a mapping, each daemon ${range}`)} | ${cell(defaultText(r.defaultValue))} | ${cell(r.meaning)} | ${cell(r.source)} |`;
  });
  return ['| name | unit | range | default | meaning | source of the default |', '|---|---|---|---|---|---|', ...lines].join('\n');
}

/** valueText says in a few words what a schema node accepts. */
function valueText(node: JsonSchema): string {
  const withDefault = (text: string): string => (node.default === undefined ? text : `${text}; default ${JSON.stringify(node.default)}`);
  if (Array.isArray(node.anyOf)) return withDefault((node.anyOf as JsonSchema[]).map(valueText).join(', or '));
  if (Array.isArray(node.enum)) return withDefault(`one of ${(node.enum as unknown[]).join(', ')}`);
  switch (node.type) {
    case 'string':
      return withDefault(node.pattern !== undefined ? `text matching \`${String(node.pattern)}\`` : node.minLength !== undefined ? 'non-empty text' : 'text');
    case 'number':
    case 'integer':
      return withDefault(rangeText(node));
    case 'array': {
      const bounds = [node.minItems !== undefined ? `at least ${String(node.minItems)}` : '', node.maxItems !== undefined ? `at most ${String(node.maxItems)}` : ''].filter(Boolean);
      const items = node.items as JsonSchema;
      const of = Array.isArray(items.enum) ? `from ${(items.enum as unknown[]).join(', ')}` : items.type === 'object' ? 'of mappings (below)' : `of ${valueText(items)}`;
      return withDefault(`a list${bounds.length > 0 ? ` (${bounds.join(', ')})` : ''} ${of}`);
    }
    case 'boolean':
      return withDefault('true or false');
    case 'object':
      return 'a mapping (below)';
    default:
      throw new Error(`schema-doc: no words for the type ${String(node.type)}`);
  }
}

/** rangeText writes a number's range: "a number > 0 and <= 86400", "an integer from 1 to 100". */
function rangeText(node: JsonSchema): string {
  const what = node.type === 'integer' ? 'an integer' : 'a number';
  const low = node.minimum !== undefined ? `>= ${num(node.minimum)}` : node.exclusiveMinimum !== undefined ? `> ${num(node.exclusiveMinimum)}` : '';
  const high = node.maximum !== undefined && node.maximum !== Number.MAX_SAFE_INTEGER ? `<= ${num(node.maximum)}` : '';
  return [what, [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

function defaultText(value: ParameterRow['defaultValue']): string {
  if (typeof value === 'number') return num(value);
  return Object.entries(value).map(([daemon, s]) => `${daemon} ${num(s)}`).join(', ');
}

function num(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** cell makes text one Markdown table cell. */
export function cell(text: string): string {
  // A cell is one line; "<Host>" would be read as an HTML tag.
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ').replace(/<(?=[A-Za-z])/g, '&lt;');
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return schema.properties as Record<string, JsonSchema>;
}

function child(parent: JsonSchema, key: string): JsonSchema {
  const node = parent[key];
  if (typeof node !== 'object' || node === null) throw new Error(`schema-doc: no ${key} in the schema`);
  return node as JsonSchema;
}

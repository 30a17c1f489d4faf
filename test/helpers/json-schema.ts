// A small JSON Schema (draft 2020-12) validator for the keywords dbss's schemas use, so that the
// tests check the generated schema itself rather than trust zod's output. A keyword it does not
// know is an error, not a pass: a schema that grows a new keyword must grow a check here too.

type Schema = boolean | { [key: string]: unknown };

/** ANNOTATIONS are keywords that say something but check nothing. */
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default']);

/** schemaErrors lists where value breaks schema, as "path: what"; empty when it is valid. */
export function schemaErrors(schema: Schema, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const errors: string[] = [];
  const fail = (what: string): void => void errors.push(`${path}: ${what}`);
  const sub = (s: unknown, v: unknown, p: string): string[] => schemaErrors(s as Schema, v, p);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case 'type':
        if (!hasType(value, arg as string)) fail(`expected ${String(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(value)) fail(`expected one of ${(arg as unknown[]).join(', ')}`);
        break;
      case 'const':
        if (value !== arg) fail(`expected ${String(arg)}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (arg as number)) fail(`below ${String(arg)}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= (arg as number)) fail(`not above ${String(arg)}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (arg as number)) fail(`above ${String(arg)}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < (arg as number)) fail(`shorter than ${String(arg)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) fail(`does not match ${String(arg)}`);
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > (arg as number)) fail(`more than ${String(arg)} items`);
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (arg as number)) fail(`fewer than ${String(arg)} items`);
        break;
      case 'uniqueItems':
        if (arg === true && Array.isArray(value) && new Set(value.map((v) => JSON.stringify(v))).size < value.length) fail('items repeated');
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => errors.push(...sub(arg, v, `${path}[${i}]`)));
        break;
      case 'required':
        if (isObject(value)) for (const k of arg as string[]) if (!Object.hasOwn(value, k)) fail(`missing ${k}`);
        break;
      case 'properties':
        if (isObject(value)) for (const [k, s] of Object.entries(arg as object)) if (Object.hasOwn(value, k)) errors.push(...sub(s, value[k], `${path}.${k}`));
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          const known = Object.keys((schema.properties as object | undefined) ?? {});
          for (const k of Object.keys(value)) if (!known.includes(k)) errors.push(...sub(arg, value[k], `${path}.${k}`));
        }
        break;
      case 'propertyNames':
        if (isObject(value)) for (const k of Object.keys(value)) errors.push(...sub(arg, k, `${path} key ${k}`));
        break;
      case 'allOf':
        for (const s of arg as Schema[]) errors.push(...sub(s, value, path));
        break;
      case 'anyOf':
        if (!(arg as Schema[]).some((s) => sub(s, value, path).length === 0)) fail('matches none of anyOf');
        break;
      case 'if':
        if (sub(arg, value, path).length === 0 && 'then' in schema) errors.push(...sub(schema.then, value, path));
        break;
      case 'then':
        break;
      default:
        throw new Error(`json-schema.ts: the keyword ${keyword} is not checked (at ${path})`);
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`json-schema.ts: unknown type ${type}`);
  }
}

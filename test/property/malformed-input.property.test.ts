// Malformed input, searched for: the shipped scenario files, sweep files and the agent's example
// configuration, each cut, doubled, re-indented or given another value on a few lines, must parse
// or be refused with one InputError line that names the file, never another exception. The bad
// input cases kept as data (scenarios/bad, sweeps/bad, test/bad-input) are the ones a person
// thought of; this is the rest.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { checkAgentDir } from '../../src/config/agent-dir.ts';
import { loadClusterDir } from '../../src/config/cluster-dir.ts';
import { parseScenario, parseScenarioSource } from '../../src/config/parse-scenario.ts';
import { parseSweep } from '../../src/config/parse-sweep.ts';
import { UsageError } from '../../src/config/usage-error.ts';
import { InputError } from '../../src/core/model/input-error.ts';

/** TOKENS are values a careless edit or a hostile file puts where a value was. */
const TOKENS = ['-1', '0', '1e309', 'null', '~', '[]', '{}', '""', "'", '"', 'NaN', '.inf', '-.inf', '99999999999999999999', 'true', '&a', '*a', '!!binary', '- x', ': x', '\t', '#', 'St', 'Nt', '0x10', '1_000', '2026-01-01', '<<: *a', '? x', '|', '>', '---', '\u0000', '\uFEFF', 'ring', 'Mail', '5s', '1e3', 'all', '../..', '/etc/passwd'];

type Edit = { kind: 'delete' | 'double' | 'value' | 'insert' | 'indent' | 'dedent' | 'cut'; line: number; at: number; token: string };

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('delete', 'double', 'value', 'insert', 'indent', 'dedent', 'cut'),
  line: fc.nat(),
  at: fc.nat(),
  token: fc.constantFrom(...TOKENS),
});

/** mutate applies a few line edits to a text. */
function mutate(text: string, edits: readonly Edit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const i = e.line % lines.length;
    const line = lines[i] as string;
    const at = e.at % (line.length + 1);
    if (e.kind === 'delete') lines.splice(i, 1);
    else if (e.kind === 'double') lines.splice(i, 0, line);
    else if (e.kind === 'value') lines[i] = line.includes(': ') ? line.slice(0, line.indexOf(': ') + 2) + e.token : line + e.token;
    else if (e.kind === 'insert') lines[i] = line.slice(0, at) + e.token + line.slice(at);
    else if (e.kind === 'indent') lines[i] = ` ${line}`;
    else if (e.kind === 'dedent') lines[i] = line.replace(/^ {1,2}/, '');
    else lines[i] = line.slice(0, at) + line.slice(at + 3);
    if (lines.length === 0) lines.push('');
  }
  return lines.join('\n');
}

/** refusedCleanly runs a parse and tells whether it passed or threw one line naming the file; anything else fails the property with its stack. */
function refusedCleanly(file: string, parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (e) {
    if (!(e instanceof InputError || e instanceof UsageError)) throw e;
    expect(e.message, 'one line').not.toContain('\n');
    if (e instanceof InputError) expect(e.message.startsWith(file), `${e.message} names ${file}`).toBe(true);
    return true;
  }
}

const yamlIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
const RUNS = 300;

describe('malformed input found by mutation', () => {
  const temp = mkdtempSync(join(tmpdir(), 'dbss-malformed-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  test('a shipped scenario with a few lines cut, doubled, re-indented or given another value parses or is refused with one line naming it', () => {
    const files = yamlIn('scenarios');
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(editArb, { minLength: 1, maxLength: 3 }), (file, edits) => {
        const text = mutate(readFileSync(file, 'utf8'), edits);
        return refusedCleanly(file, () => parseScenario(text, file, { loadCluster: (dir) => loadClusterDir(join(dirname(file), dir)) }));
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  test('a shipped sweep file, or its base scenario, mutated the same way parses or is refused with one line naming the file at fault', () => {
    const files = yamlIn('sweeps');
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.boolean(), fc.array(editArb, { minLength: 1, maxLength: 3 }), (file, mutateBase, edits) => {
        const sweepText = readFileSync(file, 'utf8');
        const basePath = /^scenario: (.+)$/m.exec(sweepText)?.[1]?.trim() ?? '';
        const baseFile = join(dirname(file), basePath);
        const baseText = readFileSync(baseFile, 'utf8');
        const parse = (): unknown =>
          parseSweep(mutateBase ? sweepText : mutate(sweepText, edits), file, {
            loadBase: () => ({ file: baseFile, text: mutateBase ? mutate(baseText, edits) : baseText }),
            parsePoint: (source, text) => parseScenarioSource(source, text, { loadCluster: (dir) => loadClusterDir(join(dirname(baseFile), dir)) }),
          });
        return refusedCleanly(mutateBase ? baseFile : file, parse);
      }),
      { numRuns: RUNS, seed: 11 },
    );
  });

  test("the agent's example configuration with one file mutated is checked without an exception: every problem is one line naming its file", () => {
    const example = 'deploy/example';
    const names = readdirSync(example).filter((f) => f.endsWith('.dat') || f === 'ring.txt' || f === 'agent.yaml');
    let run = 0;
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(editArb, { minLength: 1, maxLength: 3 }), (name, edits) => {
        const dir = join(temp, `agent-${run++}`);
        cpSync(example, dir, { recursive: true });
        writeFileSync(join(dir, name), mutate(readFileSync(join(example, name), 'utf8'), edits));
        const checked = checkAgentDir(dir);
        for (const p of checked.problems) {
          expect(p).toBeInstanceOf(InputError);
          expect(p.message, 'one line').not.toContain('\n');
          expect(p.message, 'starts with the file at fault').toMatch(/^[^\s:]+(:\d+)?: /);
        }
        rmSync(dir, { recursive: true, force: true });
        return true;
      }),
      { numRuns: RUNS, seed: 13 },
    );
  });
});

// Scenario tests as data (docs/style.md 8): every scenario file under scenarios/ and
// scenarios/regressions/ runs for its runs, and its `expect:` block is checked against each run:
// the servers served, managed and recovered at the end, and exactly the invariants it names as
// violated (none when it names none); src/sim/run/expectation.ts is the check, shared with `dbss sim`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/scenario-file.ts';
import { runSeed } from '../../src/sim/run/experiment.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import { expectationFailures } from '../../src/sim/run/expectation.ts';

const yamlIn = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f)) : [];
const files = [...yamlIn('scenarios'), ...yamlIn('scenarios/regressions')];

describe('every shipped scenario ends as its expect block says', () => {
  it.each(files)('%s', (file) => {
    const scenario = loadScenarioFile(file);
    expect(scenario.expect, `${file} has no expect block`).not.toBeNull();
    for (let run = 1; run <= scenario.runs; run++) {
      const out = runOnce(scenario.spec, runSeed(scenario.seed, run));
      const failures = expectationFailures(scenario.expect ?? {}, out).map((f) => `${f.claim}: ${f.detail}`);
      expect(failures, `${file} run ${run} (${out.violations.map((v) => v.detail).join('; ')})`).toEqual([]);
    }
  });
});

// Scenario tests as data (STYLE.md 8): every scenario file under scenarios/ runs for its runs,
// and its `expect:` block is checked against the end state of each run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/cli/scenario-file.ts';
import { outcomes } from '../../src/sim/outcome.ts';
import { runSeed } from '../../src/sim/experiment.ts';
import { runOnce } from '../../src/sim/run.ts';

const dir = 'scenarios';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('every shipped scenario ends as its expect block says', () => {
  it.each(files)('%s', (file) => {
    const scenario = loadScenarioFile(join(dir, file));
    expect(scenario.expect, `${file} has no expect block`).not.toBeNull();
    for (let run = 1; run <= scenario.runs; run++) {
      const out = runOnce({
        cluster: scenario.cluster,
        params: scenario.params,
        sim: scenario.sim,
        faults: scenario.faults,
        method: scenario.method,
        seed: runSeed(scenario.seed, run),
        ...(scenario.durationUs === null ? {} : { endAfterUs: scenario.durationUs }),
      });
      const end = new Map(outcomes(out.world).map((o) => [o.server, o]));
      for (const s of scenario.expect?.served ?? []) expect(end.get(s)?.served, `${file} run ${run}: ${s} served`).toBe(true);
      for (const s of scenario.expect?.recovered ?? []) expect(end.get(s)?.recovered, `${file} run ${run}: ${s} VIP back`).toBe(true);
      for (const s of scenario.expect?.managed ?? []) {
        expect(end.get(s)?.running, `${file} run ${run}: ${s} runs its program`).toBe(true);
        expect(end.get(s)?.managers, `${file} run ${run}: ${s} managed by exactly one server`).toHaveLength(1);
      }
    }
  });
});

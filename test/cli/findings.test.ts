// reports/FINDINGS.md is what `npm run explore` wrote: every finding in it names a scenario file
// that exists and expects the invariant the finding reports, so the scenario tests replay it.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/scenario-file.ts';

const report = readFileSync('reports/FINDINGS.md', 'utf8');
const findings = [...report.matchAll(/^### (\S+)\n[\s\S]*?replay: `dbss sim (\S+)`/gm)].map((m) => ({ invariant: m[1] as string, file: m[2] as string }));

describe('reports/FINDINGS.md', () => {
  it('lists findings for both methods', () => {
    expect(report).toContain('## Ring method');
    expect(report).toContain('## P2P method');
    expect(findings.length).toBeGreaterThan(0);
  });

  it.each(findings)('$invariant replays from $file, which expects it', ({ invariant, file }) => {
    expect(existsSync(file)).toBe(true);
    expect(loadScenarioFile(file).expect?.violations).toContain(invariant);
  });
});

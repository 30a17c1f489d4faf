// reports/FINDINGS.md is what `npm run explore` wrote: every finding in it names a scenario file
// that exists and expects the invariant the finding reports, so the scenario tests replay it; and
// read back as the baseline of `npm run explore`, it yields every one of those findings.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/scenario-file.ts';
import { findingKey, parseBaseline } from '../../src/report/findings/baseline.ts';

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

  it('read as a baseline, yields every finding with its method and the faults of its scenario file', () => {
    const known = parseBaseline(report, 'reports/FINDINGS.md');

    expect(known.map((k) => k.invariant)).toEqual(findings.map((f) => f.invariant));
    known.forEach((k, i) => {
      const scenario = loadScenarioFile(findings[i]?.file as string);
      expect(k.method).toBe(scenario.spec.hardening.length > 0 ? 'ring-hardened' : scenario.spec.method);
      expect(findingKey(k.method, k.invariant, k.faults)).toBe(findingKey(k.method, k.invariant, scenario.spec.faults));
    });
  });
});

// dbss explore as its users run it: the same --seed finds the same violations and writes the same
// files, findings replay with their command, exit status says whether something was found, and
// bad arguments get one line and status 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dbss(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dbss.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface ExploreJson {
  methods: { findings: { invariant: string; scenarioFile: string; replay: string }[] }[];
}

function explore(seed: number): { status: number | null; json: { violations: { invariant: string; scenarioFile: string; replay: string }[] }; files: Map<string, string> } {
  const out = mkdtempSync(join(tmpdir(), 'dbss-explore-'));
  dirs.push(out);
  const r = dbss('explore', '--runs', '120', '--seed', String(seed), '--faults', 'paper', '--out', out, '--json');
  const files = new Map(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'utf8').replace(out, '<out>')]));
  const json = JSON.parse(r.stdout) as ExploreJson;
  return { status: r.status, json: { violations: json.methods[0]?.findings ?? [] }, files };
}

describe('dbss explore', () => {
  it('finds the same violations and writes the same files for the same seed', () => {
    const a = explore(5);
    const b = explore(5);
    expect(a.json.violations.map((v) => v.invariant)).toEqual(b.json.violations.map((v) => v.invariant));
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    for (const [name, text] of a.files) expect(b.files.get(name)).toBe(text);
    expect(a.status).toBe(a.json.violations.length > 0 ? 1 : 0);
  });

  it('writes findings that dbss sim replays with the same violation', () => {
    const a = explore(5);
    for (const v of a.json.violations) {
      const r = dbss('sim', v.scenarioFile, '--json');
      const report = JSON.parse(r.stdout) as { violations: { invariant: string }[] };
      expect(report.violations.map((x) => x.invariant)).toContain(v.invariant);
    }
  });

  it('searches the hardened ring under its own name and writes its findings as hardened scenarios', () => {
    const out = mkdtempSync(join(tmpdir(), 'dbss-explore-'));
    dirs.push(out);
    const r = dbss('explore', '--method', 'ring-hardened', '--runs', '20', '--seed', '3', '--out', out, '--json');
    const findings = (JSON.parse(r.stdout) as ExploreJson).methods[0]?.findings ?? [];
    expect(r.status).toBe(findings.length > 0 ? 1 : 0);
    for (const v of findings) {
      expect(v.scenarioFile).toContain('ring-hardened-');
      expect(readFileSync(v.scenarioFile, 'utf8')).toContain('hardening: [fencing, semResync, readmission, heartbeatTrust]');
    }
  });

  it('refuses a list of runs that does not match the methods with one line and status 2', () => {
    const r = dbss('explore', '--method', 'ring,p2p', '--runs', '10,20,30');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --runs: expected one number or one per method (2), got "10,20,30"\n');
  });

  it('refuses a bad method with one line and status 2', () => {
    const r = dbss('explore', '--method', 'star');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --method: expected ring, p2p or ring-hardened (or several, comma-separated), got "star"\n');
  });
});

// dbss explore as a script runs it: one JSON shape whatever the number of methods, a baseline of
// known findings (FINDINGS.md or JSON) that only new findings fail, and --replay reaching a
// finding's schedule again from its fast-check seed and path. The searches are short ones on a
// ring without automatic connection selection, which breaks managed-once within a few schedules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.ts';
import { describeFault } from '../../src/sim/world/faults.ts';
import type { Fault } from '../../src/sim/world/faults.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dbss-baseline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SEARCH = ['explore', '--runs', '100', '--seed', '2', '--faults', 'paper', '--disable', 'automaticConnectionSelection', '--out', join(tmp, 'findings')];

interface FindingJson {
  method: string;
  invariant: string;
  known: boolean | null;
  faults: Fault[];
  detail: string;
  fcSeed: number;
  fcPath: string;
  exploreReplay: string;
}
interface ExploreJson {
  seed: number;
  baseline: { file: string; known: number; new: { method: string; invariant: string }[]; missing: number } | null;
  methods: { label: string; runs: number; shrinkRuns: number; randomPerSecond: number; workers: number; findings: FindingJson[]; coverage: unknown[] | null }[];
}

function dbss(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dbss.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let first: ExploreJson;
const report = join(tmp, 'FINDINGS.md');
beforeAll(() => {
  const r = dbss(...SEARCH, '--report', report, '--json');
  expect(r.status, r.stderr).toBe(1);
  first = JSON.parse(r.stdout) as ExploreJson;
});

describe('dbss explore --baseline', () => {
  it('finds something to compare in the short search', () => {
    expect(first.baseline).toBeNull();
    expect(first.methods[0]?.findings.map((f) => f.invariant)).toContain('managed-once');
  });

  it('exits 0 with the search\'s own FINDINGS.md as the baseline, saying every finding is known', () => {
    const r = dbss(...SEARCH, '--baseline', report);

    const n = first.methods[0]?.findings.length ?? 0;
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`baseline ${report}: ${n} of ${n} finding${n === 1 ? '' : 's'} known, none new\n`);
    expect(r.stdout).toContain('[known]');
  });

  it('exits 1 for findings not in a JSON baseline, marking them in JSON, and counts the baseline findings not met', () => {
    const file = join(tmp, 'other.json');
    // The search's own findings (a list of --json findings is a baseline), the first one changed to another invariant.
    const own = first.methods.flatMap((m) => m.findings);
    const changed = { ...(own[0] as FindingJson), invariant: 'vip-unique' };
    writeFileSync(file, JSON.stringify([changed, ...own.slice(1)]));

    const r = dbss(...SEARCH, '--baseline', file, '--json');

    const json = JSON.parse(r.stdout) as ExploreJson;
    expect(r.status).toBe(1);
    expect(json.baseline).toEqual({ file, known: own.length - 1, new: [{ method: 'ring', invariant: own[0]?.invariant }], missing: 1 });
    expect(json.methods[0]?.findings.map((f) => f.known)).toEqual(own.map((_, i) => i > 0));
  });
});

describe('dbss explore --json', () => {
  it('is one object with a methods array for any number of methods, each finding with seed, path and detail, and the coverage', () => {
    const r = dbss('explore', '--method', 'ring,p2p', '--runs', '20', '--seed', '2', '--faults', 'paper', '--coverage', '1', '--out', join(tmp, 'two'), '--json');

    const json = JSON.parse(r.stdout) as ExploreJson;
    expect(json.seed).toBe(2);
    expect(json.methods.map((m) => m.label)).toEqual(['ring', 'p2p']);
    for (const m of json.methods) {
      expect(m.runs).toBe(20);
      expect(m.workers).toBe(2);
      expect(m.shrinkRuns).toBeGreaterThanOrEqual(0);
      expect(m.coverage).toHaveLength(1);
    }
    const one = first.methods[0]?.findings[0] as FindingJson;
    expect(typeof one.fcSeed).toBe('number');
    expect(one.fcPath).toMatch(/^\d+(:\d+)*$/);
    expect(one.detail.length).toBeGreaterThan(0);
  });
});

describe('dbss explore --replay', () => {
  it('reaches a finding\'s schedule again from its fast-check seed and path, and exits 1 as it still breaks the invariant', async () => {
    const f = first.methods[0]?.findings[0] as FindingJson;
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((text: unknown) => void out.push(String(text)));

    let status: number;
    try {
      status = await main(['explore', '--faults', 'paper', '--seed', '2', '--disable', 'automaticConnectionSelection', '--replay', `${f.fcSeed}:${f.fcPath}`, '--json']);
    } finally {
      log.mockRestore();
    }

    const replayed = JSON.parse(out.join('\n')) as { faults: Fault[]; violations: { invariant: string }[] };
    expect(status).toBe(1);
    expect(replayed.faults.map(describeFault)).toEqual(f.faults.map(describeFault));
    expect(replayed.violations.map((v) => v.invariant)).toContain(f.invariant);
    expect(f.exploreReplay).toContain(`--replay ${f.fcSeed}:${f.fcPath}`);
  });
});

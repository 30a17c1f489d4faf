// dbss sim --untraced: a scenario's ring of thousands of servers, which the trace hash would price
// at K^2 records a tick, runs without it; the refusal of the traced run says so.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DBSS = join(import.meta.dirname, '../../bin/dbss.js');

function dbss(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [DBSS, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dbss sim --untraced', () => {
  let dir = '';
  let scenario = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbss-untraced-'));
    scenario = join(dir, 'ring-5000.yaml');
    // Traced, each tick's stamps are 5,000 x 5,000 trace records; untraced, the run takes seconds.
    await writeFile(scenario, 'cluster: { synthetic: 5000 }\nruns: 1\nfaults:\n  - { server: S4000, type: Nt, at: 5 }\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses the traced run of a 5,000-server ring with one line that names --untraced, and runs it untraced', () => {
    const traced = dbss('sim', scenario);
    expect(traced.status).toBe(2);
    expect(traced.stderr).toMatch(/^error: .*ring-5000\.yaml: simulation budget: expected at most .*; --untraced runs it without the trace hash, which records every replica's copy of every SEM record\n$/);

    const untraced = dbss('sim', scenario, '--untraced', '--json');
    expect(untraced.status, untraced.stderr).toBe(0);
    const report = JSON.parse(untraced.stdout) as { traceHash: string; violations: unknown[]; targets: { server: string }[] };
    expect(report.traceHash).toBe('off');
    expect(report.violations).toEqual([]);
    expect(report.targets.map((t) => t.server)).toEqual(['S4000']);
  }, 120_000);

  it('refuses --untraced with --trace, which keeps the trace it leaves out', () => {
    expect(dbss('sim', 'scenarios/single-ftp-nt.yaml', '--untraced', '--trace', '--out', dir)).toMatchObject({ status: 2, stderr: 'error: --trace keeps the trace that --untraced leaves out: give one of them\n' });
  });
});

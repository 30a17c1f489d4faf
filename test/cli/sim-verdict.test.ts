// dbss sim's exit status is its verdict (Jepsen's convention): 0 when every run kept every
// invariant and ended as the scenario's expect: block says, 1 when a run broke an invariant (even
// one the scenario expects) or an expectation failed, 2 on bad input. The cases run in-process
// through cli.ts main, and one as a real process to check the status a shell sees.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { failureOf, main } from '../../src/cli/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dbss-verdict-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** sim runs `dbss sim ARGS` in-process and returns its status with what it printed. */
async function sim(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`));
  try {
    return { status: await main(['sim', ...args]), stdout: out.join(''), stderr: '' };
  } catch (e) {
    const f = failureOf(e);
    return { status: f.status, stdout: out.join(''), stderr: f.stderr };
  } finally {
    log.mockRestore();
  }
}

/** withExpect writes single-ftp-nt.yaml with its expect block replaced. */
function withExpect(name: string, expectBlock: string): string {
  const text = readFileSync('scenarios/single-ftp-nt.yaml', 'utf8').replace(/^expect:[\s\S]*$/m, expectBlock);
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

const VIP_UNIQUE = 'scenarios/regressions/ring-vip-unique-d3379dee.yaml';

describe('dbss sim exit status', () => {
  it('is 0 when every run breaks nothing and meets every expectation, and says so after the table', async () => {
    const r = await sim(['scenarios/single-ftp-nt.yaml', '--runs', '2']);

    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: valid (exit status 0): no invariant broken, every expectation met');
  });

  it('is 1 when a run breaks an invariant the scenario expects, naming it and the runs', async () => {
    const r = await sim([VIP_UNIQUE, '--runs', '1']);

    expect(r.status).toBe(1);
    expect(r.stdout).toContain('\ninvalid: vip-unique broken in run 1 of 1 (the scenario expects it)\n');
    expect(r.stdout).not.toContain('expectation failed');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: invalid (exit status 1)');
  });

  it('is 1 when no invariant breaks but an expected violation does not happen', async () => {
    const file = withExpect('expects-violation', 'expect:\n  violations: [vip-unique]\n');

    const r = await sim([file, '--runs', '2']);

    expect(r.status).toBe(1);
    expect(r.stdout).toContain('\nexpectation failed (violations) in runs 1-2 of 2: broke none, expected vip-unique\n');
    expect(r.stdout).not.toContain('invalid: vip-unique');
  });

  it('is 1 when a server the scenario expects served, recovered and managed is not, one line per claim', async () => {
    const file = withExpect('expects-mail-back', 'expect:\n  recovered: [FTP]\n  served: [FTP]\n  managed: [FTP]\n');
    const early = readFileSync(file, 'utf8').replace(/^runs: 10$/m, 'runs: 1\nduration: 30');
    writeFileSync(file, early);

    const r = await sim([file]);

    expect(r.status).toBe(1);
    expect(r.stdout).toContain("expectation failed (recovered) in run 1 of 1: FTP's VIP not back on its real server at the end");
    expect(r.stdout).toContain('expectation failed (managed) in run 1 of 1: FTP not running its management program at the end');
  });

  it('carries the verdict in --json', async () => {
    const r = await sim([VIP_UNIQUE, '--runs', '1', '--json']);

    const report = JSON.parse(r.stdout) as { verdict: unknown };
    expect(r.status).toBe(1);
    expect(report.verdict).toEqual({ status: 1, invariants: [{ invariant: 'vip-unique', runs: [1], expected: true }], expectations: [] });
  });

  it('is 2 on bad input, with one line', async () => {
    const r = await sim(['scenarios/single-ftp-nt.yaml', '--runs', '0']);

    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --runs: expected a whole number from 1 to 10000, got 0\n');
    expect(r.stdout).toBe('');
  });

  it('is what a shell sees from a real process: 1 for a broken invariant', () => {
    const r = spawnSync(process.execPath, ['bin/dbss.js', 'sim', VIP_UNIQUE, '--runs', '1'], { encoding: 'utf8' });

    expect(r.status).toBe(1);
    expect(r.stdout).toContain('verdict: invalid (exit status 1)');
  });

  it('says the exit statuses in --help', async () => {
    const r = await sim(['--help']);

    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Exit status: 0 when every run broke no invariant');
  });
});

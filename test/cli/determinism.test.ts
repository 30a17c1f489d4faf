// Determinism is itself tested (docs/architecture.md "Checking"): the same scenario and seed, run in two
// separate processes, give the same trace hash; another seed gives another.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function simJson(...args: string[]): { traceHash: string } {
  const stdout = execFileSync(process.execPath, ['bin/dbss.js', 'sim', ...args, '--json'], { encoding: 'utf8' });
  return JSON.parse(stdout) as { traceHash: string };
}

describe('dbss sim is a pure function of the scenario and the seed', () => {
  it('two processes running the same scenario and seed print the same trace hash', () => {
    const first = simJson('scenarios/fig10b-two-nt.yaml', '--seed', '7', '--runs', '2');
    const second = simJson('scenarios/fig10b-two-nt.yaml', '--seed', '7', '--runs', '2');
    expect(first.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.traceHash).toBe(first.traceHash);
  });

  it('a different seed gives a different trace hash', () => {
    const a = simJson('scenarios/single-ftp-nt.yaml', '--seed', '1', '--runs', '1');
    const b = simJson('scenarios/single-ftp-nt.yaml', '--seed', '2', '--runs', '1');
    expect(b.traceHash).not.toBe(a.traceHash);
  });
});

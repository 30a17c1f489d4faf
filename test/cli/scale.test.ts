// dbss scale: one run per ring size in a process of its own; the JSON a script reads, and the
// one-line refusals of sizes the simulator cannot take.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitExponent } from '../../src/report/scale/scale-report.ts';

const DBSS = join(import.meta.dirname, '../../bin/dbss.js');

function dbss(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [DBSS, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dbss scale', () => {
  it('prints per ring size the servers, wall time, events, peak memory, faults, violations and messages per server and second', () => {
    const r = dbss('scale', '--servers', '6,12', '--hours', '0.05', '--json');
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => x.servers)).toEqual([6, 12]);
    for (const x of rows) {
      for (const key of ['wallSeconds', 'events', 'peakRssBytes', 'faults', 'messagesPerServerPerSecond']) expect(typeof x[key], key).toBe('number');
      expect(x.violations).toEqual([]);
      expect(x.faults).toBe(1);
      expect(x.peakRssBytes as number).toBeGreaterThan(10e6);
    }
    // Every server's heartbeat stamp goes to every other server: the ring of 12 sends each server about twice the records of the ring of 6.
    const [six, twelve] = rows as unknown as [{ messagesPerServerPerSecond: number }, { messagesPerServerPerSecond: number }];
    expect(twelve.messagesPerServerPerSecond).toBeGreaterThan(1.4 * six.messagesPerServerPerSecond);
  }, 120_000);

  it('refuses a ring below 2 or above 10,000 servers, or beyond the event budget, with one line and status 2', () => {
    expect(dbss('scale', '--servers', '1')).toMatchObject({ status: 2, stderr: 'error: --servers: expected a whole number from 2 to 10000, got 1\n' });
    expect(dbss('scale', '--servers', '6,10001')).toMatchObject({ status: 2, stderr: 'error: --servers: expected a whole number from 2 to 10000, got 10001\n' });
    const budget = dbss('scale', '--servers', '10000', '--hours', '24');
    expect(budget.status).toBe(2);
    expect(budget.stderr).toMatch(/^error: --servers 10000: expected at most 3e\+8 simulated events per invocation; .*\n$/);
  });

  it('fits the exponent of a power law', () => {
    expect(fitExponent([1, 2, 4, 8].map((x) => ({ x, y: 3 * x ** 1.5 })))).toBeCloseTo(1.5, 9);
    expect(fitExponent([{ x: 1, y: 1 }])).toBeNull();
  });
});

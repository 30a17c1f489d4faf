import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cpuIdlePct,
  netBytesPerS,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  readLocalLoad,
  readRemoteLoad,
} from '../../src/drivers/proc-load.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/drivers', name), 'utf8');

describe('/proc parsers', () => {
  it('takes MemAvailable as the free memory when the kernel gives it', () => {
    expect(parseMeminfo(fixture('meminfo.txt'))).toBe(5_123_456);
  });

  it('falls back to MemFree + Buffers + Cached on a kernel without MemAvailable', () => {
    expect(parseMeminfo(fixture('meminfo-no-available.txt'))).toBe(1_204_312 + 188_460 + 3_311_236);
  });

  it('refuses a meminfo that has neither MemAvailable nor the three fallback fields', () => {
    expect(() => parseMeminfo('MemTotal: 100 kB\nMemFree: 50 kB\n')).toThrow(/neither MemAvailable/);
  });

  it('reads the aggregate cpu line and counts the cores of /proc/stat', () => {
    const snapshot = parseProcStat(fixture('stat-a.txt'));

    expect(snapshot.cores).toBe(4);
    expect(snapshot.idleJiffies).toBe(40_312_880 + 25_170);
    expect(snapshot.totalJiffies).toBe(1_043_220 + 1_520 + 330_410 + 40_312_880 + 25_170 + 0 + 11_240 + 0);
  });

  it('computes the idle rate over two snapshots as a share of cores x 100 (Sec. 3.3)', () => {
    const idle = cpuIdlePct(parseProcStat(fixture('stat-a.txt')), parseProcStat(fixture('stat-b.txt')));

    // (300 idle + 10 iowait) / 400 jiffies x 4 cores x 100
    expect(idle).toBeCloseTo(310, 9);
  });

  it('refuses to make up an idle rate when no CPU time elapsed', () => {
    const a = parseProcStat(fixture('stat-a.txt'));
    expect(() => cpuIdlePct(a, a)).toThrow(/no CPU time elapsed/);
  });

  it('sums received and sent bytes per interface from /proc/net/dev', () => {
    const snapshot = parseNetDev(fixture('net-dev-a.txt'));

    expect([...snapshot.keys()]).toEqual(['lo', 'eth0', 'eth1', 'vnet0']);
    expect(snapshot.get('eth0')).toBe(4_812_337_762 + 1_203_991_882);
  });

  it('gives bytes per second over every interface except lo', () => {
    const rate = netBytesPerS(parseNetDev(fixture('net-dev-a.txt')), parseNetDev(fixture('net-dev-b.txt')), 2000);

    expect(rate).toBe(1_750_000);
  });

  it('counts a reset counter as no traffic and ignores an interface seen only once', () => {
    const before = new Map([['eth0', 5_000], ['vnet1', 9_000_000]]);
    const after = new Map([['eth0', 7_000], ['vnet1', 100], ['vnet2', 4_000_000]]);

    expect(netBytesPerS(before, after, 1000)).toBe(2_000);
  });
});

describe('reading the load', () => {
  it('reads two snapshots through the injected reader and divides traffic by the measured time', async () => {
    const reads: string[] = [];
    let round = 0;
    const files = [
      { '/proc/stat': fixture('stat-a.txt'), '/proc/net/dev': fixture('net-dev-a.txt') },
      { '/proc/stat': fixture('stat-b.txt'), '/proc/net/dev': fixture('net-dev-b.txt') },
    ];
    const reader = async (path: string): Promise<string> => {
      reads.push(path);
      if (path === '/proc/meminfo') return fixture('meminfo.txt');
      const text = files[round]?.[path as '/proc/stat' | '/proc/net/dev'];
      if (path === '/proc/net/dev') round += 1;
      if (text === undefined) throw new Error(`unexpected read of ${path}`);
      return text;
    };
    const clock = [1_000, 3_000];
    let tick = 0;

    const sample = await readRemoteLoad(reader, { intervalMs: 10, nowMs: () => clock[tick++] ?? Number.NaN });

    expect(sample).toEqual({ freeMemKb: 5_123_456, cpuIdlePct: 310, netBytesPerS: 1_750_000 });
    expect(reads).toEqual(['/proc/stat', '/proc/net/dev', '/proc/stat', '/proc/net/dev', '/proc/meminfo']);
  });

  it('measures this machine with values in their ranges', async () => {
    const sample = await readLocalLoad({ intervalMs: 100 });

    expect(sample.freeMemKb).toBeGreaterThan(0);
    expect(sample.cpuIdlePct).toBeGreaterThanOrEqual(0);
    expect(sample.netBytesPerS).toBeGreaterThanOrEqual(0);
  });

  it('stops waiting between the snapshots when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    await expect(readLocalLoad({ intervalMs: 10_000, signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

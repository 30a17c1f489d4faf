// Load measurement of a management server from /proc (Sec. 3.3, A1 of Fig. 12): free memory m,
// CPU idle rate c and bytes sent plus received n, each measured over one short interval.
// The parsers are pure; readLocalLoad and readRemoteLoad only differ in who reads the files.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadSample } from '../core/model/load.ts';

export type { LoadSample };

/** CpuSnapshot is the aggregate "cpu" line of /proc/stat, in jiffies, and the number of cores. */
export interface CpuSnapshot {
  idleJiffies: number;
  totalJiffies: number;
  cores: number;
}

/** NetSnapshot maps each interface to its bytes received plus bytes sent since it came up. */
export type NetSnapshot = ReadonlyMap<string, number>;

/**
 * parseMeminfo returns the memory available for new work in kB. MemAvailable is the kernel's
 * own estimate (Linux 3.14 and later); older kernels such as CentOS 6's lack it, and there
 * MemFree + Buffers + Cached is the customary estimate.
 */
export function parseMeminfo(text: string): number {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m !== null && m[1] !== undefined && m[2] !== undefined) fields.set(m[1], Number(m[2]));
  }
  const available = fields.get('MemAvailable');
  if (available !== undefined) return available;
  const free = fields.get('MemFree');
  const buffers = fields.get('Buffers');
  const cached = fields.get('Cached');
  if (free === undefined || buffers === undefined || cached === undefined) {
    throw new Error('/proc/meminfo has neither MemAvailable nor MemFree, Buffers and Cached');
  }
  return free + buffers + cached;
}

/**
 * parseProcStat reads the aggregate cpu line: user nice system idle iowait irq softirq steal
 * [guest guest_nice]. guest and guest_nice are already counted in user and nice, so they are left
 * out of the total. Idle time is idle + iowait: a core waiting for I/O could run a virtual server.
 */
export function parseProcStat(text: string): CpuSnapshot {
  let aggregate: number[] | null = null;
  let cores = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) aggregate = line.trim().split(/\s+/).slice(1).map(Number);
    else if (/^cpu\d+\s/.test(line)) cores += 1;
  }
  if (aggregate === null || aggregate.length < 4 || aggregate.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new Error('/proc/stat has no valid aggregate "cpu" line');
  }
  if (cores === 0) throw new Error('/proc/stat lists no cpuN lines');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = aggregate;
  return { idleJiffies: idle + iowait, totalJiffies: user + nice + system + idle + iowait + irq + softirq + steal, cores };
}

/** parseNetDev returns rx + tx bytes per interface from /proc/net/dev (two header lines, then one line each). */
export function parseNetDev(text: string): NetSnapshot {
  const result = new Map<string, number>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const numbers = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    const rx = numbers[0];
    const tx = numbers[8];
    if (name === '' || rx === undefined || tx === undefined || !Number.isFinite(rx) || !Number.isFinite(tx)) {
      throw new Error(`/proc/net/dev: cannot read the line ${JSON.stringify(line)}`);
    }
    result.set(name, rx + tx);
  }
  return result;
}

/**
 * cpuIdlePct is the idle share between two snapshots times cores x 100, so that it runs from 0
 * to cores x 100 as top shows it and as Sec. 3.3 caps Pc. With no jiffies elapsed (two reads in
 * the same tick) there is no measurement; that is an error, not a made-up 100 %.
 */
export function cpuIdlePct(before: CpuSnapshot, after: CpuSnapshot): number {
  const totalDelta = after.totalJiffies - before.totalJiffies;
  const idleDelta = after.idleJiffies - before.idleJiffies;
  if (totalDelta <= 0) throw new Error('no CPU time elapsed between the two /proc/stat snapshots');
  const fraction = Math.min(1, Math.max(0, idleDelta / totalDelta));
  return fraction * after.cores * 100;
}

/**
 * netBytesPerS is the traffic between two snapshots. Only interfaces present in both count, and
 * a counter that went down (an interface re-created, e.g. a vnet of a resumed virtual server)
 * counts as zero rather than as a huge negative or wrapped number.
 */
export function netBytesPerS(
  before: NetSnapshot,
  after: NetSnapshot,
  elapsedMs: number,
  include: (iface: string) => boolean = defaultInterfaceFilter,
): number {
  if (!(elapsedMs > 0)) throw new RangeError(`elapsedMs must be positive, got ${elapsedMs}`);
  let bytes = 0;
  for (const [iface, afterBytes] of after) {
    const beforeBytes = before.get(iface);
    if (!include(iface) || beforeBytes === undefined) continue;
    bytes += Math.max(0, afterBytes - beforeBytes);
  }
  return (bytes * 1000) / elapsedMs;
}

/** defaultInterfaceFilter counts every interface except loopback, whose traffic never leaves the host. */
export function defaultInterfaceFilter(iface: string): boolean {
  return iface !== 'lo';
}

/** ProcReader reads one /proc file; locally fs.readFile, remotely a command over SSH. */
export type ProcReader = (path: string, signal?: AbortSignal) => Promise<string>;

export interface ReadLoadOptions {
  /** intervalMs is the time between the two snapshots. */
  intervalMs: number;
  signal?: AbortSignal;
  includeInterface?: (iface: string) => boolean;
  /** nowMs is a monotonic clock in ms (performance.now by default), injectable for tests. */
  nowMs?: () => number;
}

/**
 * readLoad takes two snapshots of /proc/meminfo, /proc/stat and /proc/net/dev intervalMs apart
 * through reader, and returns the sample. The traffic rate divides by the measured time between
 * the two /proc/net/dev reads, not by intervalMs, because a remote read takes its own time.
 */
export async function readLoad(reader: ProcReader, opts: ReadLoadOptions): Promise<LoadSample> {
  if (!(opts.intervalMs > 0) || !Number.isFinite(opts.intervalMs)) {
    throw new RangeError(`intervalMs must be positive and finite, got ${opts.intervalMs}`);
  }
  const nowMs = opts.nowMs ?? (() => performance.now());
  const snapshot = async (): Promise<{ cpu: CpuSnapshot; net: NetSnapshot; atMs: number }> => {
    const statText = await reader('/proc/stat', opts.signal);
    const netText = await reader('/proc/net/dev', opts.signal);
    return { cpu: parseProcStat(statText), net: parseNetDev(netText), atMs: nowMs() };
  };
  const first = await snapshot();
  await sleep(opts.intervalMs, undefined, opts.signal === undefined ? {} : { signal: opts.signal });
  const second = await snapshot();
  const freeMemKb = parseMeminfo(await reader('/proc/meminfo', opts.signal));
  const sample = {
    freeMemKb,
    cpuIdlePct: cpuIdlePct(first.cpu, second.cpu),
    netBytesPerS: netBytesPerS(first.net, second.net, second.atMs - first.atMs, opts.includeInterface),
  };
  if (sample.freeMemKb < 0 || sample.cpuIdlePct < 0 || sample.netBytesPerS < 0) throw new Error('negative load sample');
  return sample;
}

/** readLocalLoad measures this machine. */
export function readLocalLoad(opts: ReadLoadOptions): Promise<LoadSample> {
  return readLoad((path, signal) => readFile(path, { encoding: 'utf8', ...(signal === undefined ? {} : { signal }) }), opts);
}

/** readRemoteLoad measures another machine through a reader that fetches its /proc files (ssh.ts supplies one). */
export function readRemoteLoad(reader: ProcReader, opts: ReadLoadOptions): Promise<LoadSample> {
  return readLoad(reader, opts);
}

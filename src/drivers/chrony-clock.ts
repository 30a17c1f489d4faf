// The real clock of a management server (Sec. 3.2, Fig. 7(b)): wall time kept accurate by
// chronyd, monitoring ticks on multiples of the interval in UNIX time, so that every management
// server examines its target at the same instants without talking to the others.
import { nextMultipleUs } from '../core/model/time.ts';
import { type CallOptions, ExecError, runProgram } from './exec.ts';

/**
 * ChronyTracking is one line of `chronyc -c tracking`, 14 comma-separated fields. In CSV mode
 * chronyc prints offsets as signed seconds; systemTimeOffsetS is chronyd's current correction,
 * positive when the system clock is slow of NTP time (chronyc's human output says "slow").
 */
export interface ChronyTracking {
  referenceId: string;
  referenceName: string;
  stratum: number;
  refTimeS: number;
  systemTimeOffsetS: number;
  lastOffsetS: number;
  rmsOffsetS: number;
  frequencyPpm: number;
  residualFreqPpm: number;
  skewPpm: number;
  rootDelayS: number;
  rootDispersionS: number;
  updateIntervalS: number;
  /** leapStatus is "Normal", "Insert second", "Delete second" or "Not synchronised". */
  leapStatus: string;
}

const LEAP_STATUSES = new Set(['Normal', 'Insert second', 'Delete second', 'Not synchronised']);

/** parseChronyTracking reads the first line of `chronyc -c tracking` and refuses anything else. */
export function parseChronyTracking(text: string): ChronyTracking {
  const line = text.split('\n')[0] ?? '';
  const f = line.split(',');
  if (f.length !== 14) throw new Error(`chronyc -c tracking: expected 14 fields, got ${f.length} in ${JSON.stringify(line)}`);
  const num = (i: number, name: string): number => {
    const value = Number(f[i]);
    if (f[i] === '' || !Number.isFinite(value)) throw new Error(`chronyc -c tracking: ${name} is not a number: ${JSON.stringify(f[i])}`);
    return value;
  };
  const referenceId = f[0] ?? '';
  if (!/^[0-9A-F]{8}$/.test(referenceId)) throw new Error(`chronyc -c tracking: bad reference ID ${JSON.stringify(referenceId)}`);
  const leapStatus = f[13] ?? '';
  if (!LEAP_STATUSES.has(leapStatus)) throw new Error(`chronyc -c tracking: unknown leap status ${JSON.stringify(leapStatus)}`);
  return {
    referenceId,
    referenceName: f[1] ?? '',
    stratum: num(2, 'stratum'),
    refTimeS: num(3, 'ref time'),
    systemTimeOffsetS: num(4, 'system time'),
    lastOffsetS: num(5, 'last offset'),
    rmsOffsetS: num(6, 'RMS offset'),
    frequencyPpm: num(7, 'frequency'),
    residualFreqPpm: num(8, 'residual freq'),
    skewPpm: num(9, 'skew'),
    rootDelayS: num(10, 'root delay'),
    rootDispersionS: num(11, 'root dispersion'),
    updateIntervalS: num(12, 'update interval'),
    leapStatus,
  };
}

/** SyncVerdict says whether this server may act as a manager now, and why not. */
export type SyncVerdict =
  | { ok: true; offsetUs: number; tracking: ChronyTracking }
  | { ok: false; reason: string; tracking: ChronyTracking | null };

/** ChronycRunner runs chronyc with args and returns its stdout; injectable for tests. */
export type ChronycRunner = (args: readonly string[], opts: CallOptions) => Promise<string>;

export interface ChronyClockOptions {
  runChronyc?: ChronycRunner;
  /** env is used by the default runner (tests put a fake chronyc first in PATH). */
  env?: NodeJS.ProcessEnv;
  /** socket is chronyd's command socket, which the default runner hands chronyc as -h; chronyc's own default when absent. */
  socket?: string;
  /** wallClockMs reads the wall clock in ms (Date.now by default). */
  wallClockMs?: () => number;
}

/** CHRONYC_DEFAULT_TIMEOUT_MS bounds one chronyc call; it answers from a local socket in milliseconds. */
export const CHRONYC_DEFAULT_TIMEOUT_MS = 2000;

/**
 * ChronyClock is the real world's clock, whose nowUs the agent hands its program as `now`. nowUs reads the wall clock, not a monotonic
 * one, because the paper aligns ticks across servers on UNIX time (Sec. 3.2); chronyd keeps that
 * wall clock close to its time server, and checkSynchronised says when it does not.
 * Resolution is 1 ms (Date.now), far below the 10 s interval and the 0.01 s of the paper's logs.
 */
export class ChronyClock {
  private readonly runChronyc: ChronycRunner;
  private readonly wallClockMs: () => number;

  constructor(opts: ChronyClockOptions = {}) {
    this.wallClockMs = opts.wallClockMs ?? Date.now;
    this.runChronyc =
      opts.runChronyc ??
      (async (args, call) => {
        const host = opts.socket === undefined ? [] : ['-h', opts.socket];
        return (await runProgram('chronyc', [...host, ...args], { ...call, ...(opts.env === undefined ? {} : { env: opts.env }) })).stdout;
      });
  }

  /** nowUs is the wall time in integer microseconds since the UNIX epoch. */
  nowUs(): number {
    const us = Math.round(this.wallClockMs() * 1000);
    if (!Number.isSafeInteger(us) || us < 0) throw new Error(`wall clock gave an impossible time: ${us} µs`);
    return us;
  }

  /** nextTickUs is the first multiple of intervalUs in UNIX time strictly after now (Sec. 3.2). */
  nextTickUs(intervalUs: number): number {
    if (!Number.isSafeInteger(intervalUs) || intervalUs <= 0) throw new RangeError(`intervalUs must be a positive integer, got ${intervalUs}`);
    return nextMultipleUs(this.nowUs(), intervalUs);
  }

  /**
   * checkSynchronised runs `chronyc -c tracking` and refuses when chronyd says it is not
   * synchronised, when the clock is off by more than maxOffsetUs, or when chronyc gives no
   * answer at all: a manager whose ticks are not aligned with the others' would examine its
   * target at the wrong instants, so doubt means no. It never throws for these cases.
   */
  async checkSynchronised(opts: { maxOffsetUs: number; timeoutMs?: number; signal?: AbortSignal }): Promise<SyncVerdict> {
    if (!(opts.maxOffsetUs >= 0)) throw new RangeError(`maxOffsetUs must be non-negative, got ${opts.maxOffsetUs}`);
    let tracking: ChronyTracking;
    try {
      const stdout = await this.runChronyc(['-c', 'tracking'], {
        timeoutMs: opts.timeoutMs ?? CHRONYC_DEFAULT_TIMEOUT_MS,
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
      tracking = parseChronyTracking(stdout);
    } catch (error) {
      return { ok: false, reason: `cannot read chrony tracking: ${chronycFailure(error)}`, tracking: null };
    }
    if (tracking.leapStatus === 'Not synchronised') {
      return { ok: false, reason: 'chronyd is not synchronised', tracking };
    }
    // Compared before rounding, so that 2000.001 µs is over a 2000 µs limit.
    const exactOffsetUs = tracking.systemTimeOffsetS * 1e6;
    const offsetUs = Math.round(exactOffsetUs);
    if (Math.abs(exactOffsetUs) > opts.maxOffsetUs) {
      return { ok: false, reason: `clock is off by ${offsetUs} µs, more than the allowed ${opts.maxOffsetUs} µs`, tracking };
    }
    return { ok: true, offsetUs, tracking };
  }
}

/** chronycFailure words a failed chronyc call; chronyc prints some refusals on stdout ("506 Cannot talk to daemon"), which ExecError's message leaves out. */
function chronycFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const said = error instanceof ExecError && error.stderr.trim() === '' ? (error.stdout.trim().split('\n')[0] ?? '') : '';
  return said === '' ? message : `${message}: ${said}`;
}

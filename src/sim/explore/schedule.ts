// Fault schedules for property-based exploration: fast-check arbitraries that shrink towards
// fewer faults, earlier times, shorter windows and the paper's two fault types, so a failing
// schedule ends as the smallest scenario that still shows the problem.
import fc from 'fast-check';
import { secondsToUs } from '../../core/model/time.ts';
import type { Fault, FaultType } from '../world/faults.ts';

export interface ScheduleOptions {
  servers: readonly string[];
  maxFaults: number;
  /** latestUs bounds every fault (and window end), leaving the liveness bound before the run ends. */
  latestUs: number;
  /** types are the fault types drawn; St and Nt first, so shrinking prefers them. */
  types: readonly FaultType[];
}

const MS = 1000;

/** faultArbitrary draws one fault; times are whole milliseconds. */
export function faultArbitrary(o: ScheduleOptions): fc.Arbitrary<Fault> {
  const latestMs = Math.floor(o.latestUs / MS);
  return fc
    .record({
      server: fc.constantFrom(...o.servers),
      type: fc.constantFrom(...o.types),
      atMs: fc.integer({ min: 0, max: latestMs }),
      durationMs: fc.integer({ min: 1000, max: 120_000 }),
      delayMs: fc.integer({ min: 0, max: 15_000 }),
      offsetMs: fc.integer({ min: -8_000, max: 8_000 }),
    })
    .map((r): Fault => {
      const fault: Fault = { server: r.server, type: r.type, atUs: r.atMs * MS };
      switch (r.type) {
        case 'SemLoss':
        case 'ServicePartition':
        case 'ManagementPartition':
          fault.durationUs = Math.min(r.durationMs * MS, Math.max(MS, o.latestUs - fault.atUs));
          break;
        case 'SemDelay':
          fault.durationUs = Math.min(r.durationMs * MS, Math.max(MS, o.latestUs - fault.atUs));
          fault.delayUs = r.delayMs * MS;
          break;
        case 'ClockOff':
          fault.offsetUs = r.offsetMs * MS;
          break;
        default:
          break;
      }
      return fault;
    });
}

/** scheduleArbitrary draws 1..maxFaults faults, sorted by time so a scenario file reads in order. */
export function scheduleArbitrary(o: ScheduleOptions): fc.Arbitrary<Fault[]> {
  return fc
    .array(faultArbitrary(o), { minLength: 1, maxLength: o.maxFaults })
    .map((faults) => [...faults].sort((a, b) => a.atUs - b.atUs || a.server.localeCompare(b.server)));
}

/** EXPLORE_RUN_US is one explored run: ten simulated minutes (issue 4's measure of speed). */
export const EXPLORE_RUN_US = secondsToUs(600);

// The `availability:` block of a sweep file: a long-run study of Fig. 16's architectures under a
// fault process (src/sim/sweep/fault-process.ts) instead of a scenario's own faults. Its numbers
// can also be axes (mtbfHours: [720, 2160]), and so can the architecture.
import * as z from 'zod';
import { US_PER_S } from '../core/model/time.ts';
import { ARCHITECTURES } from '../sim/sweep/architectures.ts';
import type { Architecture } from '../sim/sweep/architectures.ts';
import type { PointAvailability, SweepAxis } from '../sim/sweep/sweep.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';

const US_PER_HOUR = 3600 * US_PER_S;
const US_PER_YEAR = 365 * 24 * US_PER_HOUR;

/** PROCESS_NUMBERS are the block's keys, each with its rule and what it expects; each can be an axis. */
export const PROCESS_NUMBERS = {
  // At least a day: the downtime is scaled to a year, and a horizon that rounds to nothing would divide by zero.
  years: { ok: (v: number) => v >= 1 / 365 && v <= 100, expected: 'simulated years per replication, from a day (0.00274) to 100' },
  mtbfHours: { ok: (v: number) => v >= 1 && v <= 10_000_000, expected: "each server's mean time between failures in hours, from 1 to 1e7" },
  stShare: { ok: (v: number) => v >= 0 && v <= 1, expected: 'the share of failures that are St (the rest Nt), from 0 to 1' },
  operatorRepairHours: { ok: (v: number) => v > 0 && v <= 10_000, expected: 'hours an operator takes to repair a dedicated management server, above 0 and at most 10000' },
  // Correlated failures (fault-process.ts): 0, the default, draws none.
  commonCauseMtbfHours: { ok: (v: number) => v === 0 || (v >= 1 && v <= 10_000_000), expected: 'the mean time between common-cause events in the whole cluster in hours, 0 (none) or from 1 to 1e7' },
  commonCauseServers: { ok: (v: number) => Number.isInteger(v) && v >= 2 && v <= 10_000, expected: 'how many neighbouring servers a common-cause event shuts down, a whole number from 2 to 10000' },
} as const;
export type ProcessNumber = keyof typeof PROCESS_NUMBERS;
export const PROCESS_NUMBER_NAMES = Object.keys(PROCESS_NUMBERS) as ProcessNumber[];

/** DEFAULTS: a year per replication, a failure a month per server, half St; an operator within a working day; no correlated failures. */
const DEFAULTS: Record<ProcessNumber, number> = { years: 1, mtbfHours: 720, stShare: 0.5, operatorRepairHours: 4, commonCauseMtbfHours: 0, commonCauseServers: 2 };

const numberRule = (key: ProcessNumber) => z.number({ error: PROCESS_NUMBERS[key].expected }).refine(PROCESS_NUMBERS[key].ok, { error: PROCESS_NUMBERS[key].expected });

export const availabilitySchema = z.strictObject(
  {
    years: numberRule('years').optional(),
    mtbfHours: numberRule('mtbfHours').optional(),
    stShare: numberRule('stShare').optional(),
    operatorRepairHours: numberRule('operatorRepairHours').optional(),
    commonCauseMtbfHours: numberRule('commonCauseMtbfHours').optional(),
    commonCauseServers: numberRule('commonCauseServers').optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `one of the keys ${PROCESS_NUMBER_NAMES.join(', ')}` : `a mapping such as { years: 1, mtbfHours: 720, stShare: 0.5 }`) },
);
export type RawAvailability = z.infer<typeof availabilitySchema>;

/** ARCHITECTURE_EXPECTED names the values of an architecture axis. */
export const ARCHITECTURE_EXPECTED = `one of ${ARCHITECTURES.join(', ')}`;

export function isArchitecture(v: unknown): v is Architecture {
  return typeof v === 'string' && (ARCHITECTURES as readonly string[]).includes(v);
}

/** pointAvailability is a point's long run: the block's numbers with the point's axis values put in, and its architecture (else its method). */
export function pointAvailability(block: RawAvailability, axes: readonly SweepAxis[], at: readonly number[], spec: RunSpec): PointAvailability {
  const n: Record<ProcessNumber, number> = { ...DEFAULTS };
  for (const k of PROCESS_NUMBER_NAMES) if (block[k] !== undefined) n[k] = block[k];
  let architecture: Architecture = spec.method;
  axes.forEach((axis, a) => {
    const v = axis.values[at[a] as number];
    if (axis.kind === 'process') n[axis.name as ProcessNumber] = v as number;
    if (axis.kind === 'architecture') architecture = v as Architecture;
  });
  return {
    architecture,
    process: {
      horizonUs: Math.round(n.years * US_PER_YEAR),
      mtbfUs: Math.round(n.mtbfHours * US_PER_HOUR),
      stShare: n.stShare,
      commonCause: n.commonCauseMtbfHours === 0 ? null : { mtbfUs: Math.round(n.commonCauseMtbfHours * US_PER_HOUR), servers: n.commonCauseServers },
    },
    operatorRepairUs: Math.round(n.operatorRepairHours * US_PER_HOUR),
  };
}

// A sweep, parsed (src/config/parse-sweep.ts reads it from a file): a base scenario varied along
// axes, each combination of values a point with its own run and seed, each point replicated. The
// seeds derive from the sweep's seed and the point's values, so any subset of points reproduces
// alone, and a replication's fault phase from the sweep's seed and the replication.
import seedrandom from 'seedrandom';
import { runSeed } from '../run/experiment.ts';
import type { RunSpec } from '../run/run-spec.ts';
import type { Architecture } from './architectures.ts';
import type { FaultProcess } from './fault-process.ts';

/**
 * SweepAxis is one varied quantity: the method, a named fault pattern, a parameter (seconds for
 * a time), the ring size (a synthetic ring S1..SK), or in a study of availability the
 * architecture or a number of the fault process.
 */
export interface SweepAxis {
  name: string;
  kind: 'method' | 'faults' | 'parameter' | 'architecture' | 'process' | 'ringSize';
  /** labels are the values as the CSV and charts show them, in the file's order. */
  labels: string[];
  /** values are what goes into the scenario: a method, a fault list as written, or a number. */
  values: unknown[];
  /** numeric tells whether the values are numbers (a chart can put them on an x axis). */
  numeric: boolean;
}

/** SweepPoint is one combination of axis values: its index in the grid and its value index on each axis. */
export interface SweepPoint {
  index: number;
  /** at[a] is the index of the point's value on axis a. */
  at: number[];
  /** key names the point by its values (`method=ring;monitorInterval=5`): its seed derives from it. */
  key: string;
  /** spec is the point's run, as its scenario describes it; seed is the point's (pointSeed). */
  spec: RunSpec;
  seed: number;
  /** availability is the point's long run, in a study of availability; null in a study of single faults. */
  availability: PointAvailability | null;
}

/** PointAvailability is what a point of an availability study runs: an architecture of Fig. 16 under a fault process. */
export interface PointAvailability {
  architecture: Architecture;
  process: FaultProcess;
  /** operatorRepairUs is how long an operator takes to repair a dedicated management server. */
  operatorRepairUs: number;
}

export interface Sweep {
  name: string;
  description: string | null;
  file: string;
  text: string;
  /** baseFile and baseText are the scenario the points vary, as read. */
  baseFile: string;
  baseText: string;
  axes: SweepAxis[];
  replications: number;
  seed: number;
  /**
   * phase says where the faults fall: `fixed`, as the base scenario (or a fault pattern) puts
   * them; `random`, every fault of a run shifted by one offset drawn for that run from
   * [0, monitoring interval), so that a study of the interval is not one of where a fixed fault
   * time falls in it.
   */
  phase: 'fixed' | 'random';
  points: SweepPoint[];
}

/** pointSeed derives a point's seed from the sweep's and the point's key (alea, as the simulator's streams), so that any subset of points reproduces alone. */
export function pointSeed(sweepSeed: number, key: string): number {
  return Math.floor(seedrandom.alea(`${sweepSeed}:${key}`)() * 2 ** 31);
}

/**
 * phaseShiftUs is how far replication r of a point moves its faults: 0 with phase fixed, else a
 * whole number of microseconds below the point's monitoring interval. The fraction of the
 * interval depends on the sweep's seed and r only, so replication r of every point falls at the
 * same phase (common random numbers: points differ by their values, not by where faults fell).
 */
export function phaseShiftUs(sweep: Pick<Sweep, 'phase' | 'seed'>, point: SweepPoint, replication: number): number {
  if (sweep.phase === 'fixed') return 0;
  return Math.floor(seedrandom.alea(`${sweep.seed}/phase/${replication}`)() * point.spec.params.monitorIntervalUs);
}

/** pointRun is replication r of a point: its run with every fault (and a given duration) later by the phase shift, and its seed. */
export function pointRun(sweep: Pick<Sweep, 'phase' | 'seed'>, point: SweepPoint, replication: number): { spec: RunSpec; seed: string } {
  const shiftUs = phaseShiftUs(sweep, point, replication);
  const spec = point.spec;
  const shifted = shiftUs === 0 ? spec : { ...spec, faults: spec.faults.map((f) => ({ ...f, atUs: f.atUs + shiftUs })), durationUs: spec.durationUs === null ? null : spec.durationUs + shiftUs };
  return { spec: shifted, seed: runSeed(point.seed, replication) };
}

/** hasCommonCause tells whether a point of the sweep draws correlated failures (fault-process.ts). */
export function hasCommonCause(sweep: Pick<Sweep, 'points'>): boolean {
  return sweep.points.some((p) => p.availability !== null && p.availability.process.commonCause !== null);
}

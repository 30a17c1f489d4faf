// Load measurement, load prediction and remaining capacity of a management server,
// Sec. 3.3, Fig. 8, Eq. (1)-(6). Pure: samples come in from the world (a /proc reader or the
// simulator); nothing here reads a clock or a file.

/**
 * LoadSample is one load measurement i of a management server (Sec. 3.3: m_i, c_i, n_i).
 * cpuIdlePct is summed over all cores (0..cores x 100), as top and /proc/stat give it, which is
 * why the paper caps Pc at cores x 100. netBytesPerS is bytes sent plus bytes received per second.
 */
export interface LoadSample {
  freeMemKb: number;
  cpuIdlePct: number;
  netBytesPerS: number;
}

/**
 * HostSpec is what a management server has in hardware: the maxima of the clamps after
 * Eq. (1)-(3). ratedBytesPerS is the NIC's rated rate in one direction (1000BASE-T: 125_000_000).
 */
export interface HostSpec {
  memKb: number;
  cores: number;
  ratedBytesPerS: number;
}

/** PredictedLoad is P_n of Eq. (1)-(3): free memory, CPU idle (summed over cores) and traffic. */
export interface PredictedLoad {
  memKb: number;
  cpuIdlePct: number;
  netBytesPerS: number;
}

/** RemainingCapacity is Rm, Rc, Rn of Eq. (4)-(6), each in percent, 0..100. */
export interface RemainingCapacity {
  rmPct: number;
  rcPct: number;
  rnPct: number;
}

/**
 * LoadPredictor turns a stream of samples into the predicted load of the next step.
 * A step is samplesPerStep consecutive samples; A_n is their mean and P_n = 2 A_n - A_(n-1)
 * (Eq. (1)-(3)), a linear extrapolation of the trend between the last two steps.
 * It keeps only the running sum of the open step and the means of the last two complete steps,
 * so memory and time per sample are O(1) however long the server runs.
 */
export class LoadPredictor {
  private readonly samplesPerStep: number;
  /**
   * sums holds the open step's sums (at OPEN), the last complete step's mean (at LAST) and the one
   * before (at PREVIOUS), each free memory, CPU idle and traffic: one array of doubles rather than
   * a mean object made at every step and a box per double field (V8 boxes them), which a large
   * ring's programs each reach once an interval out of the caches.
   */
  private readonly sums = new Float64Array(9);
  private openCount = 0;
  /** steps counts the complete steps, up to 2 (LAST and PREVIOUS hold means from then on). */
  private steps = 0;

  constructor(samplesPerStep: number) {
    if (!Number.isInteger(samplesPerStep) || samplesPerStep < 1) {
      throw new RangeError(`samplesPerStep must be a positive integer, got ${samplesPerStep}`);
    }
    this.samplesPerStep = samplesPerStep;
  }

  /**
   * addSample adds measurement i to the open step and closes the step when it is full.
   * A negative or non-finite sample is a bug in the measuring driver; it is rejected rather
   * than allowed to poison every later mean.
   */
  addSample(s: LoadSample): void {
    assertSample(s);
    const sums = this.sums;
    sums[OPEN] = (sums[OPEN] as number) + s.freeMemKb;
    sums[OPEN + 1] = (sums[OPEN + 1] as number) + s.cpuIdlePct;
    sums[OPEN + 2] = (sums[OPEN + 2] as number) + s.netBytesPerS;
    this.openCount += 1;
    if (this.openCount < this.samplesPerStep) return;
    for (let i = 0; i < 3; i++) {
      sums[PREVIOUS + i] = sums[LAST + i] as number;
      sums[LAST + i] = (sums[OPEN + i] as number) / this.samplesPerStep;
      sums[OPEN + i] = 0;
    }
    this.openCount = 0;
    this.steps = Math.min(2, this.steps + 1);
  }

  /**
   * predicted returns P_n for the last complete step, clamped to [0, max] with max = physical
   * memory, cores x 100 and 2 x rated transfer rate (the paragraph after Eq. (3)).
   * With one complete step it returns A_1 (a flat trend: there is no earlier step to take a
   * difference from, and the current mean is the best guess). With no complete step it returns
   * null: the host has no measured load yet, and a made-up number must not win a selection.
   * Samples of the open, incomplete step are not used.
   */
  predicted(spec: HostSpec): PredictedLoad | null {
    assertSpec(spec);
    if (this.steps === 0) return null;
    const sums = this.sums;
    const prev = this.steps === 1 ? LAST : PREVIOUS;
    const trend = (i: number): number => 2 * (sums[LAST + i] as number) - (sums[prev + i] as number);
    return {
      memKb: clamp(trend(0), 0, spec.memKb), // Eq. (1)
      cpuIdlePct: clamp(trend(1), 0, spec.cores * 100), // Eq. (2)
      netBytesPerS: clamp(trend(2), 0, 2 * spec.ratedBytesPerS), // Eq. (3)
    };
  }
}

/** OPEN, LAST and PREVIOUS are where LoadPredictor.sums keeps the open step's sums and the last two means. */
const OPEN = 0;
const LAST = 3;
const PREVIOUS = 6;

/**
 * remainingCapacity computes Rm, Rc and Rn of Eq. (4)-(6), each clamped to [0, 100] so that an
 * unclamped prediction handed in by a caller cannot push a term out of range.
 * Rc adds the core count to Pc "as written" in Eq. (5): Tc = Pc + cores, Tc_max = cores x 100 + cores.
 * That keeps Rc at least 100 / 101 % even on a fully busy host; see host-selection.ts.
 */
export function remainingCapacity(p: PredictedLoad, spec: HostSpec): RemainingCapacity {
  assertSpec(spec);
  // NaN would pass every clamp and make every comparison in host selection false.
  assertFinite('predicted memKb', p.memKb);
  assertFinite('predicted cpuIdlePct', p.cpuIdlePct);
  assertFinite('predicted netBytesPerS', p.netBytesPerS);
  const memMaxKb = spec.memKb; // Pm_max
  const tcMax = spec.cores * 100 + spec.cores; // Tc_max
  const nRatBytesPerS = 2 * spec.ratedBytesPerS; // N_rat: send + receive
  const rmPct = (p.memKb / memMaxKb) * 100; // Eq. (4)
  const rcPct = ((p.cpuIdlePct + spec.cores) / tcMax) * 100; // Eq. (5)
  const rnPct = ((nRatBytesPerS - p.netBytesPerS) / nRatBytesPerS) * 100; // Eq. (6)
  return {
    rmPct: clamp(rmPct, 0, 100),
    rcPct: clamp(rcPct, 0, 100),
    rnPct: clamp(rnPct, 0, 100),
  };
}


function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function assertSample(s: LoadSample): void {
  assertNonNegative('freeMemKb', s.freeMemKb);
  assertNonNegative('cpuIdlePct', s.cpuIdlePct);
  assertNonNegative('netBytesPerS', s.netBytesPerS);
}

function assertFinite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be finite, got ${v}`);
}

function assertNonNegative(name: string, v: number): void {
  assertFinite(name, v);
  if (v < 0) throw new RangeError(`${name} must be >= 0, got ${v}`);
}

function assertSpec(spec: HostSpec): void {
  if (!(Number.isFinite(spec.memKb) && spec.memKb > 0)) {
    throw new RangeError(`host memKb must be > 0, got ${spec.memKb}`);
  }
  if (!(Number.isInteger(spec.cores) && spec.cores > 0)) {
    throw new RangeError(`host cores must be a positive integer, got ${spec.cores}`);
  }
  if (!(Number.isFinite(spec.ratedBytesPerS) && spec.ratedBytesPerS > 0)) {
    throw new RangeError(`host ratedBytesPerS must be > 0, got ${spec.ratedBytesPerS}`);
  }
}

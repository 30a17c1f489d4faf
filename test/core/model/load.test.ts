import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LoadPredictor, remainingCapacity } from '../../../src/core/model/load.ts';
import type { HostSpec, LoadSample, PredictedLoad } from '../../../src/core/model/load.ts';

// Table 1 host: 8,192 MB = 8,388,608 KB; i7-3770 has 4 cores / 8 threads and /proc/stat
// counts 8 CPUs, so idle sums to at most 800 %; 1000BASE-T = 125,000,000 B/s each way.
const SPEC: HostSpec = { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 };

function sample(freeMemKb: number, cpuIdlePct: number, netBytesPerS: number): LoadSample {
  return { freeMemKb, cpuIdlePct, netBytesPerS };
}

function feed(p: LoadPredictor, samples: readonly LoadSample[]): void {
  for (const s of samples) p.addSample(s);
}

describe('LoadPredictor, Eq. (1)-(3)', () => {
  it('predicts 2 A_n - A_(n-1) from the means of the last two steps', () => {
    // Arrange: two samples per step.
    // A_1 = mean(4,000,000, 4,200,000) = 4,100,000 KB; mean(700, 760) = 730 %; mean(1e6, 3e6) = 2,000,000 B/s
    // A_2 = mean(3,900,000, 3,700,000) = 3,800,000 KB; mean(600, 640) = 620 %; mean(5e6, 7e6) = 6,000,000 B/s
    // P_2: Eq. (1) 2 x 3,800,000 - 4,100,000 = 3,500,000 KB
    //      Eq. (2) 2 x 620 - 730 = 510 %
    //      Eq. (3) 2 x 6,000,000 - 2,000,000 = 10,000,000 B/s
    const p = new LoadPredictor(2);
    // Act
    feed(p, [
      sample(4_000_000, 700, 1_000_000),
      sample(4_200_000, 760, 3_000_000),
      sample(3_900_000, 600, 5_000_000),
      sample(3_700_000, 640, 7_000_000),
    ]);
    // Assert
    expect(p.predicted(SPEC)).toEqual({ memKb: 3_500_000, cpuIdlePct: 510, netBytesPerS: 10_000_000 });
  });

  it('returns null before the first step is complete', () => {
    const p = new LoadPredictor(3);
    expect(p.predicted(SPEC)).toBeNull();
    feed(p, [sample(1, 2, 3), sample(1, 2, 3)]);
    expect(p.predicted(SPEC)).toBeNull();
  });

  it('returns the mean of the only complete step as a flat trend', () => {
    // A_1 = mean(1,000, 3,000) = 2,000 KB; mean(100, 300) = 200 %; mean(10, 30) = 20 B/s
    const p = new LoadPredictor(2);
    feed(p, [sample(1_000, 100, 10), sample(3_000, 300, 30)]);
    expect(p.predicted(SPEC)).toEqual({ memKb: 2_000, cpuIdlePct: 200, netBytesPerS: 20 });
  });

  it('ignores the samples of a step that is not complete yet', () => {
    const p = new LoadPredictor(2);
    feed(p, [sample(1_000, 100, 10), sample(3_000, 300, 30)]);
    p.addSample(sample(8_000_000, 0, 200_000_000));
    expect(p.predicted(SPEC)).toEqual({ memKb: 2_000, cpuIdlePct: 200, netBytesPerS: 20 });
  });

  it('predicts above the last mean when the trend is rising', () => {
    // A_1 = 1,000 KB free, A_2 = 2,000 KB free: P = 2 x 2,000 - 1,000 = 3,000 KB > 2,000 KB
    const p = new LoadPredictor(1);
    feed(p, [sample(1_000, 100, 1_000), sample(2_000, 200, 2_000)]);
    const predicted = p.predicted(SPEC);
    expect(predicted).toEqual({ memKb: 3_000, cpuIdlePct: 300, netBytesPerS: 3_000 });
    expect(predicted!.memKb).toBeGreaterThan(2_000);
  });

  it('uses only the last two steps once more have passed', () => {
    // A_1 = 100, A_2 = 500, A_3 = 400 KB: P = 2 x 400 - 500 = 300 KB (A_1 no longer counts)
    const p = new LoadPredictor(1);
    feed(p, [sample(100, 0, 0), sample(500, 0, 0), sample(400, 0, 0)]);
    expect(p.predicted(SPEC)?.memKb).toBe(300);
  });

  it('clamps a falling trend at zero', () => {
    // mem 2 x 2,000,000 - 5,000,000 = -1,000,000 -> 0; cpu 2 x 100 - 700 = -500 -> 0;
    // net 2 x 50,000,000 - 200,000,000 = -100,000,000 -> 0
    const p = new LoadPredictor(1);
    feed(p, [sample(5_000_000, 700, 200_000_000), sample(2_000_000, 100, 50_000_000)]);
    expect(p.predicted(SPEC)).toEqual({ memKb: 0, cpuIdlePct: 0, netBytesPerS: 0 });
  });

  it('clamps a rising trend at physical memory, cores x 100 and twice the rated rate', () => {
    // mem 2 x 8,000,000 - 7,000,000 = 9,000,000 -> 8,388,608 KB
    // cpu 2 x 780 - 500 = 1,060 -> 8 x 100 = 800 %
    // net 2 x 240,000,000 - 150,000,000 = 330,000,000 -> 2 x 125,000,000 = 250,000,000 B/s
    const p = new LoadPredictor(1);
    feed(p, [sample(7_000_000, 500, 150_000_000), sample(8_000_000, 780, 240_000_000)]);
    expect(p.predicted(SPEC)).toEqual({ memKb: 8_388_608, cpuIdlePct: 800, netBytesPerS: 250_000_000 });
  });

  it('rejects a step size that is not a positive integer', () => {
    expect(() => new LoadPredictor(0)).toThrow(RangeError);
    expect(() => new LoadPredictor(1.5)).toThrow(RangeError);
  });

  it('rejects a negative or non-finite sample', () => {
    const p = new LoadPredictor(1);
    expect(() => p.addSample(sample(-1, 0, 0))).toThrow(RangeError);
    expect(() => p.addSample(sample(0, Number.NaN, 0))).toThrow(RangeError);
    expect(() => p.addSample(sample(0, 0, Number.POSITIVE_INFINITY))).toThrow(RangeError);
    expect(p.predicted(SPEC)).toBeNull();
  });

  it('keeps every prediction within [0, max] for any samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.record({
            freeMemKb: fc.double({ min: 0, max: 1e8, noNaN: true }),
            cpuIdlePct: fc.double({ min: 0, max: 2e4, noNaN: true }),
            netBytesPerS: fc.double({ min: 0, max: 1e10, noNaN: true }),
          }),
          { maxLength: 30 },
        ),
        (samplesPerStep, samples) => {
          const p = new LoadPredictor(samplesPerStep);
          feed(p, samples);
          const predicted = p.predicted(SPEC);
          if (samples.length < samplesPerStep) return predicted === null;
          return (
            predicted !== null &&
            within(predicted.memKb, 0, SPEC.memKb) &&
            within(predicted.cpuIdlePct, 0, SPEC.cores * 100) &&
            within(predicted.netBytesPerS, 0, 2 * SPEC.ratedBytesPerS)
          );
        },
      ),
    );
  });
});

describe('remainingCapacity, Eq. (4)-(6)', () => {
  it('computes Rm, Rc and Rn for a half-loaded host', () => {
    // Eq. (4) Rm = 4,194,304 / 8,388,608 x 100 = 50 %
    // Eq. (5) Tc = 400 + 8 = 408, Tc_max = 8 x 100 + 8 = 808, Rc = 408 / 808 x 100 = 50.4950... %
    // Eq. (6) N_rat = 2 x 125,000,000 = 250,000,000; Rn = (250,000,000 - 50,000,000) / 250,000,000 x 100 = 80 %
    const p: PredictedLoad = { memKb: 4_194_304, cpuIdlePct: 400, netBytesPerS: 50_000_000 };
    const rem = remainingCapacity(p, SPEC);
    expect(rem.rmPct).toBe(50);
    expect(rem.rcPct).toBeCloseTo(50.49505, 5);
    expect(rem.rnPct).toBe(80);
  });

  it('gives 100 % on an idle host and keeps Rc at 100 / 101 % on a fully busy one', () => {
    // idle: Rm = 8,388,608 / 8,388,608 = 100 %; Rc = (800 + 8) / 808 = 100 %; Rn = (250e6 - 0) / 250e6 = 100 %
    // busy: Rm = 0 %; Rc = (0 + 8) / 808 x 100 = 0.990099 % (the "+ cores" of Eq. (5)); Rn = 0 %
    const idle = remainingCapacity({ memKb: 8_388_608, cpuIdlePct: 800, netBytesPerS: 0 }, SPEC);
    const busy = remainingCapacity({ memKb: 0, cpuIdlePct: 0, netBytesPerS: 250_000_000 }, SPEC);
    expect(idle).toEqual({ rmPct: 100, rcPct: 100, rnPct: 100 });
    expect(busy.rmPct).toBe(0);
    expect(busy.rcPct).toBeCloseTo(100 / 101, 10);
    expect(busy.rnPct).toBe(0);
  });

  it('clamps an out-of-range prediction to [0, 100]', () => {
    // Rm = 9,000,000 / 8,388,608 x 100 = 107 % -> 100; Rc = (-50 + 8) / 808 < 0 -> 0;
    // Rn = (250e6 - 300e6) / 250e6 x 100 = -20 % -> 0
    const over = remainingCapacity({ memKb: 9_000_000, cpuIdlePct: -50, netBytesPerS: 300_000_000 }, SPEC);
    expect(over).toEqual({ rmPct: 100, rcPct: 0, rnPct: 0 });
    // Rm = -1 / 8,388,608 < 0 -> 0; Rc = (900 + 8) / 808 > 100 -> 100; Rn = (250e6 + 1e6) / 250e6 > 100 -> 100
    const under = remainingCapacity({ memKb: -1, cpuIdlePct: 900, netBytesPerS: -1_000_000 }, SPEC);
    expect(under).toEqual({ rmPct: 0, rcPct: 100, rnPct: 100 });
  });

  it('rejects a NaN prediction and an impossible host', () => {
    expect(() => remainingCapacity({ memKb: Number.NaN, cpuIdlePct: 0, netBytesPerS: 0 }, SPEC)).toThrow(RangeError);
    const p: PredictedLoad = { memKb: 0, cpuIdlePct: 0, netBytesPerS: 0 };
    expect(() => remainingCapacity(p, { ...SPEC, memKb: 0 })).toThrow(RangeError);
    expect(() => remainingCapacity(p, { ...SPEC, cores: 0 })).toThrow(RangeError);
    expect(() => remainingCapacity(p, { ...SPEC, ratedBytesPerS: 0 })).toThrow(RangeError);
  });

  it('keeps every remaining capacity within [0, 100] for any host and prediction', () => {
    fc.assert(
      fc.property(arbSpec(), arbAnyPrediction(), (spec, p) => {
        const rem = remainingCapacity(p, spec);
        return within(rem.rmPct, 0, 100) && within(rem.rcPct, 0, 100) && within(rem.rnPct, 0, 100);
      }),
    );
  });
});

function within(x: number, lo: number, hi: number): boolean {
  return x >= lo && x <= hi;
}

function arbSpec(): fc.Arbitrary<HostSpec> {
  return fc.record({
    memKb: fc.integer({ min: 1, max: 2 ** 32 }),
    cores: fc.integer({ min: 1, max: 256 }),
    ratedBytesPerS: fc.integer({ min: 1, max: 2 ** 40 }),
  });
}

function arbAnyPrediction(): fc.Arbitrary<PredictedLoad> {
  const v = fc.double({ min: -1e15, max: 1e15, noNaN: true });
  return fc.record({ memKb: v, cpuIdlePct: v, netBytesPerS: v });
}

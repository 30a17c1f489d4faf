import { describe, expect, it } from 'vitest';
import { ciOf, clipped, NON_NEGATIVE, summarize, summarizeUs } from '../../src/report/stats.ts';
import { meanAndInterval } from '../../src/report/sweep/sweep-output.ts';

describe('summarize', () => {
  it('gives the mean, the range and the Student t interval of several values', () => {
    const s = summarize([4, 5, 6], 6, NON_NEGATIVE);
    // t(0.975, 2) = 4.303, sd = 1, so the half-width is 4.303 / sqrt(3).
    expect(s).toEqual({ mean: 5, min: 4, max: 6, n: 3, ci95: 2.484338, ciLow: 5 - 2.484338, ciHigh: 5 + 2.484338 });
    expect(clipped(s!)).toBe(false);
    expect(meanAndInterval(s!, 2)).toBe('5.00 ± 2.48');
  });

  it('gives no interval from one value rather than an interval of width zero', () => {
    const s = summarize([7], 6, NON_NEGATIVE)!;
    expect([s.mean, s.ci95, s.ciLow, s.ciHigh]).toEqual([7, null, null, null]);
    expect(ciOf(s)).toBeNull();
    expect(meanAndInterval(s, 2)).toBe('7.00 (one run)');
  });

  it('cuts the interval of a time at zero, where a wide interval would reach below it', () => {
    const s = summarize([0, 0, 0, 900], 6, NON_NEGATIVE)!;
    expect(s.mean - (s.ci95 as number)).toBeLessThan(0);
    expect(s.ciLow).toBe(0);
    expect(s.ciHigh).toBe(s.mean + (s.ci95 as number));
    expect(clipped(s)).toBe(true);
    expect(meanAndInterval(s, 2)).toBe(`225.00 (95 %: 0.00-${(s.ciHigh as number).toFixed(2)})`);
  });

  it('cuts the interval of a fraction at one', () => {
    const s = summarize([1, 1, 1, 0.9], 9, [0, 1])!;
    expect(s.ciHigh).toBe(1);
    expect(s.ciLow).toBeCloseTo(0.975 - (s.ci95 as number), 12);
  });

  it('summarizes durations in microseconds as seconds and ignores runs without the event', () => {
    expect(summarizeUs([null, null])).toBeNull();
    expect(summarizeUs([1_500_000, null, 2_500_000])).toMatchObject({ mean: 2, min: 1.5, max: 2.5, n: 2 });
  });
});

// Summary statistics over the runs of a scenario, in seconds for reports (the paper gives means
// of 10 runs; we add min, max and a 95 % confidence interval of the mean).
import { usToSeconds } from '../core/model/time.ts';

export interface Summary {
  mean: number;
  min: number;
  max: number;
  /** n is how many runs contributed (runs in which the event never happened are left out). */
  n: number;
  /** ci95 is the half-width of the 95 % confidence interval of the mean (Student's t); null from one run, which gives no interval. */
  ci95: number | null;
  /**
   * ciLow and ciHigh are that interval, cut to the values the quantity can take (a time or a count
   * is never negative, a fraction never above 1): the mean lies there, so the cut interval holds it
   * at least as often. Null from one run.
   */
  ciLow: number | null;
  ciHigh: number | null;
}

/** Range is the values a summarized quantity can take, [lowest, highest]. */
export type Range = readonly [number, number];

/** NON_NEGATIVE is the range of times and counts. */
export const NON_NEGATIVE: Range = [0, Infinity];

// Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** summarizeUs summarizes durations in µs as seconds; null when no run has a value. */
export function summarizeUs(valuesUs: readonly (number | null)[]): Summary | null {
  return summarize(valuesUs.filter((v): v is number => v !== null).map(usToSeconds), 6, NON_NEGATIVE);
}

/**
 * summarize summarizes plain numbers (seconds, counts, fractions) to `decimals` places (6:
 * microseconds), with the interval cut to `range`; null for none.
 */
export function summarize(xs: readonly number[], decimals: number, range: Range): Summary | null {
  const scale = 10 ** decimals;
  const places = (x: number): number => Math.round(x * scale) / scale;
  if (xs.length === 0) return null;
  const n = xs.length;
  const exactMean = xs.reduce((a, b) => a + b, 0) / n;
  const mean = places(exactMean);
  const min = places(xs.reduce((a, b) => Math.min(a, b)));
  const max = places(xs.reduce((a, b) => Math.max(a, b)));
  if (n === 1) return { mean, min, max, n, ci95: null, ciLow: null, ciHigh: null };
  const variance = xs.reduce((a, b) => a + (b - exactMean) ** 2, 0) / (n - 1);
  const ci95 = places(((T975[n - 2] ?? 1.96) * Math.sqrt(variance)) / Math.sqrt(n));
  return { mean, min, max, n, ci95, ciLow: Math.max(range[0], mean - ci95), ciHigh: Math.min(range[1], mean + ci95) };
}

/** clipped tells whether a summary's interval was cut to its range, so that "mean ± half-width" would misstate it. */
export function clipped(s: Summary): boolean {
  return s.ci95 !== null && (s.ciLow !== s.mean - s.ci95 || s.ciHigh !== s.mean + s.ci95);
}

/** columnWidths is the widest cell of each column of a text table (a loop: a spread of many rows would overflow the stack). */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

/** round keeps reports stable and readable: microsecond-exact seconds, 6 decimals. */
export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** ciOf is a summary's interval as [low, high] for a chart's band, or null (no summary, or one run). */
export function ciOf(s: Summary | null): [number, number] | null {
  return s === null || s.ciLow === null || s.ciHigh === null ? null : [s.ciLow, s.ciHigh];
}

import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { IntervalRng, mix32, Rng, RngStreams } from '../../../src/sim/kernel/rng.ts';

/** draws takes n values of next() from rng. */
function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('RngStreams', () => {
  it('the same seed and stream name reproduce the same draws', () => {
    const first = draws(new RngStreams(7).stream('probe'), 100);
    const second = draws(new RngStreams(7).stream('probe'), 100);

    expect(second).toEqual(first);
  });

  it('a numeric seed and its decimal string name the same streams', () => {
    expect(draws(new RngStreams(7).stream('probe'), 5)).toEqual(draws(new RngStreams('7').stream('probe'), 5));
  });

  it('different seeds and different names give different draws', () => {
    const base = draws(new RngStreams(7).stream('probe'), 10);

    expect(draws(new RngStreams(8).stream('probe'), 10)).not.toEqual(base);
    expect(draws(new RngStreams(7).stream('load'), 10)).not.toEqual(base);
  });

  it('adding a stream or drawing from another never changes a stream’s draws', () => {
    const alone = draws(new RngStreams(7).stream('probe'), 20);
    const streams = new RngStreams(7);
    draws(streams.stream('new-stream'), 50);
    const probe = streams.stream('probe');
    const interleaved: number[] = [];
    for (let i = 0; i < 20; i++) {
      interleaved.push(probe.next());
      streams.stream('load').next();
    }

    expect(interleaved).toEqual(alone);
  });

  it('the same name returns the same Rng object', () => {
    const streams = new RngStreams('seed');

    expect(streams.stream('a')).toBe(streams.stream('a'));
    expect(streams.stream('a')).not.toBe(streams.stream('b'));
    expect(() => streams.stream('')).toThrow(/empty/);
  });

  it('steps alea exactly as seedrandom does: two thousand draws of several seeds are the same numbers', () => {
    for (const seed of ['1/durations', '7/run-3/loads', '', 'a much longer seed text than the others']) {
      const ours = new Rng(seed);
      const theirs = seedrandom.alea(seed);
      for (let i = 0; i < 2_000; i++) expect(ours.next()).toBe(theirs.double());
    }
  });

  it('streams made past one block of states, drawn from in turns, each step as seedrandom does', () => {
    // 600 streams span three blocks of 256 states (rng.ts): a stream must never step another's state.
    const seeds = Array.from({ length: 600 }, (_, i) => `block/${i}`);
    const ours = seeds.map((seed) => new Rng(seed));
    const theirs = seeds.map((seed) => seedrandom.alea(seed));
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < seeds.length; i++) expect(ours[i]?.next()).toBe(theirs[i]?.double());
    }
  });

  it('the first draws of a stream are pinned, so a seedrandom upgrade that changes them is noticed', () => {
    const rng = new RngStreams(1).stream('pinned');

    // Values of seedrandom.alea('1/pinned').double(), seedrandom 3.0.5.
    expect(draws(rng, 3).map((x) => x.toFixed(12))).toMatchInlineSnapshot(`
      [
        "0.945234182734",
        "0.395467488486",
        "0.437596636643",
      ]
    `);
  });
});

describe('Rng', () => {
  it('next stays in [0, 1) and uniform stays in [lo, hi)', () => {
    const rng = new RngStreams(3).stream('bounds');
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      const y = rng.uniform(-2, 5);
      expect(x >= 0 && x < 1).toBe(true);
      expect(y >= -2 && y < 5).toBe(true);
    }
  });

  it('intBetween is inclusive at both ends and returns integers', () => {
    const rng = new RngStreams(3).stream('ints');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.intBetween(-3, 3));

    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(rng.intBetween(9, 9)).toBe(9);
    expect(() => rng.intBetween(2, 1)).toThrow(/lo <= hi/);
    expect(() => rng.intBetween(0, 1.5)).toThrow(/integers/);
  });

  it('jitterUs returns integer microseconds within value * (1 ± fraction) and never a negative one', () => {
    const rng = new RngStreams(3).stream('jitter');
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      const jitteredUs = rng.jitterUs(2_000_000, 0.1);
      expect(Number.isInteger(jitteredUs)).toBe(true);
      min = Math.min(min, jitteredUs);
      max = Math.max(max, jitteredUs);
      expect(rng.jitterUs(1000, 3)).toBeGreaterThanOrEqual(0);
    }

    expect(min).toBeGreaterThanOrEqual(1_800_000);
    expect(max).toBeLessThanOrEqual(2_200_000);
    expect(min).toBeLessThan(1_810_000); // the whole range is used
    expect(max).toBeGreaterThan(2_190_000);
    expect(rng.jitterUs(5000, 0)).toBe(5000);
    expect(() => rng.jitterUs(-1, 0.1)).toThrow(/valueUs/);
  });

  it('normal has about the requested mean and standard deviation', () => {
    const rng = new RngStreams(3).stream('normal');
    const n = 20_000;
    const xs = Array.from({ length: n }, () => rng.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));

    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.95);
    expect(sd).toBeLessThan(2.05);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('pick returns each item sometimes and refuses an empty list', () => {
    const rng = new RngStreams(3).stream('pick');
    const items = ['ftp', 'mail', 'web'] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(rng.pick(items));

    expect(seen).toEqual(new Set(items));
    expect(() => rng.pick([])).toThrow(/no items/);
  });
});

describe('IntervalRng', () => {
  const clockAt = (nowUs: number): { nowUs: number } => ({ nowUs });
  const drawsAt = (rng: IntervalRng, clock: { nowUs: number }, atUs: number, n: number): number[] => {
    clock.nowUs = atUs;
    return Array.from({ length: n }, () => rng.next());
  };

  it('draws the same in an interval however much was drawn in the intervals before it', () => {
    const c1 = clockAt(0);
    const c2 = clockAt(0);
    const a = new IntervalRng('s/durations/Mail', c1, 0, 10);
    const b = new IntervalRng('s/durations/Mail', c2, 0, 10);
    drawsAt(a, c1, 3, 7); // a draws in interval 0; b skips it
    expect(drawsAt(a, c1, 25, 5)).toEqual(drawsAt(b, c2, 21, 5));
  });

  it('keys the interval by the long run time, so a run that began later with its origin before it draws alike', () => {
    const c1 = clockAt(0);
    const c2 = clockAt(0);
    const whole = new IntervalRng('x', c1, 0, 10);
    const stretch = new IntervalRng('x', c2, -40, 10); // this run's clock is 40 behind the long run's
    expect(drawsAt(whole, c1, 55, 3)).toEqual(drawsAt(stretch, c2, 15, 3));
  });

  it('gives other draws in other intervals and for other seeds, uniform in [0, 1)', () => {
    const c = clockAt(0);
    const r = new IntervalRng('x', c, 0, 10);
    const first = drawsAt(r, c, 0, 3);
    expect(drawsAt(r, c, 10, 3)).not.toEqual(first);
    expect(drawsAt(new IntervalRng('y', c, 0, 10), c, 0, 3)).not.toEqual(first);
    const many = Array.from({ length: 2000 }, (_, k) => drawsAt(r, c, k * 10, 1)[0] as number);
    expect(many.every((u) => u >= 0 && u < 1)).toBe(true);
    const mean = many.reduce((s, u) => s + u, 0) / many.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
  });

  it("mixes keys with MurmurHash3's finalizer", () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(0x514e28b7);
    expect(mix32(-1)).toBe(mix32(0xffffffff));
  });
});

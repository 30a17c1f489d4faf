import seedrandom from 'seedrandom';

/**
 * Rng is one named stream of pseudo-random numbers, the only source of randomness in the
 * simulator (docs/style.md point 5). It is seedrandom's alea generator, which gives the same
 * sequence for the same seed on every platform: seedrandom seeds it, and Rng steps its state
 * itself (the same arithmetic as seedrandom's lib/alea.js), since a draw through seedrandom's
 * closures cost about 2 % of repro's runs. Every method consumes a fixed number of draws,
 * so the sequence of calls alone decides the values.
 */
export class Rng {
  private c: number;
  private s0: number;
  private s1: number;
  private s2: number;

  /** The constructor seeds the stream from seedText; use RngStreams.stream rather than this directly. */
  constructor(seedText: string) {
    const state = seededState(seedText);
    this.c = state.c;
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
  }

  /** step is one alea draw in [0, 1) with 32 random bits (Baagoe's Alea, as seedrandom steps it). */
  private step(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    return (this.s2 = t - this.c);
  }

  /** next returns a uniform number in [0, 1) with 53 random bits (two alea draws, as seedrandom's double()). */
  next(): number {
    const high = this.step();
    return high + ((this.step() * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
  }

  /** uniform returns a uniform number in [lo, hi). */
  uniform(lo: number, hi: number): number {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
      throw new Error(`Rng.uniform: need finite lo <= hi, got [${lo}, ${hi})`);
    }
    const value = lo + (hi - lo) * this.next();
    return value < hi ? value : lo;
  }

  /** intBetween returns a uniform integer in [lo, hi], both ends included. */
  intBetween(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
      throw new Error(`Rng.intBetween: need integers lo <= hi, got [${lo}, ${hi}]`);
    }
    const span = hi - lo + 1;
    if (!Number.isSafeInteger(span)) throw new Error(`Rng.intBetween: range too wide: [${lo}, ${hi}]`);
    return lo + Math.floor(this.next() * span);
  }

  /**
   * normal returns a normally distributed number by the Box-Muller transform, using the
   * cosine branch only and no cached spare, so each call takes exactly two draws. V8's
   * Math.log and Math.cos are fdlibm ports, so the values agree across machines.
   */
  normal(mean: number, sd: number): number {
    if (!Number.isFinite(mean) || !Number.isFinite(sd) || sd < 0) {
      throw new Error(`Rng.normal: need finite mean and sd >= 0, got mean ${mean}, sd ${sd}`);
    }
    const u1 = 1 - this.next(); // (0, 1], so the log is finite
    const u2 = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * jitterUs returns valueUs * (1 + u), u uniform in [-fraction, fraction], rounded to an
   * integer microsecond and never negative, for spreading periods and delays.
   */
  jitterUs(valueUs: number, fraction: number): number {
    if (!Number.isFinite(valueUs) || valueUs < 0) {
      throw new Error(`Rng.jitterUs: valueUs must be finite and >= 0, got ${valueUs}`);
    }
    if (!Number.isFinite(fraction) || fraction < 0) {
      throw new Error(`Rng.jitterUs: fraction must be finite and >= 0, got ${fraction}`);
    }
    const u = (2 * this.next() - 1) * fraction;
    const jitteredUs = Math.round(valueUs * (1 + u));
    return jitteredUs > 0 ? jitteredUs : 0;
  }

  /** pick returns one of items, each with equal probability; items must not be empty. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items to pick from');
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** SEEDED holds the seeded states made so far: a run makes the same few streams from the same seeds again and again (the explorer's every schedule). */
const SEEDED = new Map<string, seedrandom.State.Alea>();
const SEEDED_MAX = 4096;

/** seededState is seedrandom's alea state for seedText, before any draw. */
function seededState(seedText: string): seedrandom.State.Alea {
  let state = SEEDED.get(seedText);
  if (state === undefined) {
    if (SEEDED.size >= SEEDED_MAX) SEEDED.clear();
    state = seedrandom.alea(seedText, { state: true }).state();
    SEEDED.set(seedText, state);
  }
  return state;
}

/**
 * RngStreams hands out named streams, each seeded from `${seed}/${name}`, so adding a new
 * stream, or drawing more from one, never changes the draws of another, and a run is a
 * pure function of its seed.
 */
export class RngStreams {
  private readonly streams = new Map<string, Rng>();

  /** The constructor takes the run's seed, printed with every failure so the run can be replayed. */
  constructor(readonly seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new Error(`RngStreams: seed must be finite, got ${seed}`);
    }
  }

  /** stream returns the stream called name, the same Rng object on every call with that name. */
  stream(name: string): Rng {
    if (name.length === 0) throw new Error('RngStreams.stream: name must not be empty');
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(`${this.seed}/${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }
}

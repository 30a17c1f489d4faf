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
  /** state holds this stream's alea state (c, s0, s1, s2) at at..at + 3 of a block shared with other streams (takeState). */
  private readonly state: Float64Array;
  private readonly at: number;

  /** The constructor seeds the stream from seedText; use RngStreams.stream rather than this directly. */
  constructor(seedText: string) {
    const seeded = seededState(seedText);
    this.state = takeState();
    this.at = stateTaken;
    this.setState(seeded.c, seeded.s0, seeded.s1, seeded.s2);
  }

  /** setState puts the generator in a given alea state (for IntervalRng): s0-s2 in [0, 1), c an integer. */
  protected setState(c: number, s0: number, s1: number, s2: number): void {
    const state = this.state;
    const at = this.at;
    state[at] = c;
    state[at + 1] = s0;
    state[at + 2] = s1;
    state[at + 3] = s2;
  }

  /** step is one alea draw in [0, 1) with 32 random bits (Baagoe's Alea, as seedrandom steps it). */
  private step(): number {
    const state = this.state;
    const at = this.at;
    const t = 2091639 * (state[at + 1] as number) + (state[at] as number) * 2.3283064365386963e-10; // 2^-32
    const c = t | 0;
    const s2 = t - c;
    state[at] = c;
    state[at + 1] = state[at + 2] as number;
    state[at + 2] = state[at + 3] as number;
    state[at + 3] = s2;
    return s2;
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

/**
 * IntervalRng draws, in each monitoring interval of a long run's time, from a stream of that
 * interval alone: what one interval draws does not depend on how much was drawn before it. A long
 * run that skips a quiet stretch then draws, in every interval it simulates, what one run of every
 * event draws there (sim/sweep/long-run.ts). The interval is that of the clock's time when the
 * draw is made. The k-th interval's alea state is the stream's seeded state (seedrandom's, from
 * seedText) mixed with k by MurmurHash3's 32-bit finalizer: a few integer operations where
 * seeding from a text costs microseconds, and a long run starts thousands of intervals.
 */
export class IntervalRng extends Rng {
  private interval = Number.NaN;
  private readonly base: readonly [number, number, number];

  /** originUs is the clock time of the long run's t = 0, which may lie before this run began. */
  constructor(
    seedText: string,
    private readonly clock: { readonly nowUs: number },
    private readonly originUs: number,
    private readonly intervalUs: number,
  ) {
    super(seedText);
    const seeded = seededState(seedText);
    this.base = [(seeded.s0 * 0x100000000) >>> 0, (seeded.s1 * 0x100000000) >>> 0, (seeded.s2 * 0x100000000) >>> 0];
  }

  override next(): number {
    const k = Math.floor((this.clock.nowUs - this.originUs) / this.intervalUs);
    if (k !== this.interval) {
      this.interval = k;
      const [b0, b1, b2] = this.base;
      this.setState(1, mix32(b0 ^ mix32(k)) / 0x100000000, mix32(b1 ^ mix32(k + 0x3c6ef372)) / 0x100000000, mix32(b2 ^ mix32(k + 0x78dde6e4)) / 0x100000000);
    }
    return super.next();
  }
}

/** mix32 is MurmurHash3's finalizer (fmix32): a bijection of 32-bit integers whose every output bit depends on every input bit. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Streams keep their states in blocks of STREAMS_PER_BLOCK: as four number fields of the Rng, each
 * would be a heap number of its own (V8 boxes a double field), and a large ring draws from every
 * server's streams at every examination, with its streams out of the caches between two draws
 * (docs/scale.md). A block lives while one of its streams does.
 */
const STREAMS_PER_BLOCK = 256;
let stateBlock = new Float64Array(4 * STREAMS_PER_BLOCK);
let stateTaken = -4;

/** takeState returns the block holding the next free state and leaves its offset in stateTaken. */
function takeState(): Float64Array {
  stateTaken += 4;
  if (stateTaken === stateBlock.length) {
    stateBlock = new Float64Array(4 * STREAMS_PER_BLOCK);
    stateTaken = 0;
  }
  return stateBlock;
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

import { EventQueue } from './event-queue.ts';

/** SLOT_LIMIT bounds the number of events pending at once; the low part of a handle is its slot. */
const SLOT_LIMIT = 2 ** 26;
/** GENERATION_LIMIT keeps generation * SLOT_LIMIT + slot below 2^53, so handles are exact numbers. */
const GENERATION_LIMIT = 2 ** 27;

/**
 * Kernel is the deterministic discrete-event simulator: one event queue ordered by
 * (time, sequence number), time as integer microseconds, and nothing read from the real
 * clock. A run is a pure function of what was scheduled, so equal inputs give equal traces.
 *
 * Kernel keeps each scheduled function in a slot of an array with a free list, and the
 * queue holds only slot numbers. A slot is released just before its function runs, so a
 * periodic entity that reschedules its own closure takes the same slot back and allocates
 * nothing per event. A handle is generation * 2^26 + slot; the slot's generation is bumped
 * on release, so a handle kept after its event ran or was cancelled never touches a later
 * event that reuses the slot (generations wrap after 2^27 - 1 reuses of one slot).
 * Handles are never 0, so callers may use 0 for "no event".
 */
export class Kernel {
  private now: number;
  private readonly queue = new EventQueue();
  /**
   * calls holds each slot's function and its three arguments (atWith) side by side, at 4 * slot:
   * one cache line per event rather than one per array (a message's receiver and the message,
   * say). A cancelled or free slot's function is null.
   */
  private calls: unknown[] = [];
  private generations = new Uint32Array(64);
  private freeSlots = new Int32Array(64);
  private freeCount = 0;
  private eventsRunTotal = 0;
  private running = false;
  private stopRequested = false;

  /** The constructor starts simulated time at startUs, for example a UNIX time in microseconds. */
  constructor(startUs = 0) {
    if (!Number.isSafeInteger(startUs)) {
      throw new Error(`Kernel: startUs must be a safe integer number of microseconds, got ${startUs}`);
    }
    this.now = startUs;
  }

  /** nowUs is the current simulated time in integer microseconds. */
  get nowUs(): number {
    return this.now;
  }

  /** eventsRun counts every event run since the kernel was made; cancelled events do not count. */
  get eventsRun(): number {
    return this.eventsRunTotal;
  }

  /**
   * at schedules fn at the absolute time timeUs and returns a handle for cancel. The time
   * must be an integer no earlier than nowUs: the past cannot be changed, and a fractional
   * microsecond would make the order depend on floating-point rounding.
   */
  at(timeUs: number, fn: () => void): number {
    return this.atWith(timeUs, fn, undefined);
  }

  /**
   * atWith schedules fn(arg, second, third) at timeUs. A caller that passes one shared function
   * with the receiver as arg and the event (or its parts) after it allocates nothing per event, and
   * the kernel reaches the receiver without a closure's context between: nearly every event of a
   * large ring is a message to a management program, and each object on the way is a cache miss.
   */
  atWith<T, U = undefined, V = undefined>(timeUs: number, fn: (arg: T, second: U, third: V) => void, arg: T, second?: U, third?: V): number {
    if (!(timeUs >= this.now) || !Number.isSafeInteger(timeUs)) {
      throw new Error(
        `Kernel.at: timeUs must be an integer >= nowUs (${this.now}), got ${timeUs}`,
      );
    }
    if (typeof fn !== 'function') throw new Error('Kernel.at: fn must be a function');
    const slot = this.freeCount > 0 ? (this.freeSlots[--this.freeCount] as number) : this.newSlot();
    const at = 4 * slot;
    this.calls[at] = fn;
    this.calls[at + 1] = arg;
    this.calls[at + 2] = second;
    this.calls[at + 3] = third;
    this.queue.push(timeUs, slot);
    return (this.generations[slot] as number) * SLOT_LIMIT + slot;
  }

  /** afterWith schedules fn(arg, second, third) delayUs microseconds from now. */
  afterWith<T, U = undefined, V = undefined>(delayUs: number, fn: (arg: T, second: U, third: V) => void, arg: T, second?: U, third?: V): number {
    if (!(delayUs >= 0) || !Number.isSafeInteger(delayUs)) {
      throw new Error(`Kernel.after: delayUs must be a non-negative integer, got ${delayUs}`);
    }
    return this.atWith(this.now + delayUs, fn, arg, second, third);
  }

  /** after schedules fn delayUs microseconds from now (a non-negative integer) and returns a handle. */
  after(delayUs: number, fn: () => void): number {
    if (!(delayUs >= 0) || !Number.isSafeInteger(delayUs)) {
      throw new Error(`Kernel.after: delayUs must be a non-negative integer, got ${delayUs}`);
    }
    return this.at(this.now + delayUs, fn);
  }

  /**
   * cancel stops the event behind handle from running. It is lazy: the queue entry stays
   * and is skipped when popped, which keeps the slot reserved until then. Cancelling an
   * event that already ran, was already cancelled, or whose slot was reused does nothing.
   */
  cancel(handle: number): void {
    if (!Number.isSafeInteger(handle) || handle < SLOT_LIMIT) {
      throw new Error(`Kernel.cancel: not a handle: ${handle}`);
    }
    const slot = handle % SLOT_LIMIT;
    const generation = (handle - slot) / SLOT_LIMIT;
    if (4 * slot >= this.calls.length || this.generations[slot] !== generation) return;
    this.calls[4 * slot] = null;
  }

  /**
   * runUntil runs every event with time <= endUs, in (time, sequence) order, then leaves
   * nowUs at endUs and returns the number of events run. If an event calls stop, it
   * returns after that event with nowUs at that event's time, since earlier-than-endUs
   * events may still be pending.
   */
  runUntil(endUs: number): number {
    if (!(endUs >= this.now) || !Number.isSafeInteger(endUs)) {
      throw new Error(`Kernel.runUntil: endUs must be an integer >= nowUs (${this.now}), got ${endUs}`);
    }
    const ran = this.run(endUs);
    if (!this.stopRequested) this.now = endUs;
    this.stopRequested = false;
    return ran;
  }

  /**
   * runUntilQuiet runs events until the queue is empty, the next event is later than
   * limitUs, or an event calls stop. nowUs stays at the time of the last event run.
   */
  runUntilQuiet(limitUs = Infinity): number {
    if (limitUs !== Infinity && !Number.isSafeInteger(limitUs)) {
      throw new Error(`Kernel.runUntilQuiet: limitUs must be an integer or Infinity, got ${limitUs}`);
    }
    const ran = this.run(limitUs);
    this.stopRequested = false;
    return ran;
  }

  /** stop makes the current run return after the current event; outside a run it does nothing. */
  stop(): void {
    if (this.running) this.stopRequested = true;
  }

  /**
   * run is the event loop shared by runUntil and runUntilQuiet. It releases the slot
   * before calling the function, so the function may reschedule itself into the same slot,
   * and it refuses to nest, because an event that runs the kernel would run events out of order.
   */
  private run(limitUs: number): number {
    if (this.running) throw new Error('Kernel: run called from inside an event');
    this.running = true;
    this.stopRequested = false;
    const queue = this.queue;
    const calls = this.calls;
    let ran = 0;
    try {
      while (!this.stopRequested) {
        // An empty queue peeks Infinity, which is not past a limit of Infinity: test size too.
        const timeUs = queue.peekTimeUs();
        if (timeUs > limitUs || queue.size === 0) break;
        const slot = queue.pop();
        const fn = calls[4 * slot] as ((arg: never, second: never, third: never) => void) | null;
        const arg = calls[4 * slot + 1] as never;
        const second = calls[4 * slot + 2] as never;
        const third = calls[4 * slot + 3] as never;
        this.release(slot);
        if (fn === null || fn === undefined) continue; // cancelled
        this.now = timeUs;
        this.eventsRunTotal++;
        ran++;
        fn(arg, second, third);
      }
    } finally {
      this.running = false;
    }
    return ran;
  }

  /** release frees slot for reuse and bumps its generation, so older handles to it go stale. */
  private release(slot: number): void {
    if (slot < 0) throw new Error('Kernel: released a slot from an empty queue');
    const generation = (this.generations[slot] as number) + 1;
    this.generations[slot] = generation === GENERATION_LIMIT ? 1 : generation;
    this.calls[4 * slot] = null;
    this.calls[4 * slot + 1] = undefined;
    this.calls[4 * slot + 2] = undefined;
    this.calls[4 * slot + 3] = undefined;
    if (this.freeCount === this.freeSlots.length) {
      const freeSlots = new Int32Array(this.freeSlots.length * 2);
      freeSlots.set(this.freeSlots);
      this.freeSlots = freeSlots;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  /** newSlot appends a slot when the free list is empty; generations start at 1 so no handle is 0. */
  private newSlot(): number {
    const slot = this.calls.length / 4;
    if (slot >= SLOT_LIMIT) throw new Error(`Kernel: more than ${SLOT_LIMIT} events pending`);
    if (slot === this.generations.length) {
      const generations = new Uint32Array(slot * 2);
      generations.set(this.generations);
      this.generations = generations;
    }
    this.generations[slot] = 1;
    this.calls.push(null, undefined, undefined, undefined);
    return slot;
  }
}

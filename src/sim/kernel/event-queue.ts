/**
 * EventQueue is the simulator's single priority queue: a min-heap of (timeUs, slot) entries
 * ordered by time, with ties broken by a sequence number so that events scheduled for the same
 * microsecond pop in the order they were pushed (docs/style.md point 6). A plain heap does not
 * keep insertion order, and a run must not depend on heap layout.
 *
 * The heap is 4-ary: a large ring keeps tens of thousands of events waiting, and a pop walks from
 * the root to a leaf. Each entry's time and sequence number sit side by side in one Float64Array,
 * so the four children of an entry share one 64-byte cache line, and the walk is half as deep as a
 * binary heap's. Slots are kept apart in an Int32Array. The arrays grow by doubling, so pushing and
 * popping allocate nothing in the steady state. Times are integer microseconds that can reach
 * ~2e15 (UNIX time) and sequence numbers stay below 2^53: a Float64Array holds both exactly.
 */
export class EventQueue {
  /** keys holds entry j's time at 2j and its sequence number at 2j + 1. */
  private keys: Float64Array;
  private slots: Int32Array;
  private count = 0;
  private nextSeq = 0;

  /** The constructor takes an initial capacity; the heap doubles whenever it is full. */
  constructor(initialCapacity = 64) {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new Error(`EventQueue: initialCapacity must be a positive integer, got ${initialCapacity}`);
    }
    this.keys = new Float64Array(2 * initialCapacity);
    this.slots = new Int32Array(initialCapacity);
  }

  /** size is the number of entries waiting in the queue. */
  get size(): number {
    return this.count;
  }

  /** peekTimeUs returns the time of the earliest entry, or Infinity when the queue is empty. */
  peekTimeUs(): number {
    return this.count === 0 ? Infinity : (this.keys[0] as number);
  }

  /**
   * push adds slot at timeUs. The new entry carries the largest sequence number so far, so
   * while it sifts up it only passes parents whose time is strictly later: an equal time
   * means the parent was pushed earlier and must stay ahead of it.
   */
  push(timeUs: number, slot: number): void {
    if (timeUs !== timeUs) throw new Error('EventQueue.push: timeUs is NaN');
    if ((slot | 0) !== slot || slot < 0) {
      throw new Error(`EventQueue.push: slot must be a non-negative int32, got ${slot}`);
    }
    if (this.count === this.slots.length) this.grow();
    const keys = this.keys;
    const slots = this.slots;
    const seq = this.nextSeq++;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const parentTimeUs = keys[2 * parent] as number;
      if (parentTimeUs <= timeUs) break;
      keys[2 * i] = parentTimeUs;
      keys[2 * i + 1] = keys[2 * parent + 1] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    keys[2 * i] = timeUs;
    keys[2 * i + 1] = seq;
    slots[i] = slot;
  }

  /**
   * pop removes the earliest entry and returns its slot, or -1 when the queue is empty.
   * It moves the last entry into the hole left at the root and sifts it down, comparing by
   * (time, sequence number).
   */
  pop(): number {
    if (this.count === 0) return -1;
    const keys = this.keys;
    const slots = this.slots;
    const top = slots[0] as number;
    const n = --this.count;
    if (n === 0) return top;
    const lastTimeUs = keys[2 * n] as number;
    const lastSeq = keys[2 * n + 1] as number;
    const lastSlot = slots[n] as number;
    // Sink the hole at the root down to a leaf along the smallest children (Floyd): the last
    // entry usually belongs near the bottom, so this saves comparisons with it on every level.
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      const end = first + 4 < n ? first + 4 : n;
      let child = first;
      let childTimeUs = keys[2 * first] as number;
      let childSeq = keys[2 * first + 1] as number;
      for (let c = first + 1; c < end; c++) {
        const timeUs = keys[2 * c] as number;
        if (timeUs < childTimeUs || (timeUs === childTimeUs && (keys[2 * c + 1] as number) < childSeq)) {
          child = c;
          childTimeUs = timeUs;
          childSeq = keys[2 * c + 1] as number;
        }
      }
      keys[2 * i] = childTimeUs;
      keys[2 * i + 1] = childSeq;
      slots[i] = slots[child] as number;
      i = child;
    }
    // Then sift the last entry up from that leaf to its place. (push has the same loop with a
    // simpler comparison: its entry's sequence number is the largest, so a tie in time never
    // moves it. Kept apart on purpose: one shared loop measured about a quarter slower on the kernel bench.)
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const parentTimeUs = keys[2 * parent] as number;
      if (parentTimeUs < lastTimeUs || (parentTimeUs === lastTimeUs && (keys[2 * parent + 1] as number) < lastSeq)) break;
      keys[2 * i] = parentTimeUs;
      keys[2 * i + 1] = keys[2 * parent + 1] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    keys[2 * i] = lastTimeUs;
    keys[2 * i + 1] = lastSeq;
    slots[i] = lastSlot;
    return top;
  }

  /** grow doubles the capacity of the heap's arrays, keeping their contents. */
  private grow(): void {
    const capacity = this.slots.length * 2;
    if (capacity > 0x3fffffff) throw new Error('EventQueue: capacity exceeds 2^30 entries');
    const keys = new Float64Array(2 * capacity);
    const slots = new Int32Array(capacity);
    keys.set(this.keys);
    slots.set(this.slots);
    this.keys = keys;
    this.slots = slots;
  }
}

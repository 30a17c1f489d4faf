/**
 * EventQueue is the simulator's single priority queue: a binary min-heap of (timeUs, slot)
 * entries ordered by time, with ties broken by a sequence number so that events scheduled
 * for the same microsecond pop in the order they were pushed (docs/style.md point 6). A plain
 * binary heap does not keep insertion order, and a run must not depend on heap layout.
 *
 * The heap lives in three parallel typed arrays that grow by doubling, so pushing and
 * popping allocate nothing in the steady state and the element kinds never change.
 * Times are integer microseconds that can reach ~2e15 (UNIX time), so they are kept in a
 * Float64Array, which holds every integer below 2^53 exactly; sequence numbers are kept
 * the same way and stay exact for 2^53 pushes.
 */
export class EventQueue {
  private timesUs: Float64Array;
  private seqs: Float64Array;
  private slots: Int32Array;
  private count = 0;
  private nextSeq = 0;

  /** The constructor takes an initial capacity; the heap doubles whenever it is full. */
  constructor(initialCapacity = 64) {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new Error(`EventQueue: initialCapacity must be a positive integer, got ${initialCapacity}`);
    }
    this.timesUs = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.slots = new Int32Array(initialCapacity);
  }

  /** size is the number of entries waiting in the queue. */
  get size(): number {
    return this.count;
  }

  /** peekTimeUs returns the time of the earliest entry, or Infinity when the queue is empty. */
  peekTimeUs(): number {
    return this.count === 0 ? Infinity : (this.timesUs[0] as number);
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
    if (this.count === this.timesUs.length) this.grow();
    const timesUs = this.timesUs;
    const seqs = this.seqs;
    const slots = this.slots;
    const seq = this.nextSeq++;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTimeUs = timesUs[parent] as number;
      if (parentTimeUs <= timeUs) break;
      timesUs[i] = parentTimeUs;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    timesUs[i] = timeUs;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /**
   * pop removes the earliest entry and returns its slot, or -1 when the queue is empty.
   * It moves the last entry into the hole left at the root and sifts it down, comparing by
   * (time, sequence number).
   */
  pop(): number {
    if (this.count === 0) return -1;
    const timesUs = this.timesUs;
    const seqs = this.seqs;
    const slots = this.slots;
    const top = slots[0] as number;
    const n = --this.count;
    if (n === 0) return top;
    const lastTimeUs = timesUs[n] as number;
    const lastSeq = seqs[n] as number;
    const lastSlot = slots[n] as number;
    // Sink the hole at the root down to a leaf along the smaller children (Floyd): the last
    // entry usually belongs near the bottom, so this saves a comparison per level.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let childTimeUs = timesUs[child] as number;
      const right = child + 1;
      if (right < n) {
        const rightTimeUs = timesUs[right] as number;
        if (
          rightTimeUs < childTimeUs ||
          (rightTimeUs === childTimeUs && (seqs[right] as number) < (seqs[child] as number))
        ) {
          child = right;
          childTimeUs = rightTimeUs;
        }
      }
      timesUs[i] = childTimeUs;
      seqs[i] = seqs[child] as number;
      slots[i] = slots[child] as number;
      i = child;
    }
    // Then sift the last entry up from that leaf to its place. (push has the same loop with a
    // simpler comparison: its entry's sequence number is the largest, so a tie in time never
    // moves it. Kept apart on purpose: one shared loop measured about a quarter slower on the kernel bench.)
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTimeUs = timesUs[parent] as number;
      if (parentTimeUs < lastTimeUs || (parentTimeUs === lastTimeUs && (seqs[parent] as number) < lastSeq)) break;
      timesUs[i] = parentTimeUs;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    timesUs[i] = lastTimeUs;
    seqs[i] = lastSeq;
    slots[i] = lastSlot;
    return top;
  }

  /** grow doubles the capacity of the three heap arrays, keeping their contents. */
  private grow(): void {
    const capacity = this.timesUs.length * 2;
    if (capacity > 0x7fffffff) throw new Error('EventQueue: capacity exceeds 2^31 entries');
    const timesUs = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const slots = new Int32Array(capacity);
    timesUs.set(this.timesUs);
    seqs.set(this.seqs);
    slots.set(this.slots);
    this.timesUs = timesUs;
    this.seqs = seqs;
    this.slots = slots;
  }
}

// The receiving side of one sender's SEM stream, as pure logic: which records to apply now, in
// order and once each, which to hold until a gap is filled, and which range to ask for again.
// Edits of one sender must apply in the order they were made (a Mod depends on the Add before
// it), so a record after a gap waits for the gap to be filled.

/** InboxVerdict is what to do with one arrival; Body is what a record carries (a Diff.dat line, or a whole message). */
export interface InboxVerdict<Body = string> {
  /** deliver lists records to apply now, in sequence order. */
  deliver: { seq: number; body: Body }[];
  /** refused says why the arriving record itself was not taken. */
  refused: 'replay' | 'stale-epoch' | 'buffer-full' | null;
  /** request is a range to ask the sender for again, or null. */
  request: { fromSeq: number; toSeq: number } | null;
}

/**
 * SenderInbox tracks one sender: its current epoch (incarnation), the next sequence number to
 * apply, and records that arrived early. A higher epoch means the sender restarted and counts
 * from 1 again; a lower one is an old record replayed and is refused.
 */
export class SenderInbox<Body = string> {
  private epoch = 0;
  private nextSeq = 1;
  private readonly early = new Map<number, Body>();
  private lastRequest: { fromSeq: number; toSeq: number; atMs: number } | null = null;

  constructor(
    private readonly maxEarly: number,
    private readonly resendRetryMs: number,
    /** restored is where a previous incarnation of this receiver left the sender (replay-state.ts), or null. */
    restored: readonly [epoch: number, nextSeq: number] | null = null,
  ) {
    if (restored !== null) [this.epoch, this.nextSeq] = restored;
  }

  /** position is what a restart must not forget: the sender's epoch and the next sequence number to apply. */
  get position(): readonly [epoch: number, nextSeq: number] {
    return [this.epoch, this.nextSeq];
  }

  /** expected is the next sequence number this inbox will apply. */
  get expected(): number {
    return this.nextSeq;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /** receive takes one authenticated edit record. */
  receive(epoch: number, seq: number, body: Body, nowMs: number): InboxVerdict<Body> {
    if (epoch < this.epoch) return { deliver: [], refused: 'stale-epoch', request: null };
    if (epoch > this.epoch) this.reset(epoch);
    if (seq < this.nextSeq || this.early.has(seq)) return { deliver: [], refused: 'replay', request: null };
    if (seq > this.nextSeq) {
      if (this.early.size >= this.maxEarly) return { deliver: [], refused: 'buffer-full', request: this.gap(nowMs) };
      this.early.set(seq, body);
      return { deliver: [], refused: null, request: this.gap(nowMs) };
    }
    const deliver = [{ seq, body }];
    this.nextSeq = seq + 1;
    deliver.push(...this.drain());
    return { deliver, refused: null, request: this.gap(nowMs) };
  }

  /** status takes the sender's announced highest sequence number and asks for what is missing. */
  status(epoch: number, highestSeq: number, nowMs: number): InboxVerdict<Body> {
    if (epoch < this.epoch) return { deliver: [], refused: 'stale-epoch', request: null };
    if (epoch > this.epoch) this.reset(epoch);
    if (highestSeq < this.nextSeq) return { deliver: [], refused: null, request: null };
    return { deliver: [], refused: null, request: this.gap(nowMs, highestSeq) };
  }

  /**
   * skip gives up on records the sender no longer has (fromSeq..toSeq of epoch) and applies what
   * waited behind them. The caller must report the loss: this replica may now differ.
   */
  skip(epoch: number, toSeq: number, nowMs: number): InboxVerdict<Body> {
    if (epoch !== this.epoch || toSeq < this.nextSeq) return { deliver: [], refused: null, request: null };
    this.nextSeq = toSeq + 1;
    for (const seq of [...this.early.keys()]) if (seq < this.nextSeq) this.early.delete(seq);
    const deliver = this.drain();
    return { deliver, refused: null, request: this.gap(nowMs) };
  }

  private reset(epoch: number): void {
    this.epoch = epoch;
    this.nextSeq = 1;
    this.early.clear();
    this.lastRequest = null;
  }

  private drain(): { seq: number; body: Body }[] {
    const out: { seq: number; body: Body }[] = [];
    for (let body = this.early.get(this.nextSeq); body !== undefined; body = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq);
      out.push({ seq: this.nextSeq, body });
      this.nextSeq += 1;
    }
    return out;
  }

  /**
   * gap is the first missing run: from the next expected record up to the first early one (or up
   * to knownHighest). The same range is not asked for again within resendRetryMs, so a burst of
   * early arrivals does not become a burst of requests.
   */
  private gap(nowMs: number, knownHighest?: number): { fromSeq: number; toSeq: number } | null {
    let toSeq = knownHighest ?? 0;
    if (this.early.size > 0) toSeq = Math.min(...this.early.keys()) - 1;
    if (toSeq < this.nextSeq) return null;
    const last = this.lastRequest;
    if (last !== null && last.fromSeq === this.nextSeq && last.toSeq === toSeq && nowMs - last.atMs < this.resendRetryMs) return null;
    this.lastRequest = { fromSeq: this.nextSeq, toSeq, atMs: nowMs };
    return { fromSeq: this.nextSeq, toSeq };
  }
}

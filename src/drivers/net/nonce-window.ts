// A request on the management network (a load request, load-rpc.ts; a resync ask of SEM,
// sem-asks.ts) carries a fresh random nonce and its send time. NonceWindow is the answering
// side's memory of them: a request is answered once, and only while it is recent, so a recorded
// request cannot be replayed. The nonces are kept for twice the allowed age (a request up to
// maxAgeMs ahead of this clock stays refused as a replay until it is too old), and they can be
// saved and restored (replay-state.ts), so that a restart does not forget them.

/** MAX_NONCES bounds the nonces remembered: only holders of the shared key can add to them. */
export const MAX_NONCES = 4096;

/** NonceEntry is one nonce remembered and when it was admitted (ms on this server's wall clock). */
export type NonceEntry = readonly [key: string, atMs: number];

export class NonceWindow {
  private readonly seen = new Map<string, number>();

  constructor(
    /** maxAgeMs is how old (or how far ahead, clocks kept by chrony) a request may be. */
    private readonly maxAgeMs: number,
    /** restored are the nonces a previous incarnation admitted, oldest first. */
    restored: readonly NonceEntry[] = [],
  ) {
    if (!(maxAgeMs > 0)) throw new RangeError(`a request age bound must be positive, got ${maxAgeMs} ms`);
    for (const [key, atMs] of restored.slice(-MAX_NONCES)) this.seen.set(key, atMs);
  }

  /** admit returns null for a request to answer (and remembers its key), or why it is refused. */
  admit(key: string, sentMs: number, nowMs: number): 'stale' | 'replay' | null {
    for (const [k, atMs] of this.seen) {
      if (nowMs - atMs <= 2 * this.maxAgeMs && this.seen.size < MAX_NONCES) break;
      this.seen.delete(k);
    }
    if (Math.abs(nowMs - sentMs) > this.maxAgeMs) return 'stale';
    if (this.seen.has(key)) return 'replay';
    this.seen.set(key, nowMs);
    return null;
  }

  /** entries are the nonces remembered, oldest first, to be saved. */
  entries(): NonceEntry[] {
    return [...this.seen];
  }
}

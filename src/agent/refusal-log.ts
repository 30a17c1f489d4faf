// RefusalLog counts every refused datagram of the agent's ports and bounds how fast refusals reach
// the log. Every refusal is worth a line (a forged SEM record, a replay, an answer too large to
// send), but anyone on the management network can send thousands a second (issue 15: 40,000
// random datagrams to the load port once gave 35,630 lines). So: the same line is written once
// per repeatMs (a server that has just started is sent the same records by several peers), at
// most perInterval lines of one kind per intervalMs, and one summary line per interval that
// counts, per kind, the refusals left out. Nothing an unauthenticated sender controls (its size,
// source port or bytes) may become a key: the caller's key names only authenticated content, and
// the lines remembered are bounded too.

export interface RefusalLogOptions {
  /** summary writes the interval's one line: per kind, the refusals left out of the log and all refused. */
  summary: (notLogged: Readonly<Record<string, number>>, refused: Readonly<Record<string, number>>, intervalMs: number) => void;
  repeatMs?: number;
  intervalMs?: number;
  perInterval?: number;
  /** maxRemembered bounds the lines remembered for repeatMs; the oldest is forgotten first. */
  maxRemembered?: number;
  nowMs?: () => number;
}

export class RefusalLog {
  private readonly recent = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private interval = { startMs: 0, refused: new Map<string, number>(), written: new Map<string, number>(), notLogged: new Map<string, number>() };
  private readonly repeatMs: number;
  private readonly intervalMs: number;
  private readonly perInterval: number;
  private readonly maxRemembered: number;
  private readonly nowMs: () => number;

  constructor(private readonly opts: RefusalLogOptions) {
    this.repeatMs = opts.repeatMs ?? 5000;
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.perInterval = opts.perInterval ?? 20;
    this.maxRemembered = opts.maxRemembered ?? 256;
    this.nowMs = opts.nowMs ?? Date.now;
    this.interval.startMs = this.nowMs();
    if (this.perInterval < 1 || this.intervalMs <= 0 || this.maxRemembered < 1) throw new RangeError('a refusal log writes at least one line per interval');
  }

  /**
   * refused counts one refusal of kind and calls write for its line unless the same key was
   * written within repeatMs or kind has had its perInterval lines this interval. key names the
   * line; it must not carry what an unauthenticated sender chooses (refusalKey).
   */
  refused(kind: string, key: string, write: () => void): void {
    this.flush();
    const nowMs = this.nowMs();
    this.totals.set(kind, (this.totals.get(kind) ?? 0) + 1);
    const { refused, written, notLogged } = this.interval;
    refused.set(kind, (refused.get(kind) ?? 0) + 1);
    for (const [k, atMs] of this.recent) {
      if (nowMs - atMs < this.repeatMs && this.recent.size <= this.maxRemembered) break;
      this.recent.delete(k);
    }
    const lines = written.get(kind) ?? 0;
    if (this.recent.has(key) || lines >= this.perInterval) {
      notLogged.set(kind, (notLogged.get(kind) ?? 0) + 1);
      return;
    }
    this.recent.set(key, nowMs);
    written.set(kind, lines + 1);
    write();
  }

  /**
   * flush ends the interval once intervalMs has passed (or at once when final, as the agent
   * stops) and writes its summary if anything was left out. The agent calls it from a timer, so
   * that the count of a flood is written when the flood stops, not with the next refusal.
   */
  flush(final = false): void {
    const nowMs = this.nowMs();
    const { startMs, refused, notLogged } = this.interval;
    if (!final && nowMs - startMs < this.intervalMs) return;
    if (notLogged.size > 0) this.opts.summary(Object.fromEntries(notLogged), Object.fromEntries(refused), nowMs - startMs);
    this.interval = { startMs: nowMs, refused: new Map(), written: new Map(), notLogged: new Map() };
  }

  /** counts are the refusals of every kind since the log was made, written or not. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }
}

/**
 * refusalKey is the line a refusal is remembered by. For a datagram whose sender is not known
 * (from null: no valid HMAC, so anyone could have sent it) it is the kind and the detail's words
 * without their numbers ("malformed # bytes is too long"), cut short: the few things the port
 * says about such datagrams, never their size, source port or bytes, which the sender chooses.
 * For an authenticated datagram it is its sender and detail (a record number, a nonce), which
 * only a holder of the shared key can vary, and then only within the bound on lines remembered.
 */
export function refusalKey(kind: string, from: string | null, detail: string): string {
  return from === null ? `${kind} ${detail.replace(/\d+/g, '#').slice(0, 40)}` : `${kind} ${from} ${detail}`;
}

// RefusalLog bounds how fast refused datagrams reach the agent's log. Every refusal is worth a line
// (a forged SEM record, a replay, an answer too large to send), but anyone on the management
// network can send thousands a second: the same line is written once per repeatMs (a server that
// has just started is sent the same records by several peers), and at most perWindow lines of one
// reason per windowMs; what was left out is counted in one line, written with the first refusal of
// that reason after the window.

export interface RefusalLogOptions {
  /** summary writes the line that counts the refusals of reason left out in a window. */
  summary: (reason: string, suppressed: number) => void;
  repeatMs?: number;
  windowMs?: number;
  perWindow?: number;
  nowMs?: () => number;
}

export class RefusalLog {
  private readonly recent = new Map<string, number>();
  private readonly windows = new Map<string, { startMs: number; written: number; suppressed: number }>();
  private readonly repeatMs: number;
  private readonly windowMs: number;
  private readonly perWindow: number;
  private readonly nowMs: () => number;

  constructor(private readonly opts: RefusalLogOptions) {
    this.repeatMs = opts.repeatMs ?? 5000;
    this.windowMs = opts.windowMs ?? 10_000;
    this.perWindow = opts.perWindow ?? 20;
    this.nowMs = opts.nowMs ?? Date.now;
  }

  /** refused calls write for a refusal (key: its line) unless the line was written lately or reason is over its rate. */
  refused(reason: string, key: string, write: () => void): void {
    const nowMs = this.nowMs();
    for (const [k, atMs] of this.recent) {
      if (nowMs - atMs < this.repeatMs) break;
      this.recent.delete(k);
    }
    if (this.recent.has(key)) return;
    this.recent.set(key, nowMs);
    let w = this.windows.get(reason);
    if (w === undefined || nowMs - w.startMs >= this.windowMs) {
      if (w !== undefined && w.suppressed > 0) this.opts.summary(reason, w.suppressed);
      w = { startMs: nowMs, written: 0, suppressed: 0 };
      this.windows.set(reason, w);
    }
    if (w.written >= this.perWindow) {
      w.suppressed += 1;
      return;
    }
    w.written += 1;
    write();
  }
}

// TimerList keeps a management program's deadlines. The core never sleeps (docs/architecture.md: waits are
// explicit states with deadlines); it tells the world the earliest deadline and is woken there.

/** TimerOwner is anything inside a program that waits for a deadline. */
export interface TimerOwner {
  onTimer(tag: string): void;
}

interface Timer {
  atUs: number;
  seq: number;
  owner: TimerOwner;
  tag: string;
  /** cancelled is set when its owner's timers are removed while it is already due (fireDue skips it). */
  cancelled: boolean;
}

const NONE: Timer[] = [];

export class TimerList {
  private timers: Timer[] = [];
  private seq = 0;
  /** firing holds the timers fireDue is calling, so that removing an owner also cancels its due ones. */
  private firing: Timer[] = NONE;
  /** earliestUs caches nextAtUs (asked after every event a program handles); undefined once the timers changed. */
  private earliestUs: number | null | undefined = null;

  /** add registers a deadline; timers at the same time fire in the order they were added. */
  add(atUs: number, owner: TimerOwner, tag: string): void {
    if (!Number.isInteger(atUs)) throw new Error(`timer ${tag} at non-integer time ${atUs}`);
    this.timers.push({ atUs, seq: this.seq++, owner, tag, cancelled: false });
    if (this.earliestUs !== undefined && (this.earliestUs === null || atUs < this.earliestUs)) this.earliestUs = atUs;
  }

  /** removeOwner drops every deadline of an owner that has ended. */
  removeOwner(owner: TimerOwner): void {
    // Mostly the owner has none left (a check cancelling before it waits): no new array then.
    if (this.timers.some((t) => t.owner === owner)) {
      this.timers = this.timers.filter((t) => t.owner !== owner);
      this.earliestUs = undefined;
    }
    for (const t of this.firing) if (t.owner === owner) t.cancelled = true;
  }

  clear(): void {
    this.timers = [];
    this.earliestUs = null;
    for (const t of this.firing) t.cancelled = true;
  }

  /**
   * fireDue calls every timer due at or before nowUs, in (time, order) order. A timer whose owner
   * is removed by an earlier one of the same batch (a job ended at the same instant) is not called.
   */
  fireDue(nowUs: number): void {
    const due = this.takeDue(nowUs);
    if (due.length === 0) return;
    this.firing = due;
    try {
      for (const t of due) if (!t.cancelled) t.owner.onTimer(t.tag);
    } finally {
      this.firing = NONE;
    }
  }

  /** nextAtUs is the earliest deadline, or null when none is pending. */
  nextAtUs(): number | null {
    if (this.earliestUs !== undefined) return this.earliestUs;
    let best: number | null = null;
    for (const t of this.timers) if (best === null || t.atUs < best) best = t.atUs;
    this.earliestUs = best;
    return best;
  }

  /** takeDue removes and returns, in (time, order) order, every timer due at or before nowUs. */
  takeDue(nowUs: number): Timer[] {
    // Usually exactly one timer is due: take it out without building new arrays.
    let dueCount = 0;
    let only = -1;
    for (let i = 0; i < this.timers.length; i++) {
      if ((this.timers[i] as Timer).atUs <= nowUs) {
        dueCount++;
        only = i;
      }
    }
    if (dueCount === 0) return NONE;
    this.earliestUs = undefined;
    if (dueCount === 1) return this.timers.splice(only, 1);
    const due: Timer[] = [];
    const rest: Timer[] = [];
    for (const t of this.timers) (t.atUs <= nowUs ? due : rest).push(t);
    if (due.length === 0) return due;
    this.timers = rest;
    return due.sort((a, b) => a.atUs - b.atUs || a.seq - b.seq);
  }
}

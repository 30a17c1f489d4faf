// TimerList keeps a management program's deadlines. The core never sleeps (docs/architecture.md: waits are
// explicit states with deadlines); it tells the world the earliest deadline and is woken there.
//
// A program adds two deadlines an interval and nearly always one falls due at a time: the timers are
// kept in two flat arrays, not an object each (an object per deadline lives an interval, and a large
// ring's K of them an interval would be old-generation garbage, and one more object to reach).

/** TimerOwner is anything inside a program that waits for a deadline. */
export interface TimerOwner {
  onTimer(tag: string): void;
}

/** Due is one timer of a batch fireDue calls; cancelled is set when its owner's timers are removed before its turn. */
interface Due {
  owner: TimerOwner;
  tag: string;
  cancelled: boolean;
}

const NONE: Due[] = [];

export class TimerList {
  /** times holds each timer's time and its order of adding: atUs, seq, atUs, seq, ... */
  private times: number[] = [];
  /** whos holds each timer's owner and tag, in the same order: owner, tag, owner, tag, ... */
  private whos: (TimerOwner | string)[] = [];
  private seq = 0;
  /** firing holds the timers of the batch fireDue is calling, so that removing an owner also cancels its due ones. */
  private firing: Due[] = NONE;

  /** add registers a deadline; timers at the same time fire in the order they were added. */
  add(atUs: number, owner: TimerOwner, tag: string): void {
    if (!Number.isInteger(atUs)) throw new Error(`timer ${tag} at non-integer time ${atUs}`);
    this.times.push(atUs, this.seq++);
    this.whos.push(owner, tag);
  }

  /** removeOwner drops every deadline of an owner that has ended. */
  removeOwner(owner: TimerOwner): void {
    // In place: mostly the owner has none left (a check cancelling before it waits), and nothing moves.
    let kept = 0;
    for (let i = 0; i < this.whos.length; i += 2) {
      if (this.whos[i] === owner) continue;
      this.times[kept] = this.times[i] as number;
      this.times[kept + 1] = this.times[i + 1] as number;
      this.whos[kept] = this.whos[i] as TimerOwner;
      this.whos[kept + 1] = this.whos[i + 1] as string;
      kept += 2;
    }
    this.times.length = kept;
    this.whos.length = kept;
    for (const t of this.firing) if (t.owner === owner) t.cancelled = true;
  }

  clear(): void {
    this.times = [];
    this.whos = [];
    for (const t of this.firing) t.cancelled = true;
  }

  /**
   * fireDue calls every timer due at or before nowUs, in (time, order) order. A timer whose owner
   * is removed by an earlier one of the same batch (a job ended at the same instant) is not called.
   */
  fireDue(nowUs: number): void {
    let dueCount = 0;
    let only = -1;
    for (let i = 0; i < this.times.length; i += 2) {
      if ((this.times[i] as number) <= nowUs) {
        dueCount++;
        only = i;
      }
    }
    if (dueCount === 0) return;
    if (dueCount === 1) {
      // Usually exactly one timer is due: nothing of a batch can be cancelled before its turn.
      const owner = this.whos[only] as TimerOwner;
      const tag = this.whos[only + 1] as string;
      this.removeAt(only);
      return owner.onTimer(tag);
    }
    const due = this.takeDue(nowUs);
    this.firing = due;
    try {
      for (const t of due) if (!t.cancelled) t.owner.onTimer(t.tag);
    } finally {
      this.firing = NONE;
    }
  }

  /** removeAt drops the timer at i in place: the arrays keep their storage, where splice would make a new array of what it removed. */
  private removeAt(i: number): void {
    const { times, whos } = this;
    for (let j = i + 2; j < times.length; j++) {
      times[j - 2] = times[j] as number;
      whos[j - 2] = whos[j] as TimerOwner | string;
    }
    times.pop();
    times.pop();
    whos.pop();
    whos.pop();
  }

  /** nextAtUs is the earliest deadline, or null when none is pending (a program keeps it until its timers change, ManagementProgram.nextWakeUs). */
  nextAtUs(): number | null {
    let best: number | null = null;
    for (let i = 0; i < this.times.length; i += 2) if (best === null || (this.times[i] as number) < best) best = this.times[i] as number;
    return best;
  }

  /** takeDue removes and returns, in (time, order) order, every timer due at or before nowUs. */
  private takeDue(nowUs: number): Due[] {
    const due: { atUs: number; seq: number; who: Due }[] = [];
    const [times, whos] = [this.times, this.whos];
    this.times = [];
    this.whos = [];
    for (let i = 0; i < times.length; i += 2) {
      const [atUs, seq, owner, tag] = [times[i] as number, times[i + 1] as number, whos[i] as TimerOwner, whos[i + 1] as string];
      if (atUs <= nowUs) due.push({ atUs, seq, who: { owner, tag, cancelled: false } });
      else {
        this.times.push(atUs, seq);
        this.whos.push(owner, tag);
      }
    }
    return due.sort((a, b) => a.atUs - b.atUs || a.seq - b.seq).map((d) => d.who);
  }
}

// The times a management program reads or sets at every event (its clock reading, the wake it asks
// for, its timers' next deadline, its last tick) are UNIX microseconds: numbers V8 keeps in a heap
// box of their own when they are fields of an object, one more object per field to reach. In a large
// simulated ring every program is out of the caches between two of its events, so each box was one
// more cache miss per event (docs/scale.md). TimeCells holds such numbers for many programs in one
// Float64Array: the simulator gives each program four cells beside its runner's own, so that an event
// reads them from one cache line; a host that runs one program (the agent, tests) gives it its own.
import { CommandOwners } from './command-owners.ts';

export class TimeCells {
  /** times holds the cells. It grows by doubling, so a reader indexes it anew at each use and keeps no reference to it. */
  times: Float64Array;
  private used = 0;

  constructor(capacity = 8) {
    this.times = new Float64Array(capacity);
  }

  /** take reserves count cells, each set to NaN (no value yet), and returns where they start. */
  take(count: number): number {
    if (this.used + count > this.times.length) {
      const times = new Float64Array(Math.max(2 * this.times.length, this.used + count));
      times.set(this.times);
      this.times = times;
    }
    const at = this.used;
    this.used += count;
    this.times.fill(Number.NaN, at, at + count);
    return at;
  }
}

/** TimeSlot is where a program's four cells start (PROGRAM_CELLS). */
export interface TimeSlot {
  cells: TimeCells;
  at: number;
}

/** PROGRAM_CELLS is how many cells a program takes: its clock reading, its wake, its timers' next deadline and its last tick. */
export const PROGRAM_CELLS = 4;
const NOW = 0;
const WAKE = 1;
const NEXT_WAKE = 2;
const LAST_TICK = 3;

/**
 * ProgramClock is a management program's times, kept in its cells: ManagementProgram extends it,
 * so they read as fields. A missing time (no wake) is NaN in its cell.
 */
export abstract class ProgramClock extends CommandOwners {
  private readonly timeCells: TimeCells;
  private readonly timesAt: number;
  /** nextWakeKnown tells whether the NEXT_WAKE cell holds the timers' next deadline (false once they may have changed). */
  protected nextWakeKnown = true;

  constructor(slot: TimeSlot | undefined) {
    super();
    this.timeCells = slot?.cells ?? new TimeCells(PROGRAM_CELLS);
    this.timesAt = slot?.at ?? this.timeCells.take(PROGRAM_CELLS);
    const times = this.timeCells.times;
    times[this.timesAt + NOW] = 0;
    times[this.timesAt + WAKE] = Number.NaN;
    times[this.timesAt + NEXT_WAKE] = Number.NaN;
    times[this.timesAt + LAST_TICK] = -Infinity;
  }

  /** nowUs is the time handed with the event being handled (the program's clock). */
  get nowUs(): number {
    return this.timeCells.times[this.timesAt + NOW] as number;
  }

  protected set nowUs(us: number) {
    this.timeCells.times[this.timesAt + NOW] = us;
  }

  /** wakeAtUs is the deadline this program asked to be woken at by its last event (NodeOutput), or null. */
  get wakeAtUs(): number | null {
    const us = this.timeCells.times[this.timesAt + WAKE] as number;
    return us === us ? us : null;
  }

  /** lastTickUs is when the last tick began (-Infinity before the first). */
  protected get lastTickUs(): number {
    return this.timeCells.times[this.timesAt + LAST_TICK] as number;
  }

  protected set lastTickUs(us: number) {
    this.timeCells.times[this.timesAt + LAST_TICK] = us;
  }

  /** askWake sets wakeAtUs to the timers' next deadline, asking nextAtUs only when they may have changed since it was asked last. */
  protected askWake(timers: { nextAtUs(): number | null }): void {
    if (!this.nextWakeKnown) {
      this.timeCells.times[this.timesAt + NEXT_WAKE] = timers.nextAtUs() ?? Number.NaN;
      this.nextWakeKnown = true;
    }
    const times = this.timeCells.times;
    times[this.timesAt + WAKE] = times[this.timesAt + NEXT_WAKE] as number;
  }
}

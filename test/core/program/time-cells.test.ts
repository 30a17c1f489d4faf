import { describe, expect, it } from 'vitest';
import { PROGRAM_CELLS, ProgramClock, TimeCells } from '../../../src/core/program/time-cells.ts';

/** Clock is a ProgramClock whose protected parts a test may call. */
class Clock extends ProgramClock {
  setNow(us: number): void {
    this.nowUs = us;
  }
  get tickUs(): number {
    return this.lastTickUs;
  }
  setTick(us: number): void {
    this.lastTickUs = us;
  }
  timersChanged(): void {
    this.nextWakeKnown = false;
  }
  wake(timers: { nextAtUs(): number | null }): void {
    this.askWake(timers);
  }
}

/** timers is a timer list whose next deadline is given, counting how often it is asked. */
function timers(nextUs: number | null): { nextAtUs(): number | null; asked: number } {
  return {
    asked: 0,
    nextAtUs() {
      this.asked++;
      return nextUs;
    },
  };
}

describe('time cells (time-cells.ts)', () => {
  it('a program starts at time 0, with no wake and no tick yet', () => {
    const clock = new Clock(undefined);
    expect(clock.nowUs).toBe(0);
    expect(clock.wakeAtUs).toBeNull();
    expect(clock.tickUs).toBe(-Infinity);
  });

  it('programs given cells of one array keep their own times, UNIX microseconds exactly', () => {
    const cells = new TimeCells(2);
    const a = new Clock({ cells, at: cells.take(PROGRAM_CELLS) });
    const b = new Clock({ cells, at: cells.take(PROGRAM_CELLS) });
    a.setNow(1_733_350_000_123_456);
    b.setNow(1_733_350_000_654_321);
    a.setTick(1_733_350_000_000_000);
    expect(a.nowUs).toBe(1_733_350_000_123_456);
    expect(b.nowUs).toBe(1_733_350_000_654_321);
    expect(a.tickUs).toBe(1_733_350_000_000_000);
    expect(b.tickUs).toBe(-Infinity);
  });

  it('the array grows when cells are taken past its end, and what the cells held stays', () => {
    const cells = new TimeCells(4);
    const first = new Clock({ cells, at: cells.take(PROGRAM_CELLS) });
    first.setNow(42);
    const more = Array.from({ length: 20 }, () => new Clock({ cells, at: cells.take(PROGRAM_CELLS) }));
    more.forEach((c, i) => c.setNow(100 + i));
    expect(first.nowUs).toBe(42);
    expect(more.map((c) => c.nowUs)).toEqual(more.map((_, i) => 100 + i));
    expect(cells.times.length).toBeGreaterThanOrEqual(21 * PROGRAM_CELLS);
  });

  it('the wake asked for is the timers’ next deadline, asked again only after the timers changed', () => {
    const clock = new Clock(undefined);
    const list = timers(5_000);
    clock.timersChanged();
    clock.wake(list);
    clock.wake(list);
    expect(clock.wakeAtUs).toBe(5_000);
    expect(list.asked).toBe(1);
    const none = timers(null);
    clock.timersChanged();
    clock.wake(none);
    expect(clock.wakeAtUs).toBeNull();
    expect(none.asked).toBe(1);
  });
});

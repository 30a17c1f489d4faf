import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/sim/kernel/kernel.ts';
import { runPeriodicWorkload } from '../../../src/sim/kernel/periodic-workload.ts';

describe('Kernel', () => {
  it('the kernel runs events in time order, and same-time events in the order they were scheduled', () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    kernel.at(20, () => seen.push(`b@${kernel.nowUs}`));
    kernel.at(10, () => seen.push(`a@${kernel.nowUs}`));
    kernel.at(20, () => seen.push(`c@${kernel.nowUs}`));
    kernel.after(20, () => seen.push(`d@${kernel.nowUs}`));

    const ran = kernel.runUntilQuiet();

    expect(ran).toBe(4);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20', 'd@20']);
  });

  it('runUntil runs events up to and including endUs and leaves nowUs at endUs', () => {
    const kernel = new Kernel(1000);
    const seen: number[] = [];
    for (const timeUs of [1000, 1500, 2000, 2001]) kernel.at(timeUs, () => seen.push(timeUs));

    const ran = kernel.runUntil(2000);

    expect(ran).toBe(3);
    expect(seen).toEqual([1000, 1500, 2000]);
    expect(kernel.nowUs).toBe(2000);
    expect(kernel.runUntil(5000)).toBe(1);
    expect(kernel.nowUs).toBe(5000);
  });

  it('an event scheduled at nowUs from inside an event runs in the same run, after it', () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    kernel.at(5, () => {
      seen.push('first');
      kernel.after(0, () => seen.push('scheduled-now'));
    });
    kernel.at(5, () => seen.push('second'));

    kernel.runUntil(5);

    expect(seen).toEqual(['first', 'second', 'scheduled-now']);
  });

  it('scheduling in the past, at a fractional time or with a negative delay throws', () => {
    const kernel = new Kernel();
    kernel.runUntil(100);

    expect(() => kernel.at(99, () => {})).toThrow(/>= nowUs \(100\)/);
    expect(() => kernel.at(100.5, () => {})).toThrow(/integer/);
    expect(() => kernel.at(Infinity, () => {})).toThrow(/integer/);
    expect(() => kernel.after(-1, () => {})).toThrow(/non-negative integer/);
    expect(() => kernel.runUntil(50)).toThrow(/endUs/);
    expect(kernel.nowUs).toBe(100);
  });

  it('a cancelled event does not run and is not counted', () => {
    const kernel = new Kernel();
    const seen: number[] = [];
    const handle = kernel.at(10, () => seen.push(10));
    kernel.at(20, () => seen.push(20));

    kernel.cancel(handle);
    kernel.cancel(handle); // cancelling twice is harmless

    expect(kernel.runUntilQuiet()).toBe(1);
    expect(seen).toEqual([20]);
    expect(kernel.eventsRun).toBe(1);
    expect(kernel.nowUs).toBe(20);
  });

  it('a stale handle does not cancel a later event that reuses its slot', () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    const staleHandle = kernel.at(1, () => seen.push('old'));
    kernel.runUntil(1);
    const freshHandle = kernel.at(2, () => seen.push('new'));

    kernel.cancel(staleHandle);
    kernel.runUntil(2);

    expect(freshHandle % 2 ** 26).toBe(staleHandle % 2 ** 26); // the slot was reused
    expect(freshHandle).not.toBe(staleHandle);
    expect(seen).toEqual(['old', 'new']);
  });

  it('a self-rescheduling entity keeps reusing one slot', () => {
    const kernel = new Kernel();
    const slots = new Set<number>();
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      if (ticks < 50) slots.add(kernel.after(10, tick) % 2 ** 26);
    };
    slots.add(kernel.after(0, tick) % 2 ** 26);

    kernel.runUntilQuiet();

    expect(ticks).toBe(50);
    expect(slots.size).toBe(1);
    expect(kernel.nowUs).toBe(490);
  });

  it('handles are never 0 and a value that is not a handle is rejected', () => {
    const kernel = new Kernel();

    expect(kernel.at(0, () => {})).toBeGreaterThan(0);
    expect(() => kernel.cancel(0)).toThrow(/not a handle/);
    expect(() => kernel.cancel(1.5)).toThrow(/not a handle/);
  });

  it('stop makes the run return after the current event, and the next run goes on from there', () => {
    const kernel = new Kernel();
    const seen: number[] = [];
    kernel.at(10, () => seen.push(10));
    kernel.at(20, () => {
      seen.push(20);
      kernel.stop();
    });
    kernel.at(30, () => seen.push(30));

    expect(kernel.runUntil(100)).toBe(2);
    expect(kernel.nowUs).toBe(20);
    expect(kernel.runUntil(100)).toBe(1);
    expect(seen).toEqual([10, 20, 30]);
    expect(kernel.nowUs).toBe(100);
  });

  it('runUntilQuiet stops before the first event past limitUs and leaves nowUs at the last event run', () => {
    const kernel = new Kernel();
    kernel.at(10, () => {});
    kernel.at(20, () => {});
    kernel.at(30, () => {});

    expect(kernel.runUntilQuiet(25)).toBe(2);
    expect(kernel.nowUs).toBe(20);
    expect(kernel.runUntilQuiet()).toBe(1);
    expect(kernel.nowUs).toBe(30);
    expect(kernel.eventsRun).toBe(3);
  });

  it('runUntilQuiet on an empty queue returns 0 at once and leaves nowUs alone', () => {
    const kernel = new Kernel(42);

    expect(kernel.runUntilQuiet()).toBe(0);
    expect(kernel.nowUs).toBe(42);
  });

  it('running the kernel from inside an event throws', () => {
    const kernel = new Kernel();
    kernel.at(1, () => kernel.runUntil(2));

    expect(() => kernel.runUntil(5)).toThrow(/inside an event/);
  });

  it('an event scheduled with three arguments gets them all, and a slot reused later gets none of them', () => {
    const kernel = new Kernel();
    const seen: unknown[] = [];
    const record = (a: string, b: number | undefined, c: string | undefined): void => void seen.push([a, b, c]);
    kernel.atWith(10, record, 'runner', 7, 'ok');
    kernel.runUntil(10);
    kernel.afterWith(5, record, 'alone');
    kernel.atWith(20, record, 'two', 8);
    kernel.runUntil(20);
    expect(seen).toEqual([
      ['runner', 7, 'ok'],
      ['alone', undefined, undefined],
      ['two', 8, undefined],
    ]);
  });

  it('the kernel starts at a UNIX time in microseconds and keeps it exact', () => {
    const startUs = 1_700_000_000_123_456;
    const kernel = new Kernel(startUs);
    let firedUs = -1;
    kernel.after(1, () => (firedUs = kernel.nowUs));

    kernel.runUntilQuiet();

    expect(firedUs).toBe(startUs + 1);
  });
});

describe('runPeriodicWorkload', () => {
  it('the periodic workload runs exactly the requested number of events, in period order', () => {
    const kernel = new Kernel();

    const ran = runPeriodicWorkload(kernel, 3, 10);

    // Periods 1000, 1007, 1014 µs: 3 events at 0, then 1000, 1007, 1014, 2000, 2014, 2028, 3000.
    expect(ran).toBe(10);
    expect(kernel.eventsRun).toBe(10);
    expect(kernel.nowUs).toBe(3000);
  });

  it('the periodic workload rejects a non-positive entity count', () => {
    expect(() => runPeriodicWorkload(new Kernel(), 0, 10)).toThrow(/entities/);
    expect(runPeriodicWorkload(new Kernel(), 5, 0)).toBe(0);
  });
});

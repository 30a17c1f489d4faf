// TimerList keeps a program's deadlines and fires them in (time, order) order.
import { describe, expect, it } from 'vitest';
import { TimerList } from '../../../src/core/program/timer-list.ts';
import type { TimerOwner } from '../../../src/core/program/timer-list.ts';

/** recorder is a timer owner that writes down every timer it is called for. */
function recorder(name: string, calls: string[], onTimer?: (tag: string) => void): TimerOwner {
  return {
    onTimer: (tag) => {
      calls.push(`${name}:${tag}`);
      onTimer?.(tag);
    },
  };
}

describe('TimerList.fireDue', () => {
  it('fires every due timer in (time, order) order and keeps the later ones', () => {
    const timers = new TimerList();
    const calls: string[] = [];
    const a = recorder('a', calls);
    timers.add(20, a, 'late');
    timers.add(10, a, 'first');
    timers.add(10, a, 'second');

    timers.fireDue(15);

    expect(calls).toEqual(['a:first', 'a:second']);
    expect(timers.nextAtUs()).toBe(20);
  });

  it('fires a lone due timer from between others and keeps the others in their order', () => {
    const timers = new TimerList();
    const calls: string[] = [];
    const a = recorder('a', calls);
    timers.add(30, a, 'third');
    timers.add(10, a, 'first');
    timers.add(20, a, 'second');

    timers.fireDue(10);
    expect(calls).toEqual(['a:first']);
    expect(timers.nextAtUs()).toBe(20);
    timers.fireDue(30);
    expect(calls).toEqual(['a:first', 'a:second', 'a:third']);
    expect(timers.nextAtUs()).toBeNull();
  });

  it('does not call a due timer whose owner an earlier timer of the same instant removed (a job ended by the tick)', () => {
    const timers = new TimerList();
    const calls: string[] = [];
    const job = recorder('job', calls);
    const tick = recorder('tick', calls, () => timers.removeOwner(job));
    timers.add(10, tick, 'tick');
    timers.add(10, job, 'poll');

    timers.fireDue(10);

    expect(calls).toEqual(['tick:tick']);
    expect(timers.nextAtUs()).toBeNull();
  });

  it('does not call the rest of a batch once clear() has run (the program stopped)', () => {
    const timers = new TimerList();
    const calls: string[] = [];
    const stopper = recorder('stop', calls, () => timers.clear());
    timers.add(5, stopper, 'x');
    timers.add(5, recorder('other', calls), 'y');

    timers.fireDue(5);

    expect(calls).toEqual(['stop:x']);
  });

  it('removing an owner drops its deadlines only, and removing one without deadlines changes nothing', () => {
    const timers = new TimerList();
    const calls: string[] = [];
    const [a, b, idle] = [recorder('a', calls), recorder('b', calls), recorder('idle', calls)];
    timers.add(30, a, 'a30');
    timers.add(10, b, 'b10');
    timers.add(20, a, 'a20');
    timers.add(40, b, 'b40');

    timers.removeOwner(idle);
    expect(timers.nextAtUs()).toBe(10);
    timers.removeOwner(a);
    expect(timers.nextAtUs()).toBe(10);
    timers.fireDue(100);

    expect(calls).toEqual(['b:b10', 'b:b40']);
    expect(timers.nextAtUs()).toBeNull();
  });
});

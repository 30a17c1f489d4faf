import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../../src/sim/kernel/event-queue.ts';

/** drain pops every slot left in the queue, in order. */
function drain(queue: EventQueue): number[] {
  const out: number[] = [];
  for (let slot = queue.pop(); slot !== -1; slot = queue.pop()) out.push(slot);
  return out;
}

describe('EventQueue', () => {
  it('an empty queue has size 0, pops -1 and peeks Infinity', () => {
    const queue = new EventQueue();

    expect(queue.size).toBe(0);
    expect(queue.pop()).toBe(-1);
    expect(queue.peekTimeUs()).toBe(Infinity);
  });

  it('the queue pops events in time order whatever order they were pushed in', () => {
    const queue = new EventQueue();
    const timesUs = [50, 10, 40, 0, 30, 20];
    timesUs.forEach((timeUs, slot) => queue.push(timeUs, slot));

    expect(queue.size).toBe(6);
    expect(queue.peekTimeUs()).toBe(0);
    expect(drain(queue)).toEqual([3, 1, 5, 4, 2, 0]);
    expect(queue.size).toBe(0);
  });

  it('the queue pops same-time events in the order they were scheduled', () => {
    const queue = new EventQueue(1);
    for (let slot = 0; slot < 1000; slot++) queue.push(slot % 2 === 0 ? 7 : 5, slot);

    const popped = drain(queue);

    const odd = Array.from({ length: 500 }, (_, k) => 2 * k + 1);
    const even = Array.from({ length: 500 }, (_, k) => 2 * k);
    expect(popped).toEqual([...odd, ...even]);
  });

  it('the queue keeps UNIX-epoch microsecond times exact, one microsecond apart', () => {
    const queue = new EventQueue();
    const baseUs = 1_700_000_000_000_000;
    queue.push(baseUs + 2, 2);
    queue.push(baseUs + 1, 1);
    queue.push(baseUs, 0);

    expect(queue.peekTimeUs()).toBe(baseUs);
    expect(drain(queue)).toEqual([0, 1, 2]);
  });

  it('10k pushes with fixed pseudo-random times pop sorted by time, then by insertion', () => {
    const queue = new EventQueue(2);
    let state = 12345;
    const timesUs: number[] = [];
    for (let slot = 0; slot < 10_000; slot++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0; // fixed LCG, not Math.random
      const timeUs = state % 3000; // many ties
      timesUs.push(timeUs);
      queue.push(timeUs, slot);
    }

    const popped = drain(queue);

    const expected = timesUs
      .map((timeUs, slot) => ({ timeUs, slot }))
      .sort((a, b) => a.timeUs - b.timeUs || a.slot - b.slot)
      .map((entry) => entry.slot);
    expect(popped).toEqual(expected);
  });

  it('interleaved pushes and pops agree with a sorted-list model', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), timeUs: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const queue = new EventQueue(1);
        const model: { timeUs: number; slot: number }[] = [];
        let nextSlot = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            queue.push(o.timeUs, nextSlot);
            model.push({ timeUs: o.timeUs, slot: nextSlot });
            model.sort((a, b) => a.timeUs - b.timeUs || a.slot - b.slot);
            nextSlot++;
          } else {
            expect(queue.peekTimeUs()).toBe(model[0]?.timeUs ?? Infinity);
            expect(queue.pop()).toBe(model.shift()?.slot ?? -1);
          }
          expect(queue.size).toBe(model.length);
        }
      }),
    );
  });

  it('the queue rejects a NaN time and a slot that is not a non-negative int32', () => {
    const queue = new EventQueue();

    expect(() => queue.push(Number.NaN, 0)).toThrow(/NaN/);
    expect(() => queue.push(0, -1)).toThrow(/slot/);
    expect(() => queue.push(0, 1.5)).toThrow(/slot/);
    expect(queue.size).toBe(0);
  });
});

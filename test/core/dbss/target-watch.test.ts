import { describe, expect, it } from 'vitest';
import { TargetWatch } from '../../../src/core/dbss/target-watch.ts';
import { dataOf, FAIL, OK, sec, START_US } from '../ring/harness.ts';
import { FakeContext } from './fake-context.ts';

function startWatch(): { ctx: FakeContext; backs: number[]; stopWatching: () => void } {
  const ctx = new FakeContext();
  const backs: number[] = [];
  let watching = true;
  new TargetWatch(ctx, 'Web2', () => watching, () => backs.push(ctx.nowUs)).start();
  return { ctx, backs, stopWatching: () => (watching = false) };
}

const WEB2 = dataOf('Web2');

describe("TargetWatch, a relocation's examination of its target (hardened ring)", () => {
  it('examines the target network at once, as a hardened-only ping', () => {
    const { ctx } = startWatch();

    expect(ctx.only('probeNetwork')).toMatchObject({ target: 'Web2', address: WEB2.ipr, timeoutUs: ctx.params.networkExamTimeoutUs, extra: true });
  });

  it('a target answering its network and then its service is back, told once', () => {
    const { ctx, backs } = startWatch();
    ctx.answer(ctx.only('probeNetwork'), OK);
    expect(ctx.only('probeService')).toMatchObject({ target: 'Web2', daemons: WEB2.daemons, retry: false, extra: true });

    ctx.advanceTo(START_US + sec(0.2));
    ctx.answer(ctx.only('probeService'), OK);

    expect(backs).toEqual([START_US + sec(0.2)]);
    ctx.advanceTo(START_US + sec(10));
    expect(ctx.count('probeNetwork')).toBe(1);
  });

  it('a target whose network answers but whose service does not (St) is not back, and is examined again a poll interval later', () => {
    const { ctx, backs } = startWatch();
    ctx.answer(ctx.only('probeNetwork'), OK);
    ctx.answer(ctx.only('probeService'), FAIL);

    ctx.advanceTo(START_US + ctx.params.recoveryPollIntervalUs);

    expect(backs).toEqual([]);
    expect(ctx.count('probeNetwork')).toBe(2);
  });

  it('an examination still under way makes the next poll skip', () => {
    const { ctx } = startWatch();

    ctx.advanceTo(START_US + 3 * ctx.params.recoveryPollIntervalUs);

    expect(ctx.count('probeNetwork')).toBe(1);
  });

  it('stops examining, and tells nothing, once the relocation no longer watches', () => {
    const { ctx, backs, stopWatching } = startWatch();
    const first = ctx.only('probeNetwork');

    stopWatching();
    ctx.answer(first, OK);
    ctx.advanceTo(START_US + sec(10));

    expect(backs).toEqual([]);
    expect(ctx.count('probeNetwork')).toBe(1);
    expect(ctx.count('probeService')).toBe(0);
  });
});

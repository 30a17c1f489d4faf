import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChronyClock, parseChronyTracking } from '../../src/drivers/chrony-clock.ts';
import { type FakeBin, makeFakeBin } from './helpers/fake-bin.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/drivers', name), 'utf8');
const SYNCED = fixture('chronyc-tracking-synchronised.csv');
const UNSYNCED = fixture('chronyc-tracking-unsynchronised.csv');

describe('chronyc -c tracking parser', () => {
  it('reads the 14 fields of a synchronised clock', () => {
    expect(parseChronyTracking(SYNCED)).toEqual({
      referenceId: 'C6120001',
      referenceName: '198.18.0.1',
      stratum: 3,
      refTimeS: 1726040123.456789012,
      systemTimeOffsetS: -0.000012345,
      lastOffsetS: -0.000008912,
      rmsOffsetS: 0.000021345,
      frequencyPpm: -12.345,
      residualFreqPpm: -0.002,
      skewPpm: 0.045,
      rootDelayS: 0.000312456,
      rootDispersionS: 0.000158234,
      updateIntervalS: 64.4,
      leapStatus: 'Normal',
    });
  });

  it('reads an unsynchronised clock with an empty reference name and the leap status as a string', () => {
    const tracking = parseChronyTracking(UNSYNCED);

    expect(tracking.referenceId).toBe('00000000');
    expect(tracking.referenceName).toBe('');
    expect(tracking.leapStatus).toBe('Not synchronised');
  });

  it('refuses the human-readable output and lines with the wrong number of fields', () => {
    expect(() => parseChronyTracking('Reference ID    : C6120001 (198.18.0.1)\n')).toThrow(/14 fields/);
    expect(() => parseChronyTracking('C6120001,x,3\n')).toThrow(/14 fields/);
    expect(() => parseChronyTracking(SYNCED.replace('Normal', 'Maybe'))).toThrow(/leap status/);
  });
});

describe('ChronyClock', () => {
  it('gives the wall time in integer microseconds', () => {
    const clock = new ChronyClock({ wallClockMs: () => 1_694_412_005_123.4 });

    expect(clock.nowUs()).toBe(1_694_412_005_123_400);
  });

  it('puts the next monitoring tick on the next multiple of the interval in UNIX time (Sec. 3.2)', () => {
    // 13:43:05.00 in Fig. 14 is mid-interval; the next 10 s tick falls on :10.
    const clock = new ChronyClock({ wallClockMs: () => 1_694_412_185_000 });

    expect(clock.nextTickUs(10_000_000)).toBe(1_694_412_190_000_000);
  });

  it('moves to the following tick when now is exactly on a tick', () => {
    const clock = new ChronyClock({ wallClockMs: () => 1_694_412_190_000 });

    expect(clock.nextTickUs(10_000_000)).toBe(1_694_412_200_000_000);
  });

  it('accepts a synchronised clock within the allowed offset', async () => {
    const clock = new ChronyClock({ runChronyc: async () => SYNCED });

    const verdict = await clock.checkSynchronised({ maxOffsetUs: 1000 });

    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.offsetUs).toBe(-12);
  });

  it('refuses to manage while chronyd is not synchronised', async () => {
    const clock = new ChronyClock({ runChronyc: async () => UNSYNCED });

    const verdict = await clock.checkSynchronised({ maxOffsetUs: 1_000_000 });

    expect(verdict).toMatchObject({ ok: false, reason: 'chronyd is not synchronised' });
  });

  it('refuses to manage when the clock is off by more than the allowed offset in either direction', async () => {
    const fast = new ChronyClock({ runChronyc: async () => SYNCED.replace('-0.000012345', '-0.250000000') });
    const slow = new ChronyClock({ runChronyc: async () => SYNCED.replace('-0.000012345', '0.002000001') });

    expect(await fast.checkSynchronised({ maxOffsetUs: 100_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/-250000 µs/) });
    expect(await slow.checkSynchronised({ maxOffsetUs: 2000 })).toMatchObject({ ok: false });
  });

  it('refuses to manage when chronyc cannot be run, instead of throwing', async () => {
    const clock = new ChronyClock({
      runChronyc: async () => {
        throw new Error('506 Cannot talk to daemon');
      },
    });

    const verdict = await clock.checkSynchronised({ maxOffsetUs: 1000 });

    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/Cannot talk to daemon/) });
  });

  describe('with a fake chronyc first in PATH', () => {
    let bin: FakeBin;
    beforeEach(async () => {
      bin = await makeFakeBin();
    });
    afterEach(async () => {
      await bin.cleanup();
    });

    it('runs chronyc -c tracking and reads its answer', async () => {
      await bin.add('chronyc', `#!/bin/sh\necho "$@" > "$FAKEBIN_DIR/chronyc.args"\nprintf '%s\\n' '${SYNCED.trim()}'\n`);
      const clock = new ChronyClock({ env: bin.env });

      const verdict = await clock.checkSynchronised({ maxOffsetUs: 500 });

      expect(verdict.ok).toBe(true);
      expect(readFileSync(join(bin.dir, 'chronyc.args'), 'utf8')).toBe('-c tracking\n');
    });

    it('refuses when the fake chronyc reports an unsynchronised clock', async () => {
      await bin.add('chronyc', `#!/bin/sh\nprintf '%s\\n' '${UNSYNCED.trim()}'\n`);
      const clock = new ChronyClock({ env: bin.env });

      expect(await clock.checkSynchronised({ maxOffsetUs: 500 })).toMatchObject({ ok: false, reason: 'chronyd is not synchronised' });
    });

    it('hands chronyc the socket it is given as -h, before its command', async () => {
      await bin.add('chronyc', `#!/bin/sh\necho "$@" > "$FAKEBIN_DIR/chronyc.args"\nprintf '%s\\n' '${SYNCED.trim()}'\n`);
      const clock = new ChronyClock({ env: bin.env, socket: '/run/chrony/chronyd.sock' });

      const verdict = await clock.checkSynchronised({ maxOffsetUs: 500 });

      expect(verdict.ok).toBe(true);
      expect(readFileSync(join(bin.dir, 'chronyc.args'), 'utf8')).toBe('-h /run/chrony/chronyd.sock -c tracking\n');
    });

    it('says what chronyc printed on stdout when it exits with a refusal there, as it does without chronyd', async () => {
      await bin.add('chronyc', '#!/bin/sh\necho "506 Cannot talk to daemon"\nexit 1\n');
      const clock = new ChronyClock({ env: bin.env });

      const verdict = await clock.checkSynchronised({ maxOffsetUs: 500 });

      expect(verdict).toMatchObject({ ok: false, reason: 'cannot read chrony tracking: chronyc -c tracking: exit status 1: 506 Cannot talk to daemon' });
    });

    it('refuses when chronyc hangs past its timeout', async () => {
      await bin.add('chronyc', '#!/bin/sh\nexec sleep 30\n');
      const clock = new ChronyClock({ env: bin.env });

      const verdict = await clock.checkSynchronised({ maxOffsetUs: 500, timeoutMs: 200 });

      expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/no answer within 200 ms/) });
    });
  });
});

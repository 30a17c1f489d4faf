// The hardened ring's pure rules (docs/hardening.md): when a claim is safe (fencing), which
// heartbeats a manager trusts (heartbeatTrust), and which separated servers a server must watch
// (readmission).
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../../src/paper/params.ts';
import { heartbeatLine, initialFiles, problemLine } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { applyEdit } from '../../../src/core/model/sem.ts';
import { US_PER_S } from '../../../src/core/model/time.ts';
import { claimSafeAtUs, everyVipOn, SelfFence, UNSYNCHRONISED_STAMP_S, vipsOf, VsHostHistory } from '../../../src/core/ring/fencing.ts';
import type { ProgramContext } from '../../../src/core/program/context.ts';
import { HeartbeatTrust } from '../../../src/core/ring/heartbeat-trust.ts';
import { adoptionGraceUs, SegmentWatch, segmentOf } from '../../../src/core/ring/readmission.ts';
import { dataOf, FAIL, OK, PAPER_RING, RingHarness, sec, separationEdits } from './harness.ts';

const params = defaultParams();
const T_S = 1_622_708_870;
const T_US = T_S * US_PER_S;

function files(): ManagementFiles {
  return initialFiles(PAPER_RING, T_S);
}

function stamp(f: ManagementFiles, server: string, unixS: number): void {
  const old = f['heartbeat.file'].find((l) => l.startsWith(`${server} `)) as string;
  applyEdit(f, { file: 'heartbeat.file', op: 'Mod', oldLine: old, newLine: heartbeatLine(server, unixS) });
}

describe('fencing', () => {
  it('a claim waits one internal check after the holder’s last stamp, plus both clocks’ tolerance, the stamp’s second and the margin', () => {
    const f = files();
    const expected = T_US + US_PER_S + 2 * params.maxClockOffsetUs + params.monitorIntervalUs + params.fenceMarginUs;

    expect(claimSafeAtUs(f, params, T_US + sec(2), ['FTP'], 0)).toBe(expected);
    expect(claimSafeAtUs(f, params, T_US + sec(2), ['FTP'], sec(3))).toBe(expected + sec(3));
    expect(claimSafeAtUs(f, params, expected + sec(1), ['FTP'], 0)).toBe(expected + sec(1));
    expect(claimSafeAtUs(f, params, T_US, [], 0)).toBe(T_US);
  });

  it('a holder without a trusted stamp (unsynchronised, or a silent feed) is given a whole check and the margin from now', () => {
    const f = files();
    stamp(f, 'FTP', UNSYNCHRONISED_STAMP_S);
    const nowUs = T_US + sec(30);

    expect(claimSafeAtUs(f, params, nowUs, ['FTP'], 0)).toBe(nowUs + params.monitorIntervalUs + params.fenceMarginUs);
    expect(claimSafeAtUs(files(), params, nowUs, ['Mail'], Infinity)).toBe(nowUs + params.monitorIntervalUs + params.fenceMarginUs);
  });

  it('a server gives up its own VIP and its virtual servers’ when it fences, its own even when the files have separated it', () => {
    const f = files();
    applyEdit(f, { file: 'problem.file', op: 'Add', line: problemLine('Mailb', 'Mail', 'FTP') });

    expect(vipsOf(f, 'FTP', dataOf).map((h) => h.vip)).toEqual([dataOf('FTP').vip, dataOf('Mail').vip]);
    for (const e of separationEdits('FTP')) applyEdit(f, e);
    expect(vipsOf(f, 'FTP', dataOf).map((h) => h.vip)).toEqual([dataOf('Mail').vip]);
    expect(everyVipOn(f, 'FTP', dataOf).map((h) => h.vip)).toEqual([dataOf('FTP').vip, dataOf('Mail').vip]);
  });

  it('the possible holders of a VIP are the target, its virtual server’s host and hosts that ran it within an interval, less the claim’s parties', () => {
    const f = files();
    const history = new VsHostHistory(params);
    const relocation = { file: 'problem.file', op: 'Del', line: problemLine('Mailb', 'Mail', 'Web1') } as const;
    history.noted(relocation, T_US);
    applyEdit(f, { file: 'problem.file', op: 'Add', line: problemLine('Mailb', 'Mail', 'FTP') });

    expect(history.possibleHolders(f, T_US + sec(1), 'Mail', ['Web2']).sort()).toEqual(['FTP', 'Mail', 'Web1']);
    expect(history.possibleHolders(f, T_US + sec(1), 'Mail', ['Mail', 'FTP'])).toEqual(['Web1']);
    expect(history.possibleHolders(f, T_US + sec(60), 'Mail', ['Mail', 'FTP'])).toEqual([]);
  });

  it('a fenced server fences again at a failed check, but not at one that began before the files changed, and takes back only once its fences are done', () => {
    const issued: unknown[] = [];
    const fence = new SelfFence({ issue: (c: unknown) => issued.push(c) } as unknown as ProgramContext);
    const vips = everyVipOn(files(), 'FTP', dataOf);
    fence.checkBegan(T_US);
    expect(fence.refenceDue).toBe(true);
    fence.filesChanged(T_US + sec(0.01)); // a hand-back's group-file edit, while the check was under way
    expect(fence.refenceDue).toBe(false);
    fence.checkBegan(T_US + sec(1));
    expect(fence.refenceDue).toBe(true);

    fence.give(vips);
    fence.give(vips, true);
    expect(issued).toEqual([{ type: 'fence', vips }, { type: 'fence', vips, again: true }]);
    let takenBack = 0;
    fence.afterFences(() => takenBack++);
    fence.onResult();
    expect(takenBack).toBe(0);
    fence.onResult();
    expect(takenBack).toBe(1);
    fence.give(vips);
    fence.afterFences(() => takenBack++);
    fence.give(vips, true); // failed again before the fence was done: the take-back is given up
    fence.onResult();
    fence.onResult();
    expect(takenBack).toBe(1);
  });
});

describe('fencing on a clock chrony does not trust', () => {
  it('a clock found unsynchronised is checked at once, and at once again while it stands still (set back), not on its own timers', () => {
    const h = new RingHarness('FTP', { hardening: ['fencing', 'heartbeatTrust'] });
    h.internalOk = null;
    h.advanceBy(sec(2));
    h.deliver({ type: 'clockStatus', synchronised: false });
    h.reply('probeInternal', { extra: true }, OK); // the clock has not moved since the check began
    expect(h.files['heartbeat.file']).toContain(heartbeatLine('FTP', UNSYNCHRONISED_STAMP_S));
    h.advanceBy(sec(0.05));
    h.reply('probeInternal', { extra: true }, OK); // it moves again: the next check waits a poll interval
    expect(h.openOf('probeInternal')).toEqual([]);
    expect(h.wakeAtUs).toBe(h.nowUs + h.params.recoveryPollIntervalUs);

    h.deliver({ type: 'clockStatus', synchronised: false });
    h.reply('probeInternal', { extra: true }, FAIL);
    expect(h.issued('fence')).toHaveLength(1);
    expect(h.openOf('probeInternal')).toEqual([]); // fenced: the safe side waits for its timer
  });
});

describe('heartbeatTrust', () => {
  it('a heartbeat is stale only beyond the interval, both clocks’ tolerance and the lag the feed is seen to have', () => {
    const trust = new HeartbeatTrust(params);
    const base = params.heartbeatStaleUs + 2 * params.maxClockOffsetUs;
    trust.heard(T_US, 'Mail', []);
    expect(trust.staleUs(T_US)).toBe(base);

    trust.heard(T_US + sec(4), 'Mail', [{ file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine('Mail', T_S - 10), newLine: heartbeatLine('Mail', T_S) }]);
    expect(trust.staleUs(T_US + sec(4))).toBe(base + sec(3));
  });

  it('an unsynchronised stamp tells nothing of the lag, and a feed silent for an interval and a poll interval trusts no heartbeat', () => {
    const trust = new HeartbeatTrust(params);
    trust.heard(T_US, 'Mail', [{ file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine('Mail', T_S), newLine: heartbeatLine('Mail', UNSYNCHRONISED_STAMP_S) }]);

    expect(trust.feedLagUs(T_US)).toBe(0);
    expect(trust.feedLagUs(T_US + params.monitorIntervalUs + params.recoveryPollIntervalUs)).toBe(0);
    expect(trust.feedLagUs(T_US + params.monitorIntervalUs + params.recoveryPollIntervalUs + 1)).toBe(Infinity);
    trust.answered(T_US + sec(20), 'FTP');
    expect(trust.feedLagUs(T_US + sec(21))).toBe(0);
    expect(trust.answeredAskedUs).toBe(T_US + sec(20));
  });

  it('an answer counts as heard from when its question was asked: a late answer to an old question tells nothing of this tick', () => {
    const trust = new HeartbeatTrust(params);
    trust.answered(T_US + sec(30), 'Mail', [], T_US);
    expect(trust.answeredAskedUs).toBe(T_US);
    trust.answered(T_US + sec(31), 'Login', [], T_US + sec(30));
    trust.answered(T_US + sec(32), 'Mail', [], T_US + sec(10));
    expect(trust.answeredAskedUs).toBe(T_US + sec(30));
  });

  it('a server heard within two intervals, a poll interval and the fence margin may still be managing, its records only late', () => {
    const trust = new HeartbeatTrust(params);
    const waitUs = 2 * params.monitorIntervalUs + params.recoveryPollIntervalUs + params.fenceMarginUs;
    trust.restart(T_US);
    expect(trust.mayBeManaging(T_US + waitUs - 1, 'Login')).toBe(true);
    expect(trust.mayBeManaging(T_US + waitUs, 'Login')).toBe(false);

    trust.heard(T_US + sec(5), 'Login', []);
    expect(trust.mayBeManaging(T_US + sec(5) + waitUs - 1, 'Login')).toBe(true);
    trust.answered(T_US + sec(9), 'Login');
    expect(trust.mayBeManaging(T_US + sec(5) + waitUs, 'Login')).toBe(true);
    expect(trust.mayBeManaging(T_US + sec(9) + waitUs, 'Login')).toBe(false);
  });
});

describe('readmission', () => {
  it('a server’s segment is the separated servers before the last target it monitors, and empty when it monitors none', () => {
    const f = files();
    for (const e of [...separationEdits('FTP'), ...separationEdits('Web2')]) applyEdit(f, e);

    expect(segmentOf(f, 'Mail', ['Web1'])).toEqual(['FTP']);
    expect(segmentOf(f, 'Mail', ['Web1', 'Proxy'])).toEqual(['FTP', 'Web2']);
    expect(segmentOf(f, 'Web1', ['Proxy'])).toEqual(['Web2']);
    expect(segmentOf(f, 'Web1', [])).toEqual([]);
  });

  it('a server is due for adoption once it has stayed in the segment for the adoption grace, and forgotten when it leaves', () => {
    const watch = new SegmentWatch(params);
    const grace = adoptionGraceUs(params);

    expect(watch.due(['FTP'], T_US)).toEqual([]);
    expect(watch.due(['FTP'], T_US + grace - 1)).toEqual([]);
    expect(watch.due(['FTP'], T_US + grace)).toEqual(['FTP']);
    expect(watch.due([], T_US + grace)).toEqual([]);
    expect(watch.due(['FTP'], T_US + 2 * grace)).toEqual([]);
  });

  it('a server handed back takes over its manager’s watch, less the servers that manager has a DBSS for, both clocks’ tolerance later', () => {
    const old = new SegmentWatch(params);
    const grace = adoptionGraceUs(params);
    old.due(['Login', 'Mail'], T_US);
    const handed = old.handover(new Set(['Mail']));
    expect(handed).toEqual([{ server: 'Login', sinceUs: T_US }]);

    const returned = new SegmentWatch(params);
    returned.inherit(handed);
    const dueUs = T_US + 2 * params.maxClockOffsetUs + grace;
    expect(returned.due(['Login', 'Mail'], dueUs - 1)).toEqual([]);
    expect(returned.due(['Login', 'Mail'], dueUs)).toEqual(['Login']);
  });
});

import { describe, expect, it } from 'vitest';
import { BACKGROUND_EVENTS } from '../../../src/core/program/log-events.ts';
import { RecoveryJob } from '../../../src/core/dbss/recovery-job.ts';
import type { JobResult, ProblemKind } from '../../../src/core/dbss/recovery-job.ts';
import { dataOf, FAIL, OK, sec, START_US } from '../ring/harness.ts';
import { FakeContext } from './fake-context.ts';

function startJob(problem: ProblemKind): { ctx: FakeContext; job: RecoveryJob; results: JobResult[] } {
  const ctx = new FakeContext();
  const results: JobResult[] = [];
  const job = new RecoveryJob(ctx, 'FTP', problem, (r) => results.push(r));
  job.start();
  return { ctx, job, results };
}

const FTP = dataOf('FTP');

describe('RecoveryJob, the background job of Sec. 2.1 and Fig. 14', () => {
  it('a service problem restarts the target over the management network before any poll', () => {
    const { ctx } = startJob('service');

    expect(ctx.sent).toEqual([{ type: 'restartServer', id: 1, target: 'FTP', address: FTP.ipr, vip: FTP.vip }]);
    expect(ctx.logs).toEqual([`__Restart_check_(IPR) FTP ${FTP.ipr}`, '__Restart_IPR FTP']);
  });

  it('a network problem only watches the target: no restart command', () => {
    const { ctx } = startJob('network');

    expect(ctx.sent).toEqual([]);
    expect(ctx.logs).toEqual([`__Restart_check_(IPR) FTP ${FTP.ipr}`]);
  });

  it('the restart check polls the target network once a second, logging __Wait for each poll', () => {
    const { ctx } = startJob('network');

    ctx.advanceTo(START_US + sec(3.5), true);

    const polls = ctx.sent.filter((c) => c.type === 'probeNetwork');
    expect(polls).toHaveLength(3);
    expect(polls[0]).toMatchObject({ target: 'FTP', address: FTP.ipr, timeoutUs: ctx.params.recoveryProbeTimeoutUs });
    expect(ctx.logs.filter((l) => l === '__Wait FTP')).toHaveLength(3);
  });

  it('a poll still in flight makes the next one skip, and the cadence stays on the whole seconds', () => {
    const { ctx } = startJob('network');
    ctx.advanceTo(START_US + sec(1)); // first poll issued, left unanswered

    ctx.advanceTo(START_US + sec(2.5));
    expect(ctx.count('probeNetwork')).toBe(1);

    ctx.answer(ctx.only('probeNetwork'), FAIL);
    ctx.advanceTo(START_US + sec(3));
    expect(ctx.count('probeNetwork')).toBe(2);
  });

  it('a poll that finds the network goes on to the service, which spans several seconds without a second poll', () => {
    const { ctx } = startJob('network');
    ctx.advanceTo(START_US + sec(1));
    ctx.answer(ctx.only('probeNetwork'), OK);

    const service = ctx.only('probeService');
    expect(service).toMatchObject({ target: 'FTP', address: FTP.ipr, daemons: ['vsftpd'], waitMaxUs: sec(3), retry: false });
    ctx.advanceTo(START_US + sec(3.9));
    expect(ctx.count('probeNetwork')).toBe(1);
    expect(ctx.count('probeService')).toBe(1);
  });

  it('sends Wake-on-LAN exactly at the first failed poll once restartWaitMaxUs has elapsed, and only once', () => {
    const { ctx, job } = startJob('network');

    ctx.advanceTo(START_US + ctx.params.restartWaitMaxUs - 1, true);
    expect(ctx.count('sendWol')).toBe(0);
    expect(job.phase).toBe('restartCheck');

    ctx.advanceTo(START_US + ctx.params.restartWaitMaxUs, true);
    expect(ctx.openOf('sendWol')).toEqual([expect.objectContaining({ target: 'FTP', mac: FTP.mac })]);
    expect(ctx.logs).toContain('__Start_IPR_forcibly FTP');
    expect(job.phase).toBe('forcedStart');

    ctx.advanceTo(START_US + ctx.params.restartWaitMaxUs + sec(30), true);
    expect(ctx.count('sendWol')).toBe(1);
  });

  it('writes down.file at the first failed poll once startWaitMaxUs has elapsed after Wake-on-LAN', () => {
    const { ctx, results } = startJob('network');
    const wolUs = START_US + ctx.params.restartWaitMaxUs;
    ctx.advanceTo(wolUs, true);

    ctx.advanceTo(wolUs + ctx.params.startWaitMaxUs - 1, true);
    expect(ctx.count('writeJobFile')).toBe(0);

    ctx.advanceTo(wolUs + ctx.params.startWaitMaxUs, true);
    const write = ctx.only('writeJobFile');
    expect(write).toMatchObject({ target: 'FTP', result: 'down' });
    expect(ctx.logs.at(-1)).toBe('__Make_down.file FTP');
    expect(results).toEqual([]); // the foreground job finds the file only once it is written

    ctx.answer(write, OK);
    expect(results).toEqual(['down']);
  });

  it('writes up.file as soon as a poll finds network and service, then polls no more', () => {
    const { ctx, job, results } = startJob('network');
    ctx.advanceTo(START_US + sec(2), true);
    ctx.advanceTo(START_US + sec(3));

    ctx.answer(ctx.only('probeNetwork'), OK);
    ctx.answer(ctx.only('probeService'), OK);

    expect(ctx.only('writeJobFile')).toMatchObject({ target: 'FTP', result: 'up' });
    expect(ctx.logs.slice(-2)).toEqual(['__IPR_is_normal FTP', '__Make_up.file FTP']);
    expect(job.phase).toBe('handingOver');
    ctx.answer(ctx.only('writeJobFile'), OK);
    expect(results).toEqual(['up']);
    ctx.advanceTo(START_US + sec(60));
    expect(ctx.count('probeNetwork')).toBe(3);
    expect(ctx.count('sendWol')).toBe(0);
  });

  it('a poll that finds the network but not the service is a failed poll', () => {
    const { ctx, results } = startJob('service');
    ctx.advanceTo(START_US + sec(1));

    ctx.answer(ctx.only('probeNetwork'), OK);
    ctx.answer(ctx.only('probeService'), FAIL);
    ctx.advanceTo(START_US + sec(2));

    expect(ctx.count('writeJobFile')).toBe(0);
    expect(ctx.openOf('probeNetwork')).toHaveLength(1);
    expect(results).toEqual([]);
  });

  it('the results of the restart and Wake-on-LAN commands move nothing', () => {
    const { ctx, job } = startJob('service');

    ctx.answer(ctx.only('restartServer'), OK);

    expect(job.phase).toBe('restartCheck');
    expect(ctx.count('writeJobFile')).toBe(0);
  });

  it('writes every one of its log lines with the background prefix __', () => {
    const { ctx } = startJob('service');
    ctx.advanceTo(START_US + ctx.params.restartWaitMaxUs + sec(5), true);
    ctx.advanceTo(ctx.nowUs + sec(1));
    ctx.answer(ctx.only('probeNetwork'), OK);
    ctx.answer(ctx.only('probeService'), OK);

    expect(ctx.logs.length).toBeGreaterThan(50);
    expect(ctx.events.filter((e) => !BACKGROUND_EVENTS.has(e.event))).toEqual([]);
  });

  it('a stopped job polls no more and reports nothing, even when a poll in flight answers', () => {
    const { ctx, job, results } = startJob('network');
    ctx.advanceTo(START_US + sec(1));
    const inFlight = ctx.only('probeNetwork');

    job.stop();
    ctx.answer(inFlight, OK);
    ctx.advanceTo(START_US + sec(120));

    expect(ctx.count('probeNetwork')).toBe(1);
    expect(ctx.count('probeService')).toBe(0);
    expect(results).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { dataOf, FAIL, loadsFavouring, OK, P2pHarness, PAPER_RING, ringLine, sec } from './harness.ts';

const FTP = dataOf('FTP');
const FTPB_ON_WEB2 = { kind: 'virtual', vsName: 'FTPb', host: 'Web2' } as const;
const INITIAL_GROUP = PAPER_RING.map((e) => ringLine(e.server));

/** PROGRAM_START is how long the harness's world takes to start a management program (the simulator's 0.04 s). */
const PROGRAM_START = sec(0.04);

/**
 * failOverAsP1 runs Mail, FTP's P1, from the tick at which FTP's network is found down up to
 * FTPb on Web2 holding FTP's VIP, answering every step of Sec. 2.3 in turn. Web1 and Login
 * (Mail's other targets) are healthy. It returns the tick.
 */
function failOverAsP1(h: P2pHarness): number {
  h.healthyTarget('Login');
  h.healthyTarget('Web1');
  const tickUs = h.tick();
  h.advanceBy(h.params.networkExamTimeoutUs);
  h.reply('probeNetwork', { target: 'FTP' }, FAIL);
  h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
  h.advanceBy(h.params.networkExamTimeoutUs);
  h.reply('probeNetwork', { target: 'FTP' }, FAIL);
  h.advanceBy(PROGRAM_START);
  h.reply('startProgram', { on: 'Mail', role: 'P1', target: 'Web1' }, OK);
  h.advanceBy(PROGRAM_START);
  h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Mail' }, OK);
  h.reply('resumeVirtualServer', { host: 'Web2', vsName: 'FTPb', target: 'FTP' }, OK);
  h.reply('setVip', { vip: FTP.vip, to: FTPB_ON_WEB2, from: null }, OK);
  return tickUs;
}

describe('P2P, P1 recovers its target (Sec. 2.3, Fig. 3)', () => {
  it('P1 starts the programs of its new roles after the background job and before the virtual server', () => {
    const h = new P2pHarness('Mail');
    h.healthyTarget('Login');
    h.healthyTarget('Web1');

    // Tick: FTP does not answer the network examination (detection), A3 collects the loads.
    const tickUs = h.tick();
    h.advanceBy(sec(2));
    h.reply('probeNetwork', { target: 'FTP', address: FTP.ipr, timeoutUs: sec(2) }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
    // The re-examination confirms: separation edits, the background job, then the P1 program for Web1 here.
    h.advanceBy(sec(2));
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    const startP1 = h.find('startProgram', { on: 'Mail', role: 'P1', target: 'Web1' });
    expect(h.openOf('startProgram', { on: 'Web1' })).toEqual([]);
    expect(h.issued('resumeVirtualServer')).toEqual([]);
    h.advanceBy(PROGRAM_START);
    h.answer(startP1, OK);
    // The new P1 program starts the P2 program for Mail on Web1; only then the virtual server.
    const startP2 = h.find('startProgram', { on: 'Web1', role: 'P2', target: 'Mail' });
    expect(h.issued('resumeVirtualServer')).toEqual([]);
    h.advanceBy(PROGRAM_START);
    h.answer(startP2, OK);
    const resume = h.find('resumeVirtualServer', { host: 'Web2', vsName: 'FTPb', target: 'FTP' });
    h.answer(resume, OK);
    const setVip = h.find('setVip', { vip: FTP.vip, to: FTPB_ON_WEB2, from: null });
    h.answer(setVip, OK);

    expect(h.logTexts().filter((t) => !t.startsWith('IPR_is_normal'))).toEqual([
      'Management_program_start',
      'Start_DBSS FTP P1',
      'Start_DBSS Login P2',
      `IPR_network_is_problem FTP ${FTP.ipr}`,
      `Network_is_problem FTP ${FTP.ipr}`,
      `__Restart_check_(IPR) FTP ${FTP.ipr}`,
      'Start_DBSS Web1 P1',
      'Create_virtual_server_(IPV) FTP FTPb@Web2',
      'Virtual_server_ready_(IPV) FTP FTPb@Web2',
      `Virtual_IP:_VIP_(IPV) FTP ${FTP.vip} FTPb@Web2`,
    ]);
    const separation = h.issued('commitEdits').find((c) => c.edits.some((e) => e.file === 'separation.file'));
    const order = [separation, startP1, startP2, resume, setVip].map((c) => h.indexOf(c as NonNullable<typeof c>));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(h.timeOf('Network_is_problem FTP')).toBe(tickUs + sec(4));
    expect(h.timeOf('Virtual_IP:_VIP_(IPV)')).toBe(tickUs + sec(4) + 2 * PROGRAM_START);
    expect(h.edits()).toEqual([
      { file: 'group.file', op: 'Del', line: '2 FTP FTP.dat' },
      { file: 'separation.file', op: 'Add', line: '2 FTP FTP.dat' },
      { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' },
    ]);
    expect(h.node.p1Targets()).toEqual(['FTP', 'Web1']);
  });

  it('the new P1 program examines Web1 as soon as it starts, not at the next tick', () => {
    const h = new P2pHarness('Mail');
    const tickUs = failOverAsP1(h);

    const web1 = h.issued('probeNetwork', { target: 'Web1' });

    expect(web1).toHaveLength(1);
    expect(h.issuedAt(web1[0]!)).toBe(tickUs + sec(4) + PROGRAM_START);
    expect(h.logTexts()).toContain(`IPR_is_normal Web1 ${dataOf('Web1').ipr}`);
  });

  it('P1 that finds up.file sends the U.file to FTP\'s P2 (Web1) before it moves the VIP back', () => {
    const h = new P2pHarness('Mail');
    failOverAsP1(h);

    // The background job finds FTP answering again and writes up.file.
    h.advanceBy(sec(1));
    h.reply('probeNetwork', { target: 'FTP', timeoutUs: h.params.recoveryProbeTimeoutUs }, OK);
    h.reply('probeService', { target: 'FTP' }, OK);
    h.reply('writeJobFile', { target: 'FTP', result: 'up' }, OK);
    const uFile = h.find('sendJobResult', { to: 'Web1', target: 'FTP', result: 'up' });
    expect(h.logTexts().slice(-2)).toEqual(['Find_up.file FTP', 'Send_U.file FTP Web1']);
    expect(h.files['separation.file']).toEqual([ringLine('FTP')]);
    expect(h.issued('setVip', { to: { kind: 'real', server: 'FTP' } })).toEqual([]);
    h.answer(uFile, OK);
    // A6: files back, VIP back to FTP, FTPb suspended, files and flag sent.
    const vipBack = h.find('setVip', { vip: FTP.vip, to: { kind: 'real', server: 'FTP' }, from: FTPB_ON_WEB2 });
    h.answer(vipBack, OK);
    h.reply('suspendVirtualServer', { host: 'Web2', vsName: 'FTPb' }, OK);
    h.reply('sendFiles', { to: 'FTP' }, OK);
    h.reply('sendFlag', { to: 'FTP' }, OK);

    expect(h.indexOf(uFile)).toBeLessThan(h.indexOf(vipBack));
    expect(h.files['group.file']).toEqual(INITIAL_GROUP);
    expect(h.files['separation.file']).toEqual([]);
    expect(h.files['problem.file']).toEqual([]);
    expect(h.issued('sendJobResult')).toHaveLength(1);
    // At the next tick Mail is P1 of FTP again and its P1 program for Web1 ends.
    h.healthyTarget('FTP');
    h.tick();
    expect(h.node.p1Targets()).toEqual(['FTP']);
    expect(h.logTexts()).toContain('End_DBSS Web1 P1');
  });

  it('P1 that finds down.file sends the D.file to Web1 and ends, leaving FTP separated and served by FTPb', () => {
    const h = new P2pHarness('Mail');
    failOverAsP1(h);
    h.autoAnswer('probeNetwork', { target: 'FTP' }, FAIL);

    h.advanceBy(h.params.restartWaitMaxUs + h.params.startWaitMaxUs + sec(1));
    h.reply('writeJobFile', { target: 'FTP', result: 'down' }, OK);
    const dFile = h.find('sendJobResult', { to: 'Web1', target: 'FTP', result: 'down' });
    expect(h.node.p1Targets()).toContain('FTP');
    h.answer(dFile, OK);

    expect(h.logTexts().slice(-3)).toEqual(['Find_down.file FTP', 'Send_D.file FTP Web1', 'End_DBSS FTP P1']);
    expect(h.issued('sendWol', { target: 'FTP' })).toHaveLength(1);
    expect(h.node.p1Targets()).toEqual(['Web1']);
    expect(h.files['separation.file']).toEqual([ringLine('FTP')]);
    expect(h.files['problem.file']).toEqual(['FTPb FTP Web2']);
    expect(h.issued('setVip')).toHaveLength(1);
    expect(h.issued('suspendVirtualServer')).toEqual([]);
  });

  it('with only Mail and FTP running, P1 starts no program and sends no U.file, since FTP has no P2', () => {
    // Two servers left: Mail and FTP; FTP has no P2 and Mail has no next server to take on.
    const h = new P2pHarness('Mail');
    for (const s of ['Web1', 'Web2', 'Proxy', 'Login']) {
      h.peerEdits('FTP', [
        { file: 'group.file', op: 'Del', line: ringLine(s) },
        { file: 'separation.file', op: 'Add', line: ringLine(s) },
      ]);
    }
    h.tick();
    h.advanceBy(sec(2));
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Mail') });
    h.advanceBy(sec(2));
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('resumeVirtualServer', { host: 'Mail', target: 'FTP' }, OK);
    h.reply('setVip', { vip: FTP.vip }, OK);

    h.advanceBy(sec(1));
    h.reply('probeNetwork', { target: 'FTP', timeoutUs: h.params.recoveryProbeTimeoutUs }, OK);
    h.reply('probeService', { target: 'FTP' }, OK);
    h.reply('writeJobFile', { target: 'FTP', result: 'up' }, OK);

    expect(h.issued('startProgram')).toEqual([]);
    expect(h.issued('sendJobResult')).toEqual([]);
    expect(h.openOf('setVip', { to: { kind: 'real', server: 'FTP' } })).toHaveLength(1);
  });
});

describe('P2P recovery steps under way when the program stops (Fig. 7(a): the flag file goes)', () => {
  it('forgets them: the program start answered after the stop starts no P2 program and no virtual server', () => {
    // Arrange: Mail confirms FTP failed and starts its own P1 program for Web1 (the first step).
    const h = new P2pHarness('Mail');
    h.healthyTarget('Login');
    h.healthyTarget('Web1');
    h.tick();
    h.advanceBy(sec(2));
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
    h.advanceBy(sec(2));
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    const startP1 = h.find('startProgram', { on: 'Mail', role: 'P1', target: 'Web1' });

    // Act: the flag file goes, then the program start answers.
    h.deliver({ type: 'flagFile', present: false });
    const out = h.answer(startP1, OK);

    // Assert: nothing follows from the step of a stopped program.
    expect(out).toEqual([]);
    expect(h.issued('startProgram', { on: 'Web1' })).toEqual([]);
    expect(h.issued('resumeVirtualServer')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { dataOf, FAIL, loadsFavouring, OK, P2pHarness, ringLine, sec, separationEdits } from './harness.ts';

const FTP = dataOf('FTP');
const TND = sec(2); // Table 1: network examination time when disconnected
const PROGRAM_START = sec(0.04);
const REMOTE_COMMAND = sec(0.05); // an SSH command on another server (SimParams.remoteCommandUs)
const FTPB_ON_WEB2 = { kind: 'virtual', vsName: 'FTPb', host: 'Web2' } as const;

/** MAIL_RECOVERS_FTP are the SEM edits Mail, FTP's P1, sends while it recovers FTP on FTPb at Web2. */
const MAIL_RECOVERS_FTP: SemEdit[] = [...separationEdits('FTP'), { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' }];

/** MAIL_RETURNS_FTP are Mail's A6 edits after FTP is back. */
const MAIL_RETURNS_FTP: SemEdit[] = [
  { file: 'problem.file', op: 'Del', line: 'FTPb FTP Web2' },
  { file: 'separation.file', op: 'Del', line: ringLine('FTP') },
  { file: 'group.file', op: 'Add', line: ringLine('FTP') },
];

/** tandemP2 is Web1, P2 of FTP (whose P1 is Mail) and P1 of Web2, which stays healthy. */
function tandemP2(): P2pHarness {
  const h = new P2pHarness('Web1');
  h.healthyTarget('Web2');
  return h;
}

/** detectAsP2 runs Web1 to its first failed examination of FTP at the next tick and returns the tick. */
function detectAsP2(h: P2pHarness): number {
  const tickUs = h.tick();
  h.advanceBy(TND);
  h.reply('probeNetwork', { target: 'FTP', timeoutUs: TND }, FAIL);
  return tickUs;
}

/** waitAsP2 takes Web1 from FTP's failure to waiting for Mail's U.file or D.file, with Mail answering. */
function waitAsP2(h: P2pHarness): number {
  const tickUs = detectAsP2(h);
  h.advanceBy(TND);
  h.reply('probeNetwork', { target: 'FTP' }, FAIL);
  h.reply('probeNetwork', { target: 'Mail' }, OK);
  h.reply('probeService', { target: 'Mail' }, OK);
  return tickUs;
}

/** mailCarriesOn delivers what Mail, FTP's P1, does meanwhile: its edits and the P2 program it starts here for itself. */
function mailCarriesOn(h: P2pHarness, edits: SemEdit[] = MAIL_RECOVERS_FTP): void {
  h.peerEdits('Mail', edits);
  h.deliver({ type: 'startRole', role: 'P2', target: 'Mail' });
}

/** failExaminations answers every open network examination of server as failed, as Tnd after a tick a down server does. */
function failExaminations(h: P2pHarness, server: string): void {
  for (const c of h.openOf('probeNetwork', { target: server })) h.answer(c, FAIL);
}

/** RECOVERY_COMMANDS are what only a manager that recovers a target issues. */
const RECOVERY_COMMANDS = ['collectLoads', 'commitEdits', 'resumeVirtualServer', 'setVip', 'restartServer', 'sendWol', 'writeJobFile', 'startProgram'] as const;

describe('P2P, P2 on its target\'s failure (Sec. 2.3, Fig. 3)', () => {
  it('P2 that finds FTP down re-examines FTP and examines Mail, FTP\'s P1, at the same time', () => {
    const h = tandemP2();

    const tickUs = detectAsP2(h);

    expect(h.logTexts().at(-1)).toBe('IPR_network_is_problem FTP P2');
    const open = h.openOf('probeNetwork');
    expect(open.map((c) => [c.target, h.issuedAt(c)])).toEqual([
      ['FTP', tickUs + TND],
      ['Mail', tickUs + TND],
    ]);
    expect(h.issued('collectLoads')).toEqual([]);
  });

  it('P2 that finds FTP still down and Mail healthy waits, recovering nothing and editing nothing', () => {
    const h = tandemP2();

    waitAsP2(h);
    mailCarriesOn(h);

    expect(h.logTexts().at(-1)).toBe('Start_DBSS Mail P2');
    expect(h.logTexts()).toContain('Wait_U.file_or_D.file FTP');
    for (const type of RECOVERY_COMMANDS) expect(h.issued(type), type).toEqual([]);
    expect(h.node.p1Targets()).toEqual(['Web2']);
    expect(h.node.p2Targets()).toEqual(['FTP', 'Mail']);
  });

  it('P2 that is waiting examines Mail at the next tick, never FTP', () => {
    const h = tandemP2();
    waitAsP2(h);
    mailCarriesOn(h);
    const before = h.issued('probeNetwork').length;

    const tickUs = h.tick();

    // Two examinations of Mail: FTP's P2 checks FTP's P1, and Web1 is now Mail's P2 as well.
    expect(h.issued('probeNetwork').slice(before).map((c) => [c.target, h.issuedAt(c)])).toEqual([
      ['Web2', tickUs],
      ['Mail', tickUs],
      ['Mail', tickUs],
    ]);
    h.autoAnswer('probeNetwork', { target: 'Mail' }, OK);
    h.autoAnswer('probeService', { target: 'Mail' }, OK);
    for (const type of RECOVERY_COMMANDS) expect(h.issued(type), type).toEqual([]);
    expect(h.logTexts().filter((t) => t.startsWith('Take_over_as_P1'))).toEqual([]);
  });

  it('P2 that receives the U.file monitors FTP again from the next tick, and stops being Mail\'s P2', () => {
    const h = tandemP2();
    waitAsP2(h);
    h.healthyTarget('Mail');
    mailCarriesOn(h);
    h.tick();

    h.jobResult('Mail', 'FTP', 'up');
    h.peerEdits('Mail', MAIL_RETURNS_FTP);
    const before = h.issued('probeNetwork').length;
    const tickUs = h.tick();

    expect(h.logTexts()).toContain('Receive_U.file FTP');
    expect(h.logTexts()).toContain('End_DBSS Mail P2');
    expect(h.node.p2Targets()).toEqual(['FTP']);
    expect(h.issued('probeNetwork').slice(before).map((c) => [c.target, h.issuedAt(c)])).toEqual([
      ['Web2', tickUs],
      ['FTP', tickUs],
    ]);
    for (const type of RECOVERY_COMMANDS) expect(h.issued(type), type).toEqual([]);
  });

  it('P2 that receives the D.file ends its management of FTP and never examines it again', () => {
    const h = tandemP2();
    waitAsP2(h);
    h.healthyTarget('Mail');
    mailCarriesOn(h);
    h.tick();
    const ftpExams = h.issued('probeNetwork', { target: 'FTP' }).length;

    h.jobResult('Mail', 'FTP', 'down');
    h.tick();
    h.tick();

    expect(h.logTexts().filter((t) => t.includes('FTP')).slice(-2)).toEqual(['Receive_D.file FTP', 'End_DBSS FTP P2']);
    expect(h.node.p2Targets()).toEqual(['Mail']);
    expect(h.issued('probeNetwork', { target: 'FTP' })).toHaveLength(ftpExams);
    for (const type of RECOVERY_COMMANDS) expect(h.issued(type), type).toEqual([]);
  });

  it('P2 whose re-examination finds FTP answering again goes back to monitoring without waiting', () => {
    const h = tandemP2();
    h.healthyTarget('Mail');
    detectAsP2(h);

    h.advanceBy(sec(1));
    h.reply('probeNetwork', { target: 'FTP' }, OK);
    h.reply('probeService', { target: 'FTP', retry: true }, OK);
    h.tick();

    expect(h.logTexts()).not.toContain('Wait_U.file_or_D.file FTP');
    expect(h.openOf('probeNetwork', { target: 'FTP', timeoutUs: TND })).toHaveLength(1);
    expect(h.issued('probeNetwork', { target: 'Mail' })).toHaveLength(1);
  });
});

describe('P2P, P2 takes over as P1 (Sec. 2.3: "S3, rather than S1, performs an operation with P1")', () => {
  it('P2 that is waiting and finds Mail failed at a tick takes over: program start here, then recovery without another examination', () => {
    const h = tandemP2();
    h.healthyTarget('Login'); // Mail's P1, examined by Web1 as Mail's P2
    waitAsP2(h);
    mailCarriesOn(h);
    const waitedUs = h.nowUs;

    // Mail fails while its background job recovers FTP.
    const tickUs = h.tick();
    h.advanceBy(TND);
    failExaminations(h, 'Mail');
    const startHere = h.find('startProgram', { on: 'Web1', role: 'P1', target: 'FTP' });
    h.advanceBy(PROGRAM_START);
    h.answer(startHere, OK);
    // The programs Mail would have started for the roles Mail and FTP held: Login, before Mail, manages Web1 with P1, Web1 manages Login with P2.
    h.reply('startProgram', { on: 'Login', role: 'P1', target: 'Web1' }, OK);
    h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Login' }, OK);

    expect(h.logTexts().filter((t) => t.includes('FTP'))).toEqual([
      'Start_DBSS FTP P2',
      'IPR_network_is_problem FTP P2',
      'Wait_U.file_or_D.file FTP',
      'Take_over_as_P1 FTP',
      'End_DBSS FTP P2',
      'Start_DBSS FTP P1',
      `__Restart_check_(IPR) FTP ${FTP.ipr}`,
      'Check_virtual_server_(IPV) FTP FTPb@Web2',
    ]);
    expect(h.timeOf('Take_over_as_P1 FTP')).toBe(tickUs + TND);
    // Adopted, not examined again: no examination of FTP since the wait, no A3, no second separation.
    expect(h.issued('probeNetwork', { target: 'FTP', timeoutUs: TND }).filter((c) => h.issuedAt(c) >= waitedUs)).toEqual([]);
    expect(h.issued('collectLoads')).toEqual([]);
    expect(h.edits().filter((e) => e.file !== 'problem.file')).toEqual([]);
    // FTPb already serves FTP on Web2: the files keep exactly that virtual server.
    expect(h.files['problem.file']).toEqual(['FTPb FTP Web2']);
    expect(h.issued('resumeVirtualServer').every((c) => c.host === 'Web2' && c.vsName === 'FTPb')).toBe(true);
    expect(h.node.p1Targets()).toEqual(['Web2', 'FTP']);
    expect(h.node.p2Targets()).toEqual(['Mail', 'Login']);
  });

  it('the P1 that took over moves the VIP back itself when FTP returns, with no U.file to send', () => {
    const h = tandemP2();
    h.healthyTarget('Login');
    waitAsP2(h);
    mailCarriesOn(h);
    h.tick();
    h.advanceBy(TND);
    failExaminations(h, 'Mail');
    h.reply('startProgram', { on: 'Web1', role: 'P1', target: 'FTP' }, OK);
    h.reply('startProgram', { on: 'Login', role: 'P1', target: 'Web1' }, OK);
    h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Login' }, OK);
    for (const c of h.openOf('resumeVirtualServer')) h.answer(c, OK); // only a re-run of FTPb on Web2, if any
    for (const c of h.openOf('setVip')) h.answer(c, OK);

    h.advanceBy(sec(1));
    h.reply('probeNetwork', { target: 'FTP', timeoutUs: h.params.recoveryProbeTimeoutUs }, OK);
    h.reply('probeService', { target: 'FTP' }, OK);
    h.reply('writeJobFile', { target: 'FTP', result: 'up' }, OK);
    h.reply('setVip', { vip: FTP.vip, to: { kind: 'real', server: 'FTP' }, from: FTPB_ON_WEB2 }, OK);
    h.reply('suspendVirtualServer', { host: 'Web2', vsName: 'FTPb' }, OK);
    h.reply('sendFiles', { to: 'FTP' }, OK);
    h.reply('sendFlag', { to: 'FTP' }, OK);

    expect(h.logTexts()).toContain('Find_up.file FTP');
    expect(h.issued('sendJobResult')).toEqual([]);
    expect(h.files['separation.file']).toEqual([]);
    expect(h.files['problem.file']).toEqual([]);
    expect(h.files['group.file']).toContain(ringLine('FTP'));
  });

  it('P2 that finds Mail down together with FTP takes over at once, separates FTP and makes the virtual server', () => {
    const h = tandemP2();
    const tickUs = detectAsP2(h);

    // The re-examination and the examination of P1 both fail: Mail went down with FTP.
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    h.advanceBy(PROGRAM_START);
    h.reply('startProgram', { on: 'Web1', role: 'P1', target: 'FTP' }, OK);
    // Web1 performs the operation with P1 "rather than" Mail (Sec. 2.3), with the two program starts
    // a P1 makes before its virtual server, for the roles Mail and FTP held: Login, the server before
    // Mail, is asked to manage Web1 with P1 (remote), then Web1 manages Login with P2 (local).
    expect(h.issued('collectLoads')).toEqual([]);
    h.advanceBy(REMOTE_COMMAND + PROGRAM_START);
    h.reply('startProgram', { on: 'Login', role: 'P1', target: 'Web1' }, OK);
    expect(h.issued('collectLoads')).toEqual([]);
    h.advanceBy(PROGRAM_START);
    h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Login' }, OK);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });
    h.reply('resumeVirtualServer', { host: 'Proxy', vsName: 'FTPb', target: 'FTP' }, OK);
    h.reply('setVip', { vip: FTP.vip, to: { kind: 'virtual', vsName: 'FTPb', host: 'Proxy' }, from: null }, OK);

    expect(h.logTexts()).not.toContain('Wait_U.file_or_D.file FTP');
    expect(h.timeOf('Take_over_as_P1 FTP')).toBe(tickUs + 2 * TND);
    // A P1's preparation: its P1 program here, then one remote and one local program start.
    expect(h.timeOf('Virtual_IP:_VIP_(IPV) FTP')).toBe(tickUs + 2 * TND + 3 * PROGRAM_START + REMOTE_COMMAND);
    expect(h.edits()).toEqual([...separationEdits('FTP'), { file: 'problem.file', op: 'Add', line: 'FTPb FTP Proxy' }]);
    expect(h.issued('startProgram').map((c) => `${c.on} ${c.role} ${c.target}`)).toEqual(['Web1 P1 FTP', 'Login P1 Web1', 'Web1 P2 Login']);
    expect(h.node.p2Targets()).toContain('Login');
    expect(h.issued('probeNetwork', { target: 'FTP', timeoutUs: TND })).toHaveLength(2);
  });

  it('the priority hand-over when Mail fails while recovering FTP before it made the virtual server: Web1 makes it', () => {
    const h = tandemP2();
    h.healthyTarget('Login');
    waitAsP2(h);
    mailCarriesOn(h, separationEdits('FTP')); // Mail separated FTP and started its job, then failed

    h.tick();
    h.advanceBy(TND);
    failExaminations(h, 'Mail');
    h.reply('startProgram', { on: 'Web1', role: 'P1', target: 'FTP' }, OK);
    h.reply('startProgram', { on: 'Login', role: 'P1', target: 'Web1' }, OK);
    h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Login' }, OK);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
    h.reply('resumeVirtualServer', { host: 'Web2', vsName: 'FTPb', target: 'FTP' }, OK);
    h.reply('setVip', { vip: FTP.vip, to: FTPB_ON_WEB2, from: null }, OK);

    expect(h.logTexts()).toContain('Take_over_as_P1 FTP');
    expect(h.logTexts().at(-1)).toBe(`Virtual_IP:_VIP_(IPV) FTP ${FTP.vip} FTPb@Web2`);
    expect(h.edits()).toEqual([{ file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' }]);
  });

  // Regression, fixed (src/core/dbss/dbss.ts startRecovery, and src/core/dbss/function-recovery.ts select): a P1
  // records its virtual server in the problem file before it resumes it (FunctionRecovery.select
  // commits `FTPb FTP Web2`, then issues resumeVirtualServer). If P1 fails in between, the P2 that
  // takes over trusts the problem file: startRecovery sees liveVirtualHost() = Web2 and never
  // recovers the function, and every later tick (Dbss.onTick) sees the same line. FTP's function
  // stays unserved until FTP itself comes back (in the simulator, with FTP Nt at 5 s and Mail Nt at
  // 15 s, FTP's clients are cut off for about 100 s instead of about 12 s). The adopting P1 should
  // make sure the recorded virtual server runs and holds the VIP: resume it on its host and set the
  // VIP again (both idempotent), or re-run the function recovery whenever it did not make it itself.
  it('the P2 that takes over after Mail recorded FTPb but died before resuming it makes FTPb serve FTP', () => {
    const h = tandemP2();
    h.healthyTarget('Login');
    waitAsP2(h);
    mailCarriesOn(h); // the problem file says FTPb runs on Web2, but Mail died before the resume

    h.tick();
    h.advanceBy(TND);
    failExaminations(h, 'Mail');
    h.reply('startProgram', { on: 'Web1', role: 'P1', target: 'FTP' }, OK);
    h.reply('startProgram', { on: 'Login', role: 'P1', target: 'Web1' }, OK);
    h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Login' }, OK);
    h.tick();

    expect(h.issued('resumeVirtualServer', { vsName: 'FTPb', target: 'FTP' })).not.toEqual([]);
    h.reply('resumeVirtualServer', { vsName: 'FTPb', target: 'FTP' }, OK);
    expect(h.issued('setVip', { vip: FTP.vip })).not.toEqual([]);
  });

  // Regression, fixed (src/core/p2p/p2p-recovery.ts announceResult with src/core/p2p/node.ts monitor): P1 sends
  // the U.file / D.file to the target's P2 as the group file names it when the job ends
  // (p2Of(files, target)), but the P2 that is waiting is the one named when the target failed. When
  // a server between the target and that P2 comes back in between (here FTP, between Mail and
  // Web1), the U.file goes to FTP and Web1 never gets it. monitor() only ends idle P2 monitors, so
  // Web1 stays in 'waiting' for good, examining Login (Mail's P1) at every tick; when Login later
  // fails, Web1 "takes over" Mail, a healthy server in the group file, separates it and recovers it.
  // (In the simulator: FTP Nt at 5 s, Mail Nt at 15 s, Login Nt at 150 s; Web1 logs
  // `Take_over_as_P1 Mail` at 152.27 s and puts Mailb on Web1.) Fix: in P2pNode.monitor end a
  // waiting P2 monitor whose target is back in the group file and is no longer this server's P2
  // target (or have P2Monitor treat "target back in the group" as a U.file), and have P1 remember
  // the P2 it found at the separation and send the result to it as well.
  it('a waiting P2 whose target came back while the U.file went elsewhere never takes that healthy target over', () => {
    // FTP is separated (Mail recovered it earlier), so Web1 is Mail's P2 and Login is Mail's P1.
    const h = tandemP2();
    h.peerEdits('Mail', separationEdits('FTP'));
    const loginNetworkOk = h.autoAnswer('probeNetwork', { target: 'Login' }, OK);
    h.autoAnswer('probeService', { target: 'Login' }, OK);
    h.tick();
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    expect(h.logTexts().at(-1)).toBe('Wait_U.file_or_D.file Mail');
    h.peerEdits('Login', [...separationEdits('Mail'), { file: 'problem.file', op: 'Add', line: 'Mailb Mail Proxy' }]);
    // FTP comes back first; Login's U.file for Mail then goes to FTP, Mail's P2 by the files now.
    h.peerEdits('Web1', [
      { file: 'separation.file', op: 'Del', line: ringLine('FTP') },
      { file: 'group.file', op: 'Add', line: ringLine('FTP') },
    ]);
    h.peerEdits('Login', [
      { file: 'problem.file', op: 'Del', line: 'Mailb Mail Proxy' },
      { file: 'separation.file', op: 'Del', line: ringLine('Mail') },
      { file: 'group.file', op: 'Add', line: ringLine('Mail') },
    ]);
    h.healthyTarget('FTP');
    h.healthyTarget('Mail');
    h.tick();

    // Much later Login fails.
    loginNetworkOk();
    h.tick();
    h.advanceBy(TND);
    failExaminations(h, 'Login');
    for (const c of h.openOf('startProgram')) h.answer(c, OK);

    expect(h.logTexts()).not.toContain('Take_over_as_P1 Mail');
    expect(h.edits()).toEqual([]);
    expect(h.node.p2Targets()).toEqual(['FTP']);
  });
});

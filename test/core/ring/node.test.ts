import { describe, expect, it } from 'vitest';
import { initialFiles } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { defaultParams } from '../../../src/paper/params.ts';
import { RingNode } from '../../../src/core/ring/node.ts';
import { applyEdit } from '../../../src/core/model/sem.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { US_PER_S } from '../../../src/core/model/time.ts';
import { FAIL, failOver, HOST_SPEC, loadsFavouring, OK, PAPER_DATA, PAPER_RING, RingHarness, ringLine, sec, separationEdits, START_US } from './harness.ts';

const START_S = START_US / US_PER_S;

/** paperFilesWith is the paper's ring after these edits (FTP separated, a virtual server recorded, ...). */
function paperFilesWith(edits: SemEdit[]): ManagementFiles {
  const files = initialFiles(PAPER_RING, START_S - 5);
  for (const e of edits) applyEdit(files, e);
  return files;
}

describe('RingNode, the program and its clock (Sec. 3.2)', () => {
  it('a started program checks itself at once, again at the half interval, and ticks on multiples of the interval', () => {
    const h = new RingHarness('Mail');

    expect(h.logTexts()).toEqual(['Management_program_start']);
    expect(h.issued('probeInternal')).toHaveLength(1);
    expect(h.wakeAtUs).toBe(START_US + sec(5));
    h.advanceTo(START_US + sec(5));
    expect(h.issued('probeInternal')).toHaveLength(2);
    expect(h.issued('measureLoad')).toHaveLength(0);

    h.advanceTo(START_US + sec(10));

    expect(h.issued('measureLoad')).toHaveLength(1);
    expect(h.logTexts().at(-1)).toBe('Start_DBSS FTP');
    expect(h.find('probeNetwork')).toMatchObject({ target: 'FTP', address: '172.21.14.2', timeoutUs: sec(2) });
  });

  it('a DBSS probes the address given by management data received after it started', () => {
    const h = new RingHarness('Mail');
    h.advanceTo(START_US + sec(10));
    expect(h.find('probeNetwork')).toMatchObject({ target: 'FTP', address: '172.21.14.2' });
    h.reply('probeNetwork', { target: 'FTP' }, OK);
    h.reply('probeService', { target: 'FTP' }, OK);

    const moved = PAPER_DATA.map((d) => (d.hostName === 'FTP' ? { ...d, ipr: '172.21.14.99', daemons: ['vsftpd', 'sshd'] } : d));
    h.deliver({ type: 'filesReceived', files: h.node.files, data: moved });
    h.advanceTo(START_US + sec(20));

    expect(h.issued('probeNetwork').at(-1)).toMatchObject({ target: 'FTP', address: '172.21.14.99' });
    h.reply('probeNetwork', { target: 'FTP' }, OK);
    expect(h.issued('probeService').at(-1)).toMatchObject({ target: 'FTP', address: '172.21.14.99', daemons: ['vsftpd', 'sshd'] });
  });

  it('a program with files but no flag stays ready and issues nothing', () => {
    const h = new RingHarness('Mail', { flag: false });

    h.advanceTo(START_US + sec(60));

    expect(h.node.executor).toBe('ready');
    expect(h.commands).toEqual([]);
    expect(h.wakeAtUs).toBeNull();
  });

  it('time going backwards throws and changes nothing', () => {
    const h = new RingHarness('Mail');
    h.tick();
    const before = h.commands.length;

    expect(() => h.node.handle(h.nowUs - 1, { type: 'wake' })).toThrow(/time went back/);

    expect(h.commands).toHaveLength(before);
    expect(h.node.handle(h.nowUs, { type: 'wake' }).commands).toEqual([]);
  });

  // Regression, fixed (src/core/program/management-program.ts onTimer, and src/core/ring/node.ts onOwnTimer): the next tick is
  // set at nowUs + interval, where nowUs is when the world delivered the wake. A wake that comes
  // late (a real runner's timer always does, by a little) shifts every later tick by as much, so
  // the ticks drift off the multiples of 10 s of UNIX time that Sec. 3.2's synchronization relies
  // on; the internal check drifts the same way.
  it('a late wake does not shift the later ticks off the multiples of the interval', () => {
    const h = new RingHarness('Mail');
    h.healthyTarget('FTP');
    h.tick();
    h.advanceTo(START_US + sec(20) - 1);

    h.nowUs = START_US + sec(20) + 3_000; // the world wakes the program 3 ms late
    h.deliver({ type: 'wake' });

    expect(h.wakeAtUs).toBe(START_US + sec(25));
    h.advanceTo(START_US + sec(25) + 10_000);
    expect(h.wakeAtUs).toBe(START_US + sec(30));
  });

  // Regression, fixed (src/core/program/management-program.ts onResult): external monitoring (onMeasured) runs only when the
  // tick's measureLoad answers with a load sample. A failed load measurement skips the whole A2
  // step of that interval: no external monitoring, no dynamic extension, no connection selection.
  it('a tick whose load measurement fails still examines the target', () => {
    const h = new RingHarness('Mail');
    h.autoAnswer('measureLoad', {}, FAIL);

    h.tick();

    expect(h.openOf('probeNetwork', { target: 'FTP' })).toHaveLength(1);
  });

  // Regression, fixed (src/core/program/management-program.ts handle, case 'flagFile'): a flag that arrives while the program
  // is still in standby (no files yet) is forgotten, so the program never starts once the files
  // come. Fig. 7(a): with the files in place the executor checks whether the flag exists.
  it('a flag that arrives before the files starts the program once the files come', () => {
    const node = new RingNode('Mail', defaultParams(), HOST_SPEC, 3);
    node.handle(START_US, { type: 'flagFile', present: true });

    node.handle(START_US + 1, { type: 'filesReceived', files: initialFiles(PAPER_RING, START_S), data: PAPER_DATA });

    expect(node.executor).toBe('running');
  });
});

describe('RingNode, internal monitoring and the heartbeat file (Sec. 4.1)', () => {
  it('stamps the heartbeat with a Mod edit at each healthy internal check, and not after a failed one', () => {
    const h = new RingHarness('Mail');
    h.advanceTo(START_US + sec(15));
    h.internalOk = false;

    h.advanceTo(START_US + sec(25));

    expect(h.edits(true)).toEqual([
      { file: 'heartbeat.file', op: 'Mod', oldLine: `Mail ${START_S - 5}`, newLine: `Mail ${START_S}` },
      { file: 'heartbeat.file', op: 'Mod', oldLine: `Mail ${START_S}`, newLine: `Mail ${START_S + 5}` },
      { file: 'heartbeat.file', op: 'Mod', oldLine: `Mail ${START_S + 5}`, newLine: `Mail ${START_S + 15}` },
    ]);
    expect(h.files['heartbeat.file'][0]).toBe(`Mail ${START_S + 15}`);
    expect(h.logTexts().at(-1)).toBe('Internal_monitoring_is_problem');
  });

  it('a node whose internal check fails hands its targets over at the next tick: no DBSS is left and nothing is examined', () => {
    const h = new RingHarness('Mail');
    h.healthyTarget('FTP');
    h.tick();
    expect(h.node.managedTargets()).toEqual(['FTP']);
    h.internalOk = false;
    const probesBefore = h.issued('probeNetwork').length;

    h.tick();

    expect(h.node.managedTargets()).toEqual([]);
    expect(h.logTexts().slice(-2)).toEqual(['Internal_monitoring_is_problem', 'End_DBSS FTP']);
    expect(h.issued('probeNetwork')).toHaveLength(probesBefore);
  });

  it('a node whose internal check passes again takes its target back at the next tick', () => {
    const h = new RingHarness('Mail');
    h.internalOk = false;
    h.tick();
    expect(h.node.managedTargets()).toEqual([]);
    h.internalOk = true;

    h.tick();

    expect(h.node.managedTargets()).toEqual(['FTP']);
  });
});

describe('RingNode, dynamic management extension and automatic connection selection (Sec. 4.2)', () => {
  it('a stale heartbeat of the target extends the management to the next server, and the extension ends once it is fresh again', () => {
    const h = new RingHarness('Mail');
    h.healthyTarget('FTP');
    h.healthyTarget('Web1');
    h.silentPeers.add('FTP');
    h.tick();
    expect(h.node.managedTargets()).toEqual(['FTP', 'Web1']);
    expect(h.issued('probeNetwork').map((c) => c.target)).toEqual(['FTP', 'Web1']);
    h.silentPeers.delete('FTP');

    h.tick();

    expect(h.node.managedTargets()).toEqual(['FTP']);
    expect(h.logTexts()).toContain('End_DBSS Web1');
  });

  it('a recovering DBSS is not ended by automatic connection selection when its target leaves the operation file', () => {
    const h = new RingHarness('Mail');
    h.healthyTarget('Web1');
    failOver(h, 'FTP', 'Web2');
    h.silentPeers.add('FTP');

    h.tick();
    h.tick();

    expect(h.node.managedTargets()).toEqual(['FTP', 'Web1']);
    expect(h.node.dbssFor('FTP')?.state).toBe('recovering');
    expect(h.logTexts()).not.toContain('End_DBSS FTP');
    expect(h.issued('resumeVirtualServer')).toHaveLength(1);
  });

  it('an examination still under way at the next tick is not started twice', () => {
    const h = new RingHarness('Mail');
    h.tick();
    h.tick();

    expect(h.openOf('probeNetwork', { target: 'FTP' })).toHaveLength(1);
  });
});

describe('RingNode, the flag file goes (Sec. 3.2)', () => {
  it('flag removal stops everything: DBSSs, the background job, pending results and deadlines', () => {
    const h = new RingHarness('Mail');
    h.tick();
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.advanceBy(sec(1));
    const resume = h.find('resumeVirtualServer');
    const poll = h.find('probeNetwork', { target: 'FTP' });

    const out = h.deliver({ type: 'flagFile', present: false });

    expect(out).toEqual([{ type: 'log', event: 'programStop' }]);
    expect(h.wakeAtUs).toBeNull();
    expect(h.node.managedTargets()).toEqual([]);
    expect(h.node.running).toBe(false);
    expect(h.answer(resume, OK)).toEqual([]);
    expect(h.answer(poll, OK)).toEqual([]);
    const before = h.commands.length;
    h.advanceBy(sec(120));
    expect(h.commands).toHaveLength(before);
  });

  it('a program whose flag comes back starts afresh with a new internal check and no old DBSS', () => {
    const h = new RingHarness('Mail');
    h.tick();
    h.deliver({ type: 'flagFile', present: false });

    h.deliver({ type: 'flagFile', present: true });

    expect(h.logTexts().slice(-2)).toEqual(['Management_program_stop', 'Management_program_start']);
    expect(h.node.managedTargets()).toEqual([]);
    h.tick();
    expect(h.node.managedTargets()).toEqual(['FTP']);
  });
});

describe('RingNode, a failed server that managed or hosted others (Fig. 10(d))', () => {
  it('takes over a separated server the failed manager was responsible for, and remakes its virtual server that died with it', () => {
    // FTP failed earlier; Mail, its manager, made FTPb on itself. Now Mail fails; Login manages Mail.
    const files = paperFilesWith([...separationEdits('FTP'), { file: 'problem.file', op: 'Add', line: 'FTPb FTP Mail' }]);
    const h = new RingHarness('Login', { files });
    h.silentPeers.add('Mail').add('FTP');
    h.healthyTarget('Web1');
    h.tick();
    expect(h.node.managedTargets()).toEqual(['Mail', 'Web1']);
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });

    h.reply('probeNetwork', { target: 'Mail' }, FAIL);

    expect(h.node.managedTargets()).toEqual(['Mail', 'Web1', 'FTP']);
    expect(h.logTexts()).toContain('Start_DBSS FTP');
    expect(h.find('resumeVirtualServer')).toMatchObject({ host: 'Proxy', vsName: 'Mailb', target: 'Mail' });
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
    // The old FTPb on the failed Mail is suspended first (it may still run on a host with only an St problem).
    h.reply('suspendVirtualServer', { host: 'Mail', vsName: 'FTPb' }, FAIL);
    expect(h.openOf('resumeVirtualServer', { host: 'Web2', vsName: 'FTPb', target: 'FTP' })).toHaveLength(1);
    expect([...h.files['problem.file']].sort()).toEqual(['FTPb FTP Web2', 'Mailb Mail Proxy']);
    expect(h.files['separation.file']).toEqual([ringLine('Mail'), ringLine('FTP')]);
    // The take-over neither separates FTP again nor logs a confirmation of its own.
    expect(h.edits().filter((e) => e.op !== 'Mod' && e.line === ringLine('FTP'))).toEqual([]);
    expect(h.logTexts()).not.toContain('Network_is_problem FTP 172.21.14.2');
  });

  it('a taken-over server whose virtual server still runs on a live host gets no second one, only a check of the recorded one', () => {
    const files = paperFilesWith([...separationEdits('FTP'), { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' }]);
    const h = new RingHarness('Login', { files });
    h.silentPeers.add('Mail').add('FTP');
    h.healthyTarget('Web1');
    h.tick();
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);

    h.reply('probeNetwork', { target: 'FTP' }, FAIL);

    expect(h.node.dbssFor('FTP')?.state).toBe('recovering');
    expect(h.logTexts()).toContain('__Restart_check_(IPR) FTP 172.21.14.2');
    // The take-over re-asserts the recorded FTPb on Web2 (idempotent: its manager may have died before resuming it).
    expect(h.issued('resumeVirtualServer', { target: 'FTP' })).toEqual([expect.objectContaining({ host: 'Web2', vsName: 'FTPb' })]);
    expect(h.logTexts()).toContain('Check_virtual_server_(IPV) FTP FTPb@Web2');
    expect(h.openOf('collectLoads')).toEqual([]);
    expect(h.files['problem.file']).toEqual(['FTPb FTP Web2', 'Mailb Mail Proxy']);
  });

  it('relocates a virtual server that ran on the failed host when no DBSS of its own here manages it', () => {
    // FTP failed earlier and Mail made FTPb on Web2. Now Web2 fails; Web1 manages Web2.
    const files = paperFilesWith([...separationEdits('FTP'), { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' }]);
    const h = new RingHarness('Web1', { files });
    h.silentPeers.add('FTP').add('Web2');
    h.healthyTarget('Proxy');
    h.tick();
    h.reply('probeNetwork', { target: 'Web2' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Login') });

    h.reply('probeNetwork', { target: 'Web2' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });
    h.reply('suspendVirtualServer', { host: 'Web2', vsName: 'FTPb' }, FAIL);

    expect(h.openOf('resumeVirtualServer')).toEqual([
      expect.objectContaining({ host: 'Login', vsName: 'Web2b', target: 'Web2' }),
      expect.objectContaining({ host: 'Proxy', vsName: 'FTPb', target: 'FTP' }),
    ]);
    expect(h.files['problem.file']).toEqual(['Web2b Web2 Login', 'FTPb FTP Proxy']);
    expect(h.node.managedTargets()).not.toContain('FTP');
    h.reply('resumeVirtualServer', { vsName: 'FTPb' }, OK);
    expect(h.find('setVip', { vip: '172.21.14.202' }).to).toEqual({ kind: 'virtual', vsName: 'FTPb', host: 'Proxy' });
  });

  it('a DBSS whose virtual server host fails remakes it at once when it is this node that separates the host', () => {
    // Mail manages FTP (failed, FTPb on Web1) and, with FTP separated, Web1 as well.
    const h = new RingHarness('Mail');
    failOver(h, 'FTP', 'Web1');
    h.silentPeers.add('FTP').add('Web1');
    h.healthyTarget('Web2');
    h.tick();
    h.reply('probeNetwork', { target: 'Web1' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });

    h.reply('probeNetwork', { target: 'Web1' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Login') });
    h.reply('suspendVirtualServer', { host: 'Web1', vsName: 'FTPb' }, FAIL);

    expect(h.openOf('resumeVirtualServer')).toEqual([
      expect.objectContaining({ host: 'Proxy', vsName: 'Web1b', target: 'Web1' }),
      expect.objectContaining({ host: 'Login', vsName: 'FTPb', target: 'FTP' }),
    ]);
    expect(h.issued('resumeVirtualServer', { target: 'FTP' })).toHaveLength(2);
  });
});

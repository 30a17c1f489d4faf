import { describe, expect, it } from 'vitest';
import { dataOf, FAIL, loadsFavouring, OK, P2pHarness, sec, separationEdits } from './harness.ts';

const TND = sec(2); // Table 1: network examination time when disconnected
const PROGRAM_START = sec(0.04);
const INTERVAL = sec(10);

describe('P2P chained detection of consecutive failed servers (Sec. 5.3, Fig. 15 discussion)', () => {
  it('P1 that confirms FTP failed takes on Web1 and examines it at once, so a failed Web1 is detected one Tnd later, before the next tick', () => {
    const h = new P2pHarness('Mail');
    h.healthyTarget('Login');
    h.healthyTarget('Web2');

    // FTP and Web1 are both down. Mail finds FTP at the tick and confirms it one Tnd later.
    const tickUs = h.tick();
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Web2') });
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.advanceBy(PROGRAM_START);
    h.reply('startProgram', { on: 'Mail', role: 'P1', target: 'Web1' }, OK);
    const web1Exam = h.find('probeNetwork', { target: 'Web1', timeoutUs: TND });
    h.advanceBy(sec(0.09));
    h.reply('startProgram', { on: 'Web1', role: 'P2', target: 'Mail' }, FAIL); // Web1 is down
    h.reply('resumeVirtualServer', { target: 'FTP' }, OK);
    h.reply('setVip', { vip: dataOf('FTP').vip }, OK);
    h.advanceTo(h.issuedAt(web1Exam) + TND);
    h.answer(web1Exam, FAIL);

    const ftpDetectedUs = h.timeOf('IPR_network_is_problem FTP');
    const ftpConfirmedUs = h.timeOf('Network_is_problem FTP');
    const web1DetectedUs = h.timeOf('IPR_network_is_problem Web1');
    expect(ftpDetectedUs).toBe(tickUs + TND);
    expect(ftpConfirmedUs).toBe(tickUs + 2 * TND);
    expect(h.issuedAt(web1Exam)).toBe(ftpConfirmedUs + PROGRAM_START);
    expect(web1DetectedUs).toBe(ftpConfirmedUs + PROGRAM_START + TND);
    expect(web1DetectedUs - ftpDetectedUs).toBe(2 * TND + PROGRAM_START);
    expect(web1DetectedUs).toBeLessThan(tickUs + INTERVAL);
  });

  it('the chain goes on: once Web1 is confirmed Mail takes on Web2 and examines it at once', () => {
    const h = new P2pHarness('Mail');
    h.healthyTarget('Login');
    h.healthyTarget('Web2');
    h.autoAnswer('startProgram', {}, OK);
    h.autoAnswer('resumeVirtualServer', {}, OK);
    h.autoAnswer('setVip', {}, OK);
    h.autoAnswer('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });

    const tickUs = h.tick();
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP' }, FAIL);
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'Web1', timeoutUs: TND }, FAIL);
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'Web1', timeoutUs: TND }, FAIL);

    expect(h.timeOf('IPR_network_is_problem Web1')).toBe(tickUs + 3 * TND);
    expect(h.timeOf('Network_is_problem Web1')).toBe(tickUs + 4 * TND);
    expect(h.edits().filter((e) => e.file !== 'problem.file')).toEqual([...separationEdits('FTP'), ...separationEdits('Web1')]);
    expect(h.node.p1Targets()).toEqual(['FTP', 'Web1', 'Web2']);
    const web2 = h.issued('probeNetwork', { target: 'Web2' });
    expect(web2.map((c) => h.issuedAt(c))).toEqual([tickUs + 4 * TND]);
    expect(h.issued('startProgram').map((c) => `${c.on} ${c.role} ${c.target}`)).toEqual([
      'Mail P1 Web1',
      'Web1 P2 Mail',
      'Mail P1 Web2',
      'Web2 P2 Mail',
    ]);
    expect(h.files['problem.file'].map((l) => l.split(' ')[1])).toEqual(['FTP', 'Web1']);
  });

  it('Fig. 15 on Login (Sec. 5.3): without Mail\'s S.file Login still examines Mail at its tick; FTP is found two Tnd after Mail, Web1 (taken by Web2) is skipped', () => {
    const h = new P2pHarness('Login');
    h.healthyTarget('Proxy'); // Login's P2 target
    h.healthyTarget('Web2');
    h.autoAnswer('startProgram', {}, OK);
    h.autoAnswer('collectLoads', {}, { kind: 'loads', reports: loadsFavouring('Proxy') });

    // Mail, FTP and Web1 are shut down; Mail, the first running server, sends no S.file.
    const tickUs = h.tick({ sync: false });
    h.advanceTo(tickUs + TND);
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    h.peerEdits('Web2', separationEdits('Web1')); // Web2 took Web1 over as P1 meanwhile
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'Mail' }, FAIL);
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP', timeoutUs: TND }, FAIL);
    h.advanceBy(TND);
    h.reply('probeNetwork', { target: 'FTP', timeoutUs: TND }, FAIL);

    const mailDetectedUs = h.timeOf('IPR_network_is_problem Mail');
    expect(mailDetectedUs).toBe(tickUs + TND);
    expect(h.timeOf('IPR_network_is_problem FTP')).toBe(mailDetectedUs + 2 * TND);
    expect(h.node.p1Targets()).toEqual(['Mail', 'FTP', 'Web2']);
    expect(h.issued('probeNetwork', { target: 'Web1' })).toEqual([]);
    expect(h.issued('startProgram').map((c) => `${c.on} ${c.role} ${c.target}`)).toEqual([
      'Login P1 FTP',
      'FTP P2 Login',
      'Login P1 Web2',
      'Web2 P2 Login',
    ]);
  });
});

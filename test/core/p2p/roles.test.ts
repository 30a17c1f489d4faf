import { describe, expect, it } from 'vitest';
import { P2pHarness, PAPER_RING, ringLine, sec, separationEdits } from './harness.ts';

const RING = PAPER_RING.map((e) => e.server); // Mail, FTP, Web1, Web2, Proxy, Login

/** roleLines are the log lines that start or end a role. */
function roleLines(h: P2pHarness): string[] {
  return h.logTexts().filter((t) => t.startsWith('Start_DBSS ') || t.startsWith('End_DBSS '));
}

describe('P2pNode roles (Sec. 2.3, Fig. 3): P1 of the next running server, P2 of the previous one', () => {
  it.each(RING.map((s, i) => [s, RING[(i + 1) % RING.length], RING[(i + RING.length - 1) % RING.length]]))(
    '%s manages %s with priority 1 and %s with priority 2 from its first tick',
    (self, next, previous) => {
      const h = new P2pHarness(self as string);

      h.tick();

      expect(h.node.p1Targets()).toEqual([next]);
      expect(h.node.p2Targets()).toEqual([previous]);
      expect(h.logTexts()).toEqual(['Management_program_start', `Start_DBSS ${next} P1`, `Start_DBSS ${previous} P2`]);
      expect(h.openOf('probeNetwork').map((c) => c.target)).toEqual([next, previous]);
    },
  );

  it('after Web1 is separated FTP becomes P1 of Web2 and the normally monitoring P1 of Web1 ends', () => {
    const h = new P2pHarness('FTP');
    h.healthyTarget('Web1');
    h.healthyTarget('Mail');
    h.tick();

    h.peerEdits('Web2', separationEdits('Web1')); // Web2, Web1's P2, took Web1 over and separated it
    h.healthyTarget('Web2');
    h.tick();

    expect(h.node.p1Targets()).toEqual(['Web2']);
    expect(h.node.p2Targets()).toEqual(['Mail']);
    expect(roleLines(h).slice(-2)).toEqual(['End_DBSS Web1 P1', 'Start_DBSS Web2 P1']);
    expect(h.issued('probeNetwork', { target: 'Web2' })).toHaveLength(1);
  });

  it('after Web1 is separated Web2 becomes P2 of FTP and its idle P2 of Web1 ends', () => {
    const h = new P2pHarness('Web2');
    h.healthyTarget('Web1');
    h.healthyTarget('Proxy');
    h.tick();

    h.peerEdits('FTP', separationEdits('Web1'));
    h.healthyTarget('FTP');
    h.tick();

    expect(h.node.p1Targets()).toEqual(['Proxy']);
    expect(h.node.p2Targets()).toEqual(['FTP']);
    expect(roleLines(h).slice(-2)).toEqual(['End_DBSS Web1 P2', 'Start_DBSS FTP P2']);
  });

  it('with only two servers running each is the other one\'s P1 and nobody is P2', () => {
    const h = new P2pHarness('Mail');
    for (const s of ['Web1', 'Web2', 'Proxy', 'Login']) h.peerEdits('FTP', separationEdits(s));

    h.tick();

    expect(h.node.p1Targets()).toEqual(['FTP']);
    expect(h.node.p2Targets()).toEqual([]);
    expect(h.files['group.file']).toEqual([ringLine('Mail'), ringLine('FTP')]);
  });
});

describe('P2pNode monitoring synchronised by the S.file (Sec. 2.3)', () => {
  it('the first running server broadcasts the S.file at every tick and examines its targets at once', () => {
    const h = new P2pHarness('Mail');

    const tickUs = h.tick();

    expect(h.issued('broadcastSync')).toHaveLength(1);
    expect(h.openOf('probeNetwork').map((c) => [c.target, h.issuedAt(c)])).toEqual([
      ['FTP', tickUs],
      ['Login', tickUs],
    ]);
    h.healthyTarget('FTP');
    h.healthyTarget('Login');
    h.tick();
    expect(h.issued('broadcastSync')).toHaveLength(2);
  });

  it('without the S.file a server still examines its targets at its tick (Sec. 2.3, 5.3: the S.file sets the schedule, a missing one moves no tick)', () => {
    const h = new P2pHarness('Web1');

    const tickUs = h.tick({ sync: false });

    expect(h.openOf('probeNetwork').map((c) => [c.target, h.issuedAt(c)])).toEqual([
      ['Web2', tickUs],
      ['FTP', tickUs],
    ]);
    expect(h.issued('broadcastSync')).toEqual([]);
  });

  it('an S.file that arrives after the tick does not examine the targets a second time', () => {
    const h = new P2pHarness('Web1');
    h.healthyTarget('Web2');
    h.healthyTarget('FTP');
    const tickUs = h.tick({ sync: false });
    h.advanceTo(tickUs + sec(1));

    h.deliver({ type: 'syncFile', from: 'Mail' });

    expect(h.issued('probeNetwork')).toHaveLength(2);
  });

  it('once Mail is separated FTP is the first running server and broadcasts the S.file itself', () => {
    const h = new P2pHarness('FTP');
    h.healthyTarget('Web1');
    h.healthyTarget('Mail');
    h.tick();
    expect(h.issued('broadcastSync')).toEqual([]);

    h.peerEdits('Login', separationEdits('Mail'));
    h.healthyTarget('Login');
    const tickUs = h.tick();

    expect(h.issued('broadcastSync')).toHaveLength(1);
    expect(h.issuedAt(h.issued('broadcastSync')[0]!)).toBe(tickUs);
    expect(h.node.p2Targets()).toEqual(['Login']);
    expect(h.issued('probeService', { target: 'Login' })).toHaveLength(1);
  });
});

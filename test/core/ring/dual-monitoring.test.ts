import { describe, expect, it } from 'vitest';
import { groupEntries, heartbeatLine, initialFiles } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { isHeartbeatStale, monitoredTargets } from '../../../src/core/ring/dual-monitoring.ts';
import { applyEdit } from '../../../src/core/model/sem.ts';
import { US_PER_S } from '../../../src/core/model/time.ts';
import { PAPER_RING, ringLine, sec } from './harness.ts';

// A tick at T; every healthy server stamped its heartbeat at its internal check half an interval
// before (Fig. 4: heartbeat times end in 5 on a 10 s interval).
const TICK_S = 1_622_708_870;
const TICK_US = TICK_S * US_PER_S;
const STALE_US = sec(10);

/** filesAt is the paper's ring with every heartbeat fresh (T - 5 s) except those of the stale servers (T - 15 s). */
function filesAt(...stale: string[]): ManagementFiles {
  const files = initialFiles(PAPER_RING, TICK_S - 5);
  for (const server of stale) {
    applyEdit(files, { file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine(server, TICK_S - 5), newLine: heartbeatLine(server, TICK_S - 15) });
  }
  return files;
}

function running(files: ManagementFiles): string[] {
  return groupEntries(files).map((e) => e.server);
}

function targetsOf(self: string, files: ManagementFiles): string[] {
  return monitoredTargets(files, running(files), self, TICK_US, STALE_US);
}

describe('monitoredTargets (Sec. 4.1 dual monitoring, Sec. 4.2 dynamic management extension)', () => {
  it('a server whose successors all have fresh heartbeats monitors only the next running server', () => {
    const files = filesAt();

    expect(targetsOf('Mail', files)).toEqual(['FTP']);
    expect(targetsOf('Login', files)).toEqual(['Mail']);
  });

  it('a stale successor extends the management to the first fresh server after it (Fig. 9(c))', () => {
    const files = filesAt('FTP');

    expect(targetsOf('Mail', files)).toEqual(['FTP', 'Web1']);
    // Nobody else extends: only FTP's manager reads FTP's heartbeat as its target's.
    expect(targetsOf('Web1', files)).toEqual(['Web2']);
    expect(targetsOf('Login', files)).toEqual(['Mail']);
  });

  it('a chain of stale successors is managed whole, up to and including the first fresh one (Fig. 10(c))', () => {
    const files = filesAt('FTP', 'Web1', 'Web2');

    expect(targetsOf('Mail', files)).toEqual(['FTP', 'Web1', 'Web2', 'Proxy']);
  });

  it('a chain of stale successors wraps round the ring', () => {
    const files = filesAt('Mail', 'FTP');

    expect(targetsOf('Login', files)).toEqual(['Mail', 'FTP', 'Web1']);
  });

  it('a chain of stale successors stops at self when every other server is stale', () => {
    const files = filesAt('FTP', 'Web1', 'Web2', 'Proxy', 'Login');

    const targets = targetsOf('Mail', files);

    expect(targets).toEqual(['FTP', 'Web1', 'Web2', 'Proxy', 'Login']);
    expect(targets).not.toContain('Mail');
  });

  it('a separated server is not in the running list: its manager targets the next running server', () => {
    const files = filesAt('FTP');
    applyEdit(files, { file: 'group.file', op: 'Del', line: ringLine('FTP') });
    applyEdit(files, { file: 'separation.file', op: 'Add', line: ringLine('FTP') });

    expect(targetsOf('Mail', files)).toEqual(['Web1']);
  });

  it('a server with no heartbeat line counts as stale', () => {
    const files = filesAt();
    applyEdit(files, { file: 'heartbeat.file', op: 'Del', line: heartbeatLine('FTP', TICK_S - 5) });

    expect(targetsOf('Mail', files)).toEqual(['FTP', 'Web1']);
  });

  it('a server that is not running, or runs alone, monitors nobody', () => {
    const files = filesAt();
    applyEdit(files, { file: 'group.file', op: 'Del', line: ringLine('Mail') });

    expect(targetsOf('Mail', files)).toEqual([]);
    expect(monitoredTargets(files, ['Mail'], 'Mail', TICK_US, STALE_US)).toEqual([]);
  });

  it('in a ring of two, a stale partner is the only target and self is never added', () => {
    const files = filesAt('FTP');

    expect(monitoredTargets(files, ['Mail', 'FTP'], 'Mail', TICK_US, STALE_US)).toEqual(['FTP']);
  });
});

describe('isHeartbeatStale', () => {
  const files = initialFiles(PAPER_RING, TICK_S - 10);

  it('a heartbeat exactly staleUs old is still fresh', () => {
    expect(isHeartbeatStale(files, 'FTP', TICK_US, STALE_US)).toBe(false);
  });

  it('a heartbeat one microsecond older than staleUs is stale', () => {
    expect(isHeartbeatStale(files, 'FTP', TICK_US + 1, STALE_US)).toBe(true);
  });

  it('a heartbeat stamped after now (a clock slightly ahead) is fresh', () => {
    expect(isHeartbeatStale(files, 'FTP', TICK_US - sec(20), STALE_US)).toBe(false);
  });

  it('a server without a heartbeat line is stale', () => {
    expect(isHeartbeatStale(files, 'Nobody', TICK_US, STALE_US)).toBe(true);
  });
});

describe('monitoredTargets with hints kept from tick to tick (a long ring, whose heartbeat file is read through its index)', () => {
  it('finds what it finds without hints while servers go stale, come back and leave the ring', () => {
    const ring = Array.from({ length: 40 }, (_, i) => ({ no: i + 1, server: `S${i + 1}`, dataFile: `S${i + 1}.dat` }));
    const files = initialFiles(ring, TICK_S - 5);
    const hints = { runningSeen: null, selfAt: -1, targetLineAt: -1, ownLineAt: -1 };
    const stamp = (server: string, fromS: number, toS: number) =>
      applyEdit(files, { file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine(server, fromS), newLine: heartbeatLine(server, toS) });
    const check = () => expect(monitoredTargets(files, running(files), 'S10', TICK_US, STALE_US, hints)).toEqual(targetsOf('S10', files));

    check();
    stamp('S11', TICK_S - 5, TICK_S - 15);
    check();
    stamp('S12', TICK_S - 5, TICK_S - 15);
    check();
    // a server before S10 leaves: S10's place in the running list moves
    applyEdit(files, { file: 'heartbeat.file', op: 'Del', line: heartbeatLine('S3', TICK_S - 5) });
    applyEdit(files, { file: 'group.file', op: 'Del', line: '3 S3 S3.dat' });
    check();
    stamp('S12', TICK_S - 15, TICK_S - 5);
    check();
    expect(targetsOf('S10', files)).toEqual(['S11', 'S12']);
  });
});

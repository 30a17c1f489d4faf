// The P2P method in the simulated paper cluster (Sec. 5.3), beside the ring with the same seeds.
import { describe, expect, it } from 'vitest';
import { secondsToUs } from '../../../src/core/model/time.ts';
import { runSeed } from '../../../src/sim/run/experiment.ts';
import type { FaultType } from '../../../src/sim/world/faults.ts';
import { runOnce } from '../../../src/sim/run/run.ts';
import { paperSpec } from '../../../src/paper/experiments.ts';
import type { RunOutput } from '../../../src/sim/run/run.ts';
import type { Method } from '../../../src/core/method.ts';
import { logTarget, renderLogEvent } from '../../../src/core/program/log-events.ts';
import type { SystemLogLine } from '../../../src/core/program/log-events.ts';

/** text is a log line as a person reads it. */
const text = (l: SystemLogLine): string => renderLogEvent(l.entry);

const TND = secondsToUs(2);
const RUNS = 10;

/** run simulates the paper cluster with these faults (server, type, seconds after the first tick). */
function run(method: Method, faults: [string, FaultType, number][], seed = runSeed(1, 1)): RunOutput {
  return runOnce(paperSpec(method, faults.map(([server, type, atS]) => ({ server, type, atUs: secondsToUs(atS) }))), seed);
}

/** lineAt is when server first logged a line starting with prefix, in µs after the first tick. */
function lineAt(out: RunOutput, server: string, prefix: string): number {
  const line = out.log.find((l) => l.server === server && (text(l) === prefix || text(l).startsWith(`${prefix} `)));
  if (line === undefined) throw new Error(`${server} never logged ${prefix}`);
  return line.atUs - out.firstTickUs;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** functionRecoveryS is the mean function recovery time of the single fault over RUNS seeds. */
function functionRecoveryS(method: Method, type: FaultType): number {
  const times = Array.from({ length: RUNS }, (_, i) => {
    const out = run(method, [['FTP', type, 5]], runSeed(1, i + 1));
    const t = out.targets[0];
    expect(t?.functionRecoveryUs, `${method} ${type} run ${i + 1}`).not.toBeNull();
    expect(t?.targetRecoveryUs, `${method} ${type} run ${i + 1}`).not.toBeNull();
    return (t?.functionRecoveryUs as number) / 1e6;
  });
  return mean(times);
}

describe('P2P in the simulated paper cluster (Sec. 5.3)', () => {
  it.each([
    ['St', 5.24],
    ['Nt', 4.13],
  ] as const)('one %s on FTP: P2P recovers the function a little later than the ring with the same seeds, near Table 2', (type, paperP2pS) => {
    const ringS = functionRecoveryS('ring', type);
    const p2pS = functionRecoveryS('p2p', type);

    // P1 starts two programs before the virtual server: 0.04 s here, 0.04 + 0.05 s on the next server.
    expect(p2pS - ringS).toBeGreaterThan(0.05);
    expect(p2pS - ringS).toBeLessThan(0.3);
    expect(Math.abs(p2pS - paperP2pS) / paperP2pS).toBeLessThan(0.1);
  });

  it.each([
    ['St', 'St', 5.46],
    ['St', 'Nt', 4.2],
    ['Nt', 'St', 5.31],
    ['Nt', 'Nt', 4.54],
  ] as const)('Table 2 lower %s on FTP, %s on Web1: Web2\'s take-over is no faster than a P1\'s recovery of one fault (Sec. 2.3: it performs the operation with P1)', (ftp, web1, paperS) => {
    const takeOverS = mean(
      Array.from({ length: RUNS }, (_, i) => {
        const out = run('p2p', [['FTP', ftp, 5], ['Web1', web1, 5]], runSeed(1, i + 1));
        expect(out.log.filter((l) => l.entry.event === 'takeOverAsP1' && l.entry.target === 'Web1').map((l) => l.server), `run ${i + 1}`).toEqual(['Web2']);
        return (out.targets.find((t) => t.server === 'Web1')?.functionRecoveryUs as number) / 1e6;
      }),
    );

    // Paper: the take-over is 0.07-0.41 s slower than P2P's one-fault recovery of the same fault (Table 2).
    expect(takeOverS).toBeGreaterThan(functionRecoveryS('p2p', web1));
    expect(Math.abs(takeOverS - paperS) / paperS).toBeLessThan(0.1);
  });

  it('FTP and Web1 Nt at once (Table 2 lower): Mail recovers FTP and Web2 takes Web1 over as P1', () => {
    const out = run('p2p', [
      ['FTP', 'Nt', 5],
      ['Web1', 'Nt', 5],
    ]);

    const takeOver = out.log.filter((l) => l.entry.event === 'takeOverAsP1' && l.entry.target === 'Web1');
    expect(takeOver.map((l) => l.server)).toEqual(['Web2']);
    const functionRecoveries = out.log.filter((l) => l.entry.event === 'virtualIpSet').map((l) => `${l.server} ${logTarget(l.entry)}`);
    expect(functionRecoveries.sort()).toEqual(['Mail FTP', 'Web2 Web1']);
    for (const t of out.targets) expect(t.functionRecoveryUs, t.server).not.toBeNull();
    const end = new Map(out.outcomes.map((o) => [o.server, o]));
    for (const s of ['FTP', 'Web1']) expect(end.get(s)).toMatchObject({ served: true, recovered: true, running: true });
  });

  it('Mail, FTP and Web1 Nt at once (Fig. 15): all three are served at the end, FTP found by the chain after Mail, Web1 taken over by Web2', () => {
    const out = run('p2p', [
      ['Mail', 'Nt', 5],
      ['FTP', 'Nt', 5],
      ['Web1', 'Nt', 5],
    ]);

    const mailDetectedUs = lineAt(out, 'Login', 'IPR_network_is_problem Mail');
    const mailConfirmedUs = lineAt(out, 'Login', 'Network_is_problem Mail');
    const ftpDetectedUs = lineAt(out, 'Login', 'IPR_network_is_problem FTP');
    // Login takes on FTP when it confirms Mail (one Tnd after finding it) and finds FTP one Tnd after that.
    expect(ftpDetectedUs - mailConfirmedUs).toBeGreaterThanOrEqual(TND);
    expect(ftpDetectedUs - mailConfirmedUs).toBeLessThan(TND + secondsToUs(0.3));
    expect(ftpDetectedUs - mailDetectedUs).toBeGreaterThanOrEqual(2 * TND);
    expect(ftpDetectedUs - mailDetectedUs).toBeLessThan(2 * TND + secondsToUs(0.5));
    expect(out.log.filter((l) => l.entry.event === 'takeOverAsP1' && l.entry.target === 'Web1').map((l) => l.server)).toEqual(['Web2']);
    for (const t of out.targets) expect(t.functionRecoveryUs, t.server).not.toBeNull();
    const end = new Map(out.outcomes.map((o) => [o.server, o]));
    for (const s of ['Mail', 'FTP', 'Web1']) expect(end.get(s)).toMatchObject({ served: true, recovered: true, running: true });
  });

  it('Fig. 15: the ring\'s Login detects all three at the same tick; P2P finds Mail and Web1 at that tick too (a missing S.file moves no tick) and FTP two Tnd later (Sec. 5.3)', () => {
    const faults: [string, FaultType, number][] = [
      ['Mail', 'Nt', 5],
      ['FTP', 'Nt', 5],
      ['Web1', 'Nt', 5],
    ];
    const ring = run('ring', faults);
    const p2p = run('p2p', faults);

    const ringDetectedUs = ring.targets.map((t) => (t.detectedAtUs as number) - ring.firstTickUs);
    expect(Math.max(...ringDetectedUs) - Math.min(...ringDetectedUs)).toBeLessThan(secondsToUs(0.1));
    expect(ringDetectedUs[0]).toBeLessThan(secondsToUs(10) + TND + secondsToUs(0.5));
    const p2pDetectedUs = p2p.targets.map((t) => (t.detectedAtUs as number) - p2p.firstTickUs);
    // Mail sends the S.file; with Mail down the others keep the synchronised schedule (Sec. 2.3).
    expect(Math.abs(p2pDetectedUs[0]! - ringDetectedUs[0]!)).toBeLessThan(secondsToUs(0.1));
    expect(p2pDetectedUs[1]! - p2pDetectedUs[0]!).toBeGreaterThanOrEqual(2 * TND);
    expect(p2pDetectedUs[1]! - p2pDetectedUs[0]!).toBeLessThan(2 * TND + secondsToUs(0.5));
    expect(Math.abs(p2pDetectedUs[2]! - p2pDetectedUs[0]!)).toBeLessThan(secondsToUs(0.1));
  });

  // BUG, see test/core/p2p/p2-monitor.test.ts ("the P2 that takes over after Mail recorded FTPb but
  // died before resuming it"): Mail records FTPb at 14.50 s and would have it ready at 16.36 s;
  // shut down at 15 s, it leaves a problem line for a virtual server that never ran, and Web1, which
  // takes over, trusts it. FTP's clients stay cut off until FTP itself is back (about 100 s).
  it('P2P keeps FTP\'s function served when Mail, FTP\'s P1, is shut down while it resumes FTPb', () => {
    const out = run('p2p', [
      ['FTP', 'Nt', 5],
      ['Mail', 'Nt', 15],
    ]);

    expect(out.log.some((l) => l.server === 'Web1' && l.entry.event === 'takeOverAsP1' && l.entry.target === 'FTP')).toBe(true);
    expect(out.targets[0]?.clientDisconnectionUs).toBeLessThan(secondsToUs(40));
  });

  // BUG, see test/core/p2p/p2-monitor.test.ts ("a waiting P2 whose target came back while the U.file
  // went elsewhere"): Login sends Mail's U.file to FTP (back in the group by then), Web1 keeps
  // waiting for it, and when Login fails at 150 s Web1 takes over a healthy Mail.
  it('P2P never takes over a server that has been recovered and is healthy', () => {
    const out = run('p2p', [
      ['FTP', 'Nt', 5],
      ['Mail', 'Nt', 15],
      ['Login', 'Nt', 150],
    ]);

    const mailBackUs = lineAt(out, 'Login', 'Virtual_IP:_VIP_(IPV->IPR) Mail');
    const late = out.log.filter((l) => l.atUs - out.firstTickUs > mailBackUs && l.entry.event === 'takeOverAsP1' && l.entry.target === 'Mail');
    expect(late.map((l) => `${l.server} ${text(l)}`)).toEqual([]);
  });
});

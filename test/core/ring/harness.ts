// RingHarness drives one RingNode of the paper's ring (Mail, FTP, Web1, Web2, Proxy, Login) by
// hand: it keeps the time, hands the node its files and flag, collects what the node asks for and
// lets a test answer each command. Only the routine commands a healthy world always answers the
// same way (load measurement, internal check, file commits) are answered without the test, and
// the commands a test asks to have answered with autoAnswer.
import type { CommandResult, LoadReport } from '../../../src/core/program/commands.ts';
import type { HostSpec } from '../../../src/core/model/load.ts';
import type { ManagementData } from '../../../src/core/model/management-data.ts';
import { heartbeatLine, initialFiles } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { defaultParams } from '../../../src/paper/params.ts';
import type { Params } from '../../../src/core/model/params.ts';
import type { Hardening } from '../../../src/core/program/hardening.ts';
import { RingNode } from '../../../src/core/ring/node.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { nextMultipleUs, secondsToUs, US_PER_S } from '../../../src/core/model/time.ts';
import { paperCluster } from '../../../src/paper/cluster.ts';
import { FAIL, LOAD_SAMPLE, NodeHarness, OK } from '../node-harness.ts';
import type { Issued } from '../node-harness.ts';
import { PAPER_RING } from '../paper-ring.ts';

export { FAIL, OK, PAPER_RING };
export type { Cmd } from '../node-harness.ts';
export const sec = secondsToUs;

/** START_US is when the harness starts the program: a multiple of the 10 s interval, so the first tick is 10 s later. */
export const START_US = 1_622_708_860 * US_PER_S;

export const PAPER_DATA: readonly ManagementData[] = paperCluster().map((c) => c.data);

/** dataOf is the paper's management data of server (Fig. 4). */
export function dataOf(server: string): ManagementData {
  const d = PAPER_DATA.find((x) => x.hostName === server);
  if (d === undefined) throw new Error(`no paper server ${server}`);
  return d;
}

/** ringLine is the group (or separation) line of a paper server, `2 FTP FTP.dat`. */
export function ringLine(server: string): string {
  const e = PAPER_RING.find((x) => x.server === server);
  if (e === undefined) throw new Error(`no paper server ${server}`);
  return `${e.no} ${e.server} ${e.dataFile}`;
}

/** separationEdits is the A4 edit a manager sends when it judges server failed: group file to separation file. */
export function separationEdits(server: string): SemEdit[] {
  return [
    { file: 'group.file', op: 'Del', line: ringLine(server) },
    { file: 'separation.file', op: 'Add', line: ringLine(server) },
  ];
}

/** HOST_SPEC is Table 1's host: 8,192 MB, 4 cores, 1000BASE-T. */
export const HOST_SPEC: HostSpec = { memKb: 8_388_608, cores: 4, ratedBytesPerS: 125_000_000 };

/** loadReport is one server's answer to collectLoads; only free memory varies, so more memory wins. */
export function loadReport(server: string, freeMemKb: number, vmCapacity = 3): LoadReport {
  return { server, predicted: { memKb: freeMemKb, cpuIdlePct: 200, netBytesPerS: 10_000_000 }, spec: HOST_SPEC, vmCapacity };
}

/** loadsFavouring is every paper server's report, host with 6 GB free and the others with 2 GB. */
export function loadsFavouring(host: string): LoadReport[] {
  return PAPER_RING.map((e) => loadReport(e.server, e.server === host ? 6_291_456 : 2_097_152));
}

export interface HarnessOptions {
  params?: Partial<Params>;
  /** files replaces the initial files (default: the paper's ring, heartbeats stamped 5 s before the start). */
  files?: ManagementFiles;
  /** flag false leaves the program ready but not started. */
  flag?: boolean;
  /** hardening lists the hardened ring's extensions the node runs (default: none, the paper's method). */
  hardening?: readonly Hardening[];
}

export class RingHarness extends NodeHarness<RingNode> {
  /** internalOk is what the world answers the node's internal checks (Fig. 9(b)); null leaves them to the test. */
  internalOk: boolean | null = true;
  /** silentPeers are servers whose heartbeats are not refreshed: they have failed or their internal check fails. */
  readonly silentPeers = new Set<string>();
  private nextPeerStampUs: number;

  constructor(self: string, options: HarnessOptions = {}) {
    const params = { ...defaultParams(), ...options.params };
    super(self, new RingNode(self, params, HOST_SPEC, 3, [], options.hardening ?? []), params, START_US);
    const offsetUs = this.params.internalMonitorOffsetUs;
    this.nextPeerStampUs = nextMultipleUs(START_US - offsetUs, this.params.monitorIntervalUs) + offsetUs;
    const files = options.files ?? initialFiles(PAPER_RING, START_US / US_PER_S - 5);
    this.deliver({ type: 'filesReceived', files, data: PAPER_DATA });
    if (options.flag ?? true) this.deliver({ type: 'flagFile', present: true });
  }

  /**
   * advanceTo moves the clock to atUs, waking the node at every deadline on the way. Half an
   * interval before each tick (where the node runs its own internal check) every peer not in
   * silentPeers stamps its heartbeat, as a healthy server's internal check does (Fig. 4, Fig. 9).
   */
  override advanceTo(atUs: number): void {
    if (atUs < this.nowUs) throw new Error(`harness: cannot go back from ${this.nowUs} to ${atUs}`);
    for (;;) {
      const wakeUs = this.wakeAtUs ?? Number.POSITIVE_INFINITY;
      const nextUs = Math.min(wakeUs, this.nextPeerStampUs);
      if (nextUs > atUs) break;
      this.nowUs = Math.max(this.nowUs, nextUs);
      if (wakeUs === nextUs) {
        this.deliver({ type: 'wake' });
      } else {
        this.stampPeers(this.nextPeerStampUs);
        this.nextPeerStampUs += this.params.monitorIntervalUs;
      }
    }
    this.nowUs = atUs;
  }

  /** tick moves to the next monitoring tick (a multiple of the interval in UNIX time, Sec. 3.2) and returns it. */
  tick(): number {
    const tickUs = nextMultipleUs(this.nowUs, this.params.monitorIntervalUs);
    this.advanceTo(tickUs);
    return tickUs;
  }

  private stampPeers(stampUs: number): void {
    for (const e of PAPER_RING) {
      if (e.server === this.self || this.silentPeers.has(e.server)) continue;
      const old = this.files['heartbeat.file'].find((l) => l.startsWith(`${e.server} `));
      const line = heartbeatLine(e.server, Math.floor(stampUs / US_PER_S));
      if (old === undefined || old === line) continue;
      this.deliver({ type: 'semEdits', from: e.server, edits: [{ file: 'heartbeat.file', op: 'Mod', oldLine: old, newLine: line }] });
    }
  }

  /** edits lists the SEM edits the node committed, in order; heartbeat stamps are left out unless asked for. */
  edits(withHeartbeats = false): SemEdit[] {
    return this.committed().filter((e) => withHeartbeats || e.file !== 'heartbeat.file');
  }

  protected routineResult(cmd: Issued): CommandResult | null {
    if (cmd.type === 'measureLoad') return LOAD_SAMPLE;
    if (cmd.type === 'probeInternal') return this.internalOk === null ? null : this.internalOk ? OK : FAIL;
    if (cmd.type === 'commitEdits') return OK;
    return null;
  }
}

/**
 * failOver runs Fig. 14's Nt path on the manager h up to the function recovery: at the next tick
 * target's network does not answer twice, the loads favour host, and the virtual server comes up
 * there with the VIP. It returns the tick at which the failure was found.
 */
export function failOver(h: RingHarness, target: string, host: string): number {
  const tickUs = h.tick();
  h.advanceBy(h.params.networkExamTimeoutUs);
  h.reply('probeNetwork', { target }, FAIL);
  h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring(host) });
  h.advanceBy(h.params.networkExamTimeoutUs);
  h.reply('probeNetwork', { target }, FAIL);
  h.reply('resumeVirtualServer', { host, target }, OK);
  h.reply('setVip', { vip: dataOf(target).vip }, OK);
  return tickUs;
}

// HeartbeatTrust is the hardened ring's rule for dual monitoring (program/hardening.ts,
// heartbeatTrust): a manager extends its management over a server whose heartbeat is stale
// (Sec. 4.1, 4.2) only when that staleness cannot be its own. Two findings of the explorer
// (reports/FINDINGS.md) came from heartbeats read wrongly: a manager whose SEM records were lost
// saw every heartbeat stale and extended over healthy servers (single-virtual-server), and a
// manager whose clock was 5 s ahead read a fresh heartbeat as stale at every tick (managed-once).
// So: a heartbeat is stale only beyond the interval plus both clocks' tolerance plus the lag the
// SEM feed is seen to have, and not at all while the feed is silent (nothing heard for an
// interval: another server's silence cannot be told from one's own deafness). A server whose own
// clock is unsynchronised does not manage at all (ring/node.ts).
import { US_PER_S } from '../model/time.ts';
import { heartbeatUnixS } from '../model/management-files.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import type { Params } from '../model/params.ts';
import type { SemEdit } from '../model/sem.ts';
import { UNSYNCHRONISED_STAMP_S } from './fencing.ts';

export class HeartbeatTrust {
  /** lastHeardUs is when the last SEM record or resync answer arrived from any server. */
  private lastHeardUs = -Infinity;
  /** answeredAskedUs is when the latest question a peer answered was asked (heardSinceTick). */
  answeredAskedUs = -Infinity;
  /** failedUs holds, per target, when an examination of it here last failed (restartedUnseen). */
  private readonly failedUs = new Map<string, number>();
  /** lagUs holds, per sender, how late its last heartbeat stamp arrived after it was taken. */
  private readonly lagUs = new Map<string, number>();
  /** heardFromUs holds, per server, when its last SEM record (direct or relayed) or resync answer arrived. */
  private readonly heardFromUs = new Map<string, number>();
  /** restartedUs is when the program last (re)started with fresh files: every server counts as heard then. */
  private restartedUs = -Infinity;
  /** stampedUs is when this server last committed a heartbeat stamp (stampUnheard). */
  private stampedUs = -Infinity;

  constructor(private readonly params: Params) {}

  /** heard notes SEM records from a sender: the feed is alive, and a heartbeat stamp shows its lag. */
  heard(nowUs: number, from: string, edits: readonly SemEdit[]): void {
    this.lastHeardUs = nowUs;
    this.heardFromUs.set(from, nowUs);
    for (const e of edits) {
      if (e.file !== 'heartbeat.file' || e.op === 'Del') continue;
      const line = e.op === 'Mod' ? e.newLine : e.line;
      const stampS = Number(line.slice(line.indexOf(' ') + 1));
      // An unsynchronised sender's stamp carries no time (fencing.ts); it tells nothing of the lag.
      if (stampS === UNSYNCHRONISED_STAMP_S) continue;
      // A stamp is whole seconds (floor): up to a second older than the check it records.
      this.lagUs.set(from, Math.max(0, nowUs - stampS * US_PER_S - US_PER_S));
    }
  }

  /**
   * answered notes a peer's answer to a resync question: the network carries this server's records
   * both ways. The senders whose records it relayed (ones this replica lacked) count as heard too
   * (mayBeManaging): a server that missed their records directly, cut off meanwhile, hears them so.
   * askedUs is when the question went out: an answer shows the files as they were when it was
   * answered, so it tells that this tick's records cross only if the question is this tick's
   * (heardSinceTick; the explorer's two virtual servers: FTP, its SEM records delayed 14.9 s both
   * ways, took an answer to its question of 30 s before for this tick's, and made Web1b while
   * Mail's Web1b line was still on its way).
   */
  answered(nowUs: number, from: string, relayed: readonly string[] = [], askedUs = nowUs): void {
    this.lastHeardUs = nowUs;
    this.answeredAskedUs = Math.max(this.answeredAskedUs, askedUs);
    this.heardFromUs.set(from, nowUs);
    for (const sender of relayed) this.heardFromUs.set(sender, nowUs);
  }

  /**
   * mayBeManaging tells whether a live server whose heartbeat looks stale may still be managing
   * its targets, its records only late (a SEM delay): it was heard within two intervals, a poll
   * interval and the fence margin. A server whose records are late by less than an interval and a
   * poll interval hears the others (late too) and goes on managing, and its next record, sent
   * within an interval of its last, lands within that wait; one late by more hears nothing for
   * that long and stops managing (RingNode.fitToManage), as does one cut off the management network.
   * A record relayed in a resync answer counts when it arrives: a manager cut off the management
   * network misses the server's records directly, and its own silence says nothing of the server's
   * (the explorer's two virtual servers: a manager partitioned for a minute recovered the target of
   * a server whose records, late by 10.9 s, it had got only relayed).
   */
  mayBeManaging(nowUs: number, server: string): boolean {
    const p = this.params;
    return this.quietUs(nowUs, server) < 2 * p.monitorIntervalUs + p.recoveryPollIntervalUs + p.fenceMarginUs;
  }

  /** failedExamination notes that an examination of target here just failed (restartedUnseen). */
  failedExamination(nowUs: number, target: string): void {
    this.failedUs.set(target, nowUs);
  }

  /**
   * restartedUnseen (readmission, timed by heartbeatTrust) tells whether a target that answers now,
   * and last stamped a time, failed an examination here after it was last heard and was not heard
   * for longer than a live server's records can be late (mayBeManaging): it runs no program, having
   * restarted into standby (Fig. 7(a)) unconfirmed (the explorer's function-served finding: Nt and
   * repair while unheard confirmations held its manager back), and no hand-back would come. A live
   * server cut off the management network is quiet too, but answers every examination.
   */
  restartedUnseen(nowUs: number, target: string, files: ManagementFiles): boolean {
    const failedAfterHeard = nowUs - (this.failedUs.get(target) ?? -Infinity) < this.quietUs(nowUs, target);
    return failedAfterHeard && stampsATime(files, target) && !this.mayBeManaging(nowUs, target);
  }

  /** quietUs is how long nothing has arrived from server (since the program's fresh files at most). */
  quietUs(nowUs: number, server: string): number {
    return nowUs - Math.max(this.heardFromUs.get(server) ?? -Infinity, this.restartedUs);
  }

  /** stamped notes that this server committed a heartbeat stamp now (stampUnheard). */
  stamped(nowUs: number): void {
    this.stampedUs = nowUs;
  }

  /**
   * stampUnheard (fencing) tells whether nothing arrived since this server's last stamp went out: a
   * management link cut may have lost it, and its manager, reading the stamp before as its last
   * healthy check, would claim its VIP one check after that one (fencing.ts, claimSafeAtUs). Arrivals
   * both ways are taken as the link carrying the stamp (a fault holds records to and from a server alike).
   */
  get stampUnheard(): boolean {
    return this.lastHeardUs < this.stampedUs;
  }

  /** restart forgets what was heard before the program (re)started with fresh files. */
  restart(nowUs: number): void {
    this.lastHeardUs = nowUs;
    this.restartedUs = nowUs;
    this.stampedUs = -Infinity;
    this.lagUs.clear();
    this.heardFromUs.clear();
    this.failedUs.clear();
  }

  /**
   * staleUs is the age beyond which a heartbeat counts as stale now, or Infinity when no
   * heartbeat can be trusted (the feed has been silent for an interval).
   */
  staleUs(nowUs: number): number {
    const p = this.params;
    return p.heartbeatStaleUs + 2 * p.maxClockOffsetUs + this.feedLagUs(nowUs);
  }

  /**
   * feedLagUs is how late the SEM feed delivers heartbeat stamps, or Infinity when it has been
   * silent for an interval and a poll interval: every live server stamps once an interval, and
   * the neighbours answer the tick's resync question (management-program.ts), so a live feed is
   * never quiet that long; the poll interval absorbs the jitter of the stamps.
   */
  feedLagUs(nowUs: number): number {
    if (nowUs - this.lastHeardUs > this.params.monitorIntervalUs + this.params.recoveryPollIntervalUs) return Infinity;
    let lagUs = 0;
    for (const l of this.lagUs.values()) lagUs = Math.max(lagUs, l);
    return lagUs;
  }
}

/** stampsATime tells whether a server's heartbeat line says it manages (an unsynchronised one stamps UNSYNCHRONISED_STAMP_S). */
export function stampsATime(files: ManagementFiles, server: string): boolean {
  const stampS = heartbeatUnixS(files, server);
  return stampS !== null && stampS !== UNSYNCHRONISED_STAMP_S;
}

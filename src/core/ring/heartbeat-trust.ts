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
import type { Params } from '../model/params.ts';
import type { SemEdit } from '../model/sem.ts';
import { UNSYNCHRONISED_STAMP_S } from './fencing.ts';

export class HeartbeatTrust {
  /** lastHeardUs is when the last SEM record or resync answer arrived from any server. */
  private lastHeardUs = -Infinity;
  /** lastAnswerUs is when a peer last answered a resync question. */
  lastAnswerUs = -Infinity;
  /** lagUs holds, per sender, how late its last heartbeat stamp arrived after it was taken. */
  private readonly lagUs = new Map<string, number>();

  constructor(private readonly params: Params) {}

  /** heard notes SEM records from a sender: the feed is alive, and a heartbeat stamp shows its lag. */
  heard(nowUs: number, from: string, edits: readonly SemEdit[]): void {
    this.lastHeardUs = nowUs;
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

  /** answered notes a peer's answer to a resync question: the network carries this server's records both ways. */
  answered(nowUs: number): void {
    this.lastHeardUs = nowUs;
    this.lastAnswerUs = nowUs;
  }

  /** restart forgets what was heard before the program (re)started with fresh files. */
  restart(nowUs: number): void {
    this.lastHeardUs = nowUs;
    this.lagUs.clear();
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

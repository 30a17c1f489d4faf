// The ring half of readmission (program/hardening.ts, readmission). The DBSS half watches a target
// its job gave up on (down.file) and hands it back when it answers (dbss/dbss.ts). This half makes
// sure that every separated server has such a watcher. The explorer found a separated server that
// nobody managed any more (recovery-job-ended): its manager recovered it through dynamic
// management extension, then failed and was restarted, and its background job died with it; the
// server after it had come back meanwhile, so the take-over of Fig. 10(d) (which adopts only the
// servers right after the failed one) did not reach it.
// The rule: the separated servers between a running server and the last target it monitors (its
// operation target, or the server after the stale ones while dynamic management extension holds)
// are, by ring order, its own to manage (its segment); a server that cannot manage (its check
// failed, its clock or its SEM feed cannot be trusted) has none. A DBSS whose target is outside
// its server's segment ends (node.ts), unless halfway through A4, a virtual server or a hand-back,
// when it watches (a server is never watched twice) or when it recovers a target reached over
// servers that looked stale (dynamic management extension) and one of them is heard again: that
// one may recover the target itself, and two managers of one target would edit its lines
// concurrently. A recovery of the next server goes on when the server before it comes back (that
// one starts afresh and knows nothing of it) and ends with up.file or down.file as usual. A server
// that stayed in a segment longer than a job started elsewhere can last is adopted: take-over of
// Fig. 10(d), examined once, handed back if it answers, recovered again if not. This lengthens the
// liveness bound after a fault by that grace (sim/run/run-spec.ts settleUs). A server handed back
// (A6) takes over part of its manager's segment with the files, so it takes over that manager's
// watch too (SegmentWatch.handover): counting afresh, a server left without a job waited two graces
// (the explorer's recovery-job-ended finding: Login adopted 327 s after it was separated).
import type { Dbss } from '../dbss/dbss.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import { ringEntryOf, separationEntries } from '../model/management-files.ts';
import { ringSuccessors } from '../model/operation.ts';
import type { Params } from '../model/params.ts';
import type { SemEdit } from '../model/sem.ts';
import type { SegmentSince } from '../program/events.ts';

/**
 * segmentOf lists the separated servers between self and the last of the targets it monitors
 * (its operation target, or further while dynamic management extension holds), in ring order.
 */
export function segmentOf(files: ManagementFiles, self: string, monitored: readonly string[]): string[] {
  const last = monitored.at(-1);
  if (last === undefined) return [];
  const separated = new Set(separationEntries(files).map((e) => e.server));
  const segment: string[] = [];
  for (const s of ringSuccessors(files, self)) {
    if (s === last) break;
    if (separated.has(s)) segment.push(s);
  }
  return segment;
}

/**
 * outsideSegment lists the DBSSs that leave their target to its segment's owner (node.ts
 * adoptSegment): a watch, and a recovery reached over servers that looked stale of which one
 * answers again (it may recover the target itself). A recovery of the next server goes on when
 * the server before it comes back: that one starts afresh.
 */
export function outsideSegment(dbss: Iterable<Dbss>, segment: readonly string[], extendedVia: ReadonlyMap<string, readonly string[]>): Dbss[] {
  return [...dbss].filter((d) => !segment.includes(d.target) && (d.watching || (d.yieldable && (extendedVia.get(d.target)?.length ?? 0) > 0)));
}

/**
 * separatesSelf tells whether edit, just applied to files, moved self to the separation file. A server separated meanwhile
 * (it applies such an edit, or a hand-back, A6, sends it files while its program runs: cut off the
 * service network, its program never stopped) ends
 * every recovery and watch it still runs that may yield (Dbss.yieldable). The manager that
 * separated it took over the separated servers after it (Fig. 10(d)) and keeps their jobs
 * (SegmentWatch.handover); its own would hand back or restart the target beside them, and two
 * hand-backs race: one's failed move resumes the virtual server after the other suspended it (the
 * explorer's no-stale-virtual-server finding: Login, fenced 55-73 s, kept its job for Mail beside
 * Proxy's take-over; both handed Mail back at 103.9 s, Proxy's move failed and its resume landed
 * 1.4 s after Login's suspend, and Mailb ran on FTP beside Mail's VIP). Jobs halfway through A4, a
 * virtual server or a hand-back go on; a target left without a job is adopted after the grace.
 */
export function separatesSelf(edit: SemEdit, self: string, files: ManagementFiles): boolean {
  if (edit.file !== 'separation.file' || edit.op !== 'Add') return false;
  return separationEntries(files).some((e) => e.server === self) && ringEntryOf(edit.line, 'separation.file').server === self;
}

/** yielding lists the DBSSs a server separated meanwhile ends (separatesSelf). */
export function yielding(dbss: Iterable<Dbss>): Dbss[] {
  return [...dbss].filter((d) => d.yieldable);
}

/**
 * adoptionGraceUs is how long a server waits before it adopts a server that entered its segment:
 * long enough for a background job another manager started to end with up.file or down.file (the
 * restart wait, the start wait and the service start grace), for that manager to notice at a tick
 * and for the longest step it does not leave halfway (a hand-back whose VIP move waits for a
 * fence: an interval, both clocks' tolerance and the margin).
 */
export function adoptionGraceUs(params: Params): number {
  return (
    params.restartWaitMaxUs +
    params.startWaitMaxUs +
    params.serviceStartGraceUs +
    3 * params.monitorIntervalUs +
    2 * params.maxClockOffsetUs +
    params.fenceMarginUs
  );
}

/** SegmentWatch remembers since when each server of a segment has been in it. */
export class SegmentWatch {
  private readonly sinceUs = new Map<string, number>();

  constructor(private readonly params: Params) {}

  /** due lists the servers of segment that have been in it for longer than adoptionGraceUs. */
  due(segment: readonly string[], nowUs: number): string[] {
    for (const s of [...this.sinceUs.keys()]) if (!segment.includes(s)) this.sinceUs.delete(s);
    const bound = adoptionGraceUs(this.params);
    return segment.filter((s) => {
      const since = this.sinceUs.get(s);
      if (since === undefined) this.sinceUs.set(s, nowUs);
      return since !== undefined && nowUs - since >= bound;
    });
  }

  /**
   * handover lists the watch for a server handed back (A6, sent with the files), less the servers
   * this one has a DBSS for: a job of its own goes on (or a watch ends halfway through a step), so
   * the grace for that server starts afresh. For the rest, any job started elsewhere before the
   * server entered this segment has had the same time to end, and none starts elsewhere meanwhile
   * (only a segment's owner separates, takes over or adopts its servers).
   */
  handover(managed: { has(server: string): boolean }): SegmentSince[] {
    return [...this.sinceUs].filter(([s]) => !managed.has(s)).map(([server, sinceUs]) => ({ server, sinceUs }));
  }

  /**
   * inherit takes over a watch handed back with the files (handover). The sender's clock may be
   * behind this one by both clocks' tolerance, so each server counts as entered that much later.
   */
  inherit(watch: readonly SegmentSince[]): void {
    for (const { server, sinceUs } of watch) {
      if (!this.sinceUs.has(server)) this.sinceUs.set(server, sinceUs + 2 * this.params.maxClockOffsetUs);
    }
  }

  /** clear forgets every segment (the program stopped). */
  clear(): void {
    this.sinceUs.clear();
  }
}

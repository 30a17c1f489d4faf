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
// failed, its clock or its SEM feed cannot be trusted) has none. A DBSS that watches or recovers a
// target outside its server's segment ends (node.ts), unless halfway through A4, a virtual server
// or a hand-back: so a manager that extended over a server whose heartbeats were lost yields when
// that server is heard again, a manager whose target's predecessor came back leaves it to that
// one, and a server is never managed twice for long (two managers of one target would edit its
// lines concurrently, and SEM replicas could then disagree). A server that stayed in a segment
// longer than the previous manager needs to yield is adopted: take-over of Fig. 10(d), examined
// once, handed back if it answers, recovered again if not.
import type { ManagementFiles } from '../model/management-files.ts';
import { separationEntries } from '../model/management-files.ts';
import { ringSuccessors } from '../model/operation.ts';
import type { Params } from '../model/params.ts';

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
 * adoptionGraceUs is how long a server waits before it adopts a server that entered its segment:
 * the manager that had it notices at its next tick that it is no longer its own and yields, unless
 * halfway through a step it does not leave (the longest: a claim waiting for a fence, one interval
 * plus both clocks' tolerance and the margin); two intervals and that step.
 */
export function adoptionGraceUs(params: Params): number {
  return 3 * params.monitorIntervalUs + 2 * params.maxClockOffsetUs + params.fenceMarginUs;
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

  /** clear forgets every segment (the program stopped). */
  clear(): void {
    this.sinceUs.clear();
  }
}

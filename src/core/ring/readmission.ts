// The ring half of readmission (program/hardening.ts, readmission). The DBSS half watches a target
// its job gave up on (down.file) and hands it back when it answers (dbss/dbss.ts). This half makes
// sure that every separated server has such a watcher. The explorer found a separated server that
// nobody managed any more (recovery-job-ended): its manager recovered it through dynamic
// management extension, then failed and was restarted, and its background job died with it; the
// server after it had come back meanwhile, so the take-over of Fig. 10(d) (which adopts only the
// servers right after the failed one) did not reach it.
// The rule: the separated servers between a running server and the last target it monitors (its
// operation target, or the server after the stale ones while dynamic management extension holds)
// are, by ring order, its own to manage (its segment). A server that entered the segment is adopted (take-over:
// examined once, handed back if it answers, recovered again if not) once it has stayed longer than
// a background job started elsewhere can last, so that an earlier manager's job has written
// up.file or down.file by then. A DBSS that watches or recovers a target outside its own segment
// ends (unless halfway through A4, a virtual server or a hand-back): the segment's owner manages
// it (node.ts), so a server is never watched twice, and a manager that extended over a server
// whose heartbeats were lost yields when that server is heard again (two managers of one target
// would edit its lines concurrently, and SEM replicas could then never agree).
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
 * jobBoundUs is the longest a background job started elsewhere may still run: the restart wait,
 * the start wait and the service start grace, plus two intervals for the ticks on either side.
 */
export function jobBoundUs(params: Params): number {
  return params.restartWaitMaxUs + params.startWaitMaxUs + params.serviceStartGraceUs + 2 * params.monitorIntervalUs;
}

/** SegmentWatch remembers since when each server of a segment has been in it. */
export class SegmentWatch {
  private readonly sinceUs = new Map<string, number>();

  constructor(private readonly params: Params) {}

  /** due lists the servers of segment that have been in it for longer than jobBoundUs. */
  due(segment: readonly string[], nowUs: number): string[] {
    for (const s of [...this.sinceUs.keys()]) if (!segment.includes(s)) this.sinceUs.delete(s);
    const bound = jobBoundUs(this.params);
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

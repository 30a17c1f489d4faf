// The management traffic of a simulated run, counted as the protocol sends it, whatever the
// simulator batches (one kernel event hands a SEM broadcast's copies out together): a SEM record
// broadcast to k live programs is k messages. A message is one request or one answer: a
// network examination is an echo and its reply (2), a service examination a request and its
// answer (2), a load collection a request and a report per host asked (2 each), a SEM
// resynchronisation a request and its answer (2). Bytes are counted for SEM records only, as their
// Diff.dat text (Sec. 3.1), without the transport's framing (HMAC, JSON, UDP/IP headers): they
// are the traffic that grows with the ring. For each management file it also keeps how long a
// record took to reach the last replica it reached: the files' convergence (semSpread).
import { diffLength } from '../../core/model/sem.ts';
import type { SemEdit } from '../../core/model/sem.ts';

export const TRAFFIC_KINDS = ['semRecords', 'syncFiles', 'semResync', 'networkExams', 'serviceExams', 'loadCollection'] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

/** Spread sums, over the SEM records that edited one file, how long each took to reach every replica it reached. */
export interface Spread {
  records: number;
  totalUs: number;
  maxUs: number;
}

export class Traffic {
  readonly messages: Record<TrafficKind, number> = { semRecords: 0, syncFiles: 0, semResync: 0, networkExams: 0, serviceExams: 0, loadCollection: 0 };
  /** semBytes is the Diff.dat text of every SEM record copy sent. */
  semBytes = 0;
  /** semSpread holds, per management file, how long its records took to reach the last replica they reached (the files' convergence). */
  readonly semSpread = new Map<string, Spread>();

  /** addSpread notes that a record of edits reached the last of its replicas spreadUs after it was sent. */
  addSpread(edits: readonly SemEdit[], spreadUs: number): void {
    for (let i = 0; i < edits.length; i++) {
      const file = (edits[i] as SemEdit).file;
      if (edits.findIndex((e) => e.file === file) !== i) continue; // one record, counted once per file
      const s = this.semSpread.get(file) ?? { records: 0, totalUs: 0, maxUs: 0 };
      s.records++;
      s.totalUs += spreadUs;
      s.maxUs = Math.max(s.maxUs, spreadUs);
      this.semSpread.set(file, s);
    }
  }

  add(kind: TrafficKind, messages: number): void {
    this.messages[kind] += messages;
  }

  /** addSem counts a broadcast of edits to `copies` programs: one message per copy, the records' text per copy. */
  addSem(edits: readonly SemEdit[], copies: number): void {
    if (copies === 0) return;
    this.messages.semRecords += copies;
    let bytes = 0;
    for (const e of edits) bytes += diffLength(e) + 1;
    this.semBytes += bytes * copies;
  }

  /** total is every message counted. */
  total(): number {
    return TRAFFIC_KINDS.reduce((n, k) => n + this.messages[k], 0);
  }
}

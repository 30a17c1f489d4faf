// SemLedger is SEM resynchronisation, the hardened ring's answer to replicas that missed edits
// (program/hardening.ts, semResync; closes the explorer's sem-agreement finding,
// reports/FINDINGS.md). The paper's SEM (Sec. 3.1, Fig. 5) sends each Diff.dat record once: a
// server that misses records acts on stale files until it is restarted and handed the files again.
// Here every record a server commits is stamped with its incarnation (epoch) and a sequence number;
// every replica applies each sender's records once and in order, keeps a bounded log of them, and
// sends its version vector (the last record applied from every sender) with each commit. A record
// is applied only after every record its sender had applied when it committed (causal order): an
// edit that deletes a line another server added is never applied before that Add, or replicas that
// heard the two in different orders would never agree. A replica that sees a gap in a sender's
// records, a record whose causes it lacks, or a peer whose vector is ahead of its own, asks that
// peer for the missing records; a peer whose log no longer holds them sends its whole files, vector
// and line times, which the asker joins with its own files (sem-merge.ts) rather than taking whole.
//
// Causal order does not order records that are concurrent (two managers that edit the same line,
// one separating a server while another hands it back): replicas that hear them in different
// orders would keep different files for good. So every commit also carries a Lamport time (lt),
// greater than that of every record its sender had applied, and a line of the group, separation
// and problem files is as the last edit of it in (lt, sender) order says, whatever the order of
// arrival: an edit older than the one a line last took is skipped (a last-writer-wins element set).
// A later edit always has the greater lt, so only concurrent edits are ever skipped; heartbeat
// lines have one writer each and are rewritten in place (Mod) in causal order.
//
// The bound (resyncBoundUs): at every tick a replica gets from its two neighbours on each side
// everything they hold; a record that only a server further away held reaches one of those
// neighbours at that neighbour's own tick, and the replica at its next one. So replicas that can
// hear each other again agree within two intervals and two round trips (a poll interval each).
import { cloneFiles } from '../model/sem.ts';
import { compareEdits, lineTimeKey } from './sem-merge.ts';
import type { LineTime } from './sem-merge.ts';
import type { ManagementFiles, StoredFileName } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';

/** SemStamp numbers one commit: the sender's incarnation and its sequence number within it. */
export interface SemStamp {
  epoch: number;
  seq: number;
  /** lt is the commit's Lamport time (see above); a version vector's entries carry theirs too. */
  lt?: number;
}

/** Versions is a version vector: per sender, the stamp of the last record applied (in order). */
export type Versions = Readonly<Record<string, SemStamp>>;

/** SemRecord is one commit as a replica logs it, with the sender's vector when it committed (its causes). */
export interface SemRecord {
  sender: string;
  stamp: SemStamp;
  edits: readonly SemEdit[];
  deps?: Versions;
}

export type { LineTime } from './sem-merge.ts';

/** SemAnswer is a peer's answer to a version vector: the records the asker lacks, or the peer's whole files when its log no longer holds them. */
export interface SemAnswer {
  records: SemRecord[];
  snapshot: { files: ManagementFiles; versions: Versions; lines?: readonly LineTime[] } | null;
}

/** resyncBoundUs is how long after replicas can hear each other again they agree (see above). */
export function resyncBoundUs(params: { monitorIntervalUs: number; recoveryPollIntervalUs: number }): number {
  return 2 * (params.monitorIntervalUs + params.recoveryPollIntervalUs);
}

/** LOG_LIMIT is how many records of each sender a replica keeps to answer others (about an hour of heartbeats). */
export const LOG_LIMIT = 512;

interface SenderState {
  applied: SemStamp | null;
  /** early holds records that came after a gap or before their causes, by sequence number, until they can be applied. */
  early: Map<number, SemRecord>;
  /** later holds records of a later incarnation until every record of this one is applied (see receive). */
  later: SemRecord[];
  /** vouched is the latest incarnation a peer's answer vouched for: it sent all of the earlier one first. */
  vouched: number;
  /** prior is the last record of the sender's previous incarnation, where this replica knows it (see answer). */
  prior: SemStamp | null;
  log: SemRecord[];
}

/** isAfter tells whether stamp a comes after b (a later incarnation, or a later record of the same one). */
export function isAfter(a: SemStamp, b: SemStamp | null): boolean {
  return b === null || a.epoch > b.epoch || (a.epoch === b.epoch && a.seq > b.seq);
}

export class SemLedger {
  private readonly senders = new Map<string, SenderState>();
  private seq = 0;
  /** lt is the greatest Lamport time this replica has committed or applied. */
  private lt = 0;
  /** lineTimes holds, per file line ever added or deleted, the (lt, sender) of its last edit. */
  private readonly lineTimes = new Map<string, LineTime>();

  constructor(
    readonly self: string,
    /** epoch is this incarnation (the program's start time): it grows across restarts. */
    readonly epoch: number,
  ) {}

  /** stampCommit numbers a commit of this server and logs it. */
  stampCommit(edits: readonly SemEdit[]): SemStamp {
    const stamp = { epoch: this.epoch, seq: ++this.seq, lt: ++this.lt };
    const own = this.state(this.self);
    // The files handed to this incarnation showed where the last one ended: peers that lack its end are answered with it.
    if (own.applied !== null && own.applied.epoch < this.epoch) own.prior = own.applied;
    this.setApplied(own, stamp);
    const record = { sender: this.self, stamp, edits, deps: this.versions() };
    this.winningEdits(record);
    this.logRecord(record);
    return stamp;
  }

  /** versions is the version vector to send with a commit; it is made again only once setApplied changed a stamp, and shared frozen meanwhile. */
  versions(): Versions {
    if (this.versionsMade !== null) return this.versionsMade;
    const v: Record<string, SemStamp> = {};
    for (const [sender, s] of this.senders) if (s.applied !== null) v[sender] = s.applied;
    return (this.versionsMade = Object.freeze(v));
  }

  private versionsMade: Versions | null = null;

  /** setApplied is the only way a sender's applied stamp changes, so that versions() sees it. */
  private setApplied(s: SenderState, stamp: SemStamp): SemStamp {
    this.versionsMade = null;
    return (s.applied = stamp);
  }

  /**
   * receive takes a record and returns those to apply now, in order: it, and the records that
   * waited behind it. A record already applied, or of an earlier incarnation, returns nothing; one
   * after a gap, or whose causes are not all applied, waits (lagging: the replica asks for them).
   * A record of a sender's later incarnation waits (later) until every record of the earlier one
   * is applied: those held for their causes, and, heard live, those the replica may never have
   * heard, until a peer's answer (vouched) sends the rest of the earlier incarnation first. Taking
   * the later one at once gave the earlier one up: an edit of a server restarted meanwhile (A6)
   * stayed missing for good (the explorer's sem-agreement finding: Proxy, back from a SEM loss,
   * dropped Login's line of Mailb, held for its causes, when Login's next incarnation came).
   */
  receive(record: SemRecord, vouched = false): SemRecord[] {
    const s = this.state(record.sender);
    if (!isAfter(record.stamp, s.applied)) return [];
    const applied = s.applied ?? this.setApplied(s, { epoch: record.stamp.epoch, seq: 0 });
    if (record.stamp.epoch > applied.epoch) {
      if (vouched && record.stamp.epoch > s.vouched) s.vouched = record.stamp.epoch;
      if (!s.later.some((r) => r.stamp.epoch === record.stamp.epoch && r.stamp.seq === record.stamp.seq)) s.later.push(record);
    } else {
      s.early.set(record.stamp.seq, record);
    }
    return this.drain();
  }

  /** nextIncarnation moves a sender on to its later incarnation once nothing of this one waits and a peer vouched for it. */
  private nextIncarnation(s: SenderState): boolean {
    if (s.applied === null || s.early.size > 0) return false;
    const applied = s.applied;
    const epoch = s.later.reduce((min, r) => (r.stamp.epoch > applied.epoch && r.stamp.epoch <= s.vouched ? Math.min(min, r.stamp.epoch) : min), Infinity);
    if (epoch === Infinity) return false;
    s.prior = applied;
    this.setApplied(s, { epoch, seq: 0 });
    this.refile(s);
    return true;
  }

  /** refile moves the later records of the sender's incarnation now applied to early, and drops those already superseded. */
  private refile(s: SenderState): void {
    const held = s.later;
    s.later = [];
    for (const r of held) {
      if (!isAfter(r.stamp, s.applied)) continue;
      if (r.stamp.epoch === s.applied?.epoch) s.early.set(r.stamp.seq, r);
      else s.later.push(r);
    }
  }

  /** drain applies, in order, every waiting record that is next of its sender and whose causes are applied. */
  private drain(): SemRecord[] {
    const out: SemRecord[] = [];
    for (let progress = true; progress; ) {
      progress = false;
      for (const s of this.senders.values()) {
        for (let next = this.nextOf(s); next !== undefined && this.causesApplied(next); next = this.nextOf(s)) {
          s.early.delete(next.stamp.seq);
          this.setApplied(s, next.stamp);
          this.logRecord(next);
          const edits = this.winningEdits(next);
          out.push(edits.length === next.edits.length ? next : { ...next, edits });
          progress = true;
        }
        if (this.nextIncarnation(s)) progress = true;
      }
    }
    return out;
  }

  /**
   * winningEdits are the edits of record that apply here: every Mod (one writer per line), and each
   * Add or Del whose (lt, sender) is not older than the last edit of its line (see above).
   */
  private winningEdits(record: SemRecord): readonly SemEdit[] {
    const lt = record.stamp.lt ?? 0;
    if (lt > this.lt) this.lt = lt;
    let out: SemEdit[] | null = null;
    record.edits.forEach((edit, i) => {
      if (edit.op === 'Mod') return out?.push(edit);
      const key = lineTimeKey(edit.file as StoredFileName, edit.line);
      const last = this.lineTimes.get(key);
      if (last === undefined || compareEdits({ lt, sender: record.sender }, last) >= 0) {
        this.lineTimes.set(key, { file: edit.file as StoredFileName, line: edit.line, lt, sender: record.sender });
        return out?.push(edit);
      }
      // An older concurrent edit of this line: skipped.
      out ??= record.edits.slice(0, i);
    });
    return out ?? record.edits;
  }

  /** lines is this replica's line times, to go with its files. */
  lines(): LineTime[] {
    return [...this.lineTimes.values()].map((l) => ({ ...l }));
  }

  /** ownedEdits is record with the edits whose lines it was the last to edit (and its Mods). */
  private ownedEdits(record: SemRecord): SemRecord {
    const lt = record.stamp.lt ?? 0;
    const edits = record.edits.filter((e) => {
      if (e.op === 'Mod') return true;
      const last = this.lineTimes.get(lineTimeKey(e.file as StoredFileName, e.line));
      return last === undefined || compareEdits(last, { lt, sender: record.sender }) === 0;
    });
    return edits.length === record.edits.length ? record : { ...record, edits };
  }

  private nextOf(s: SenderState): SemRecord | undefined {
    return s.applied === null ? undefined : s.early.get(s.applied.seq + 1);
  }

  /** causesApplied tells whether every record the sender had applied when it committed is applied here (a later incarnation supersedes). */
  private causesApplied(record: SemRecord): boolean {
    const deps = record.deps ?? {};
    for (const sender in deps) {
      const upTo = deps[sender] as SemStamp;
      if (sender === record.sender) continue;
      const mine = this.senders.get(sender)?.applied ?? null;
      if (mine === null || (mine.epoch === upTo.epoch && mine.seq < upTo.seq) || mine.epoch < upTo.epoch) return false;
    }
    return true;
  }

  /** behind tells whether a peer's vector shows records this replica lacks (never this server's own), or a gap waits to be filled. */
  behind(peerVersions: Versions | undefined): boolean {
    if (this.lagging) return true;
    if (peerVersions === undefined) return false;
    for (const sender in peerVersions) {
      if (sender !== this.self && isAfter(peerVersions[sender] as SemStamp, this.senders.get(sender)?.applied ?? null)) return true;
    }
    return false;
  }

  /** lagging tells whether records are known to be missing (held early behind a gap). */
  get lagging(): boolean {
    for (const s of this.senders.values()) if (s.early.size > 0 || s.later.length > 0) return true;
    return false;
  }

  /**
   * answer gives a peer that sent its vector every record this replica has applied beyond it, from
   * the log, or the whole files and vector when the log no longer holds them all.
   */
  answer(asker: Versions, files: ManagementFiles): SemAnswer {
    const records: SemRecord[] = [];
    const snapshot = (): SemAnswer => ({ records: [], snapshot: { files: cloneFiles(files), versions: this.versions(), lines: this.lines() } });
    for (const [sender, s] of this.senders) {
      const mine = s.applied;
      const theirs = asker[sender];
      if (mine === null || !isAfter(mine, theirs ?? null)) continue;
      // The asker knows none of this incarnation and an earlier one was: the whole files.
      if (theirs === undefined && s.prior !== null) return snapshot();
      if (theirs !== undefined && theirs.epoch < mine.epoch) {
        // The asker still misses records of the sender's earlier incarnation (records of this one
        // may depend on them): send every one to its end (prior) still logged, or the whole files
        // if any is gone or its end is not known here; the asker takes this one only after them.
        if (s.prior?.epoch !== theirs.epoch) return snapshot();
        const older = s.log.filter((rec) => rec.stamp.epoch === theirs.epoch && rec.stamp.seq > theirs.seq);
        const last = older.at(-1)?.stamp.seq ?? theirs.seq;
        if (older.length !== last - theirs.seq || last < s.prior.seq) return snapshot();
        records.push(...older);
      }
      const fromSeq = theirs !== undefined && theirs.epoch === mine.epoch ? theirs.seq + 1 : 1;
      const wanted = s.log.filter((rec) => rec.stamp.epoch === mine.epoch && rec.stamp.seq >= fromSeq && rec.stamp.seq <= mine.seq);
      if (wanted.length !== mine.seq - fromSeq + 1) return snapshot();
      records.push(...wanted);
    }
    return { records, snapshot: null };
  }

  /**
   * adopt takes a peer's whole files and vector: the replica becomes the peer's, then the records
   * this replica had applied beyond the peer's vector are returned, to be applied again on top.
   */
  adopt(versions: Versions, lines: readonly LineTime[] = []): SemRecord[] {
    // The peer's files hold edits whose times this replica never saw: its next commits come after them.
    for (const stamp of Object.values(versions)) if ((stamp.lt ?? 0) > this.lt) this.lt = stamp.lt ?? 0;
    for (const l of lines) {
      const key = lineTimeKey(l.file, l.line);
      const last = this.lineTimes.get(key);
      if (last === undefined || compareEdits(l, last) >= 0) this.lineTimes.set(key, { ...l });
    }
    const again: SemRecord[] = [];
    for (const [sender, stamp] of Object.entries(versions)) {
      const s = this.state(sender);
      if (isAfter(stamp, s.applied)) {
        // The peer's files hold the earlier incarnations whole; where this one began is not known here.
        if (s.applied !== null && stamp.epoch > s.applied.epoch) s.prior = null;
        this.setApplied(s, stamp);
        s.early.clear();
        this.refile(s);
      } else {
        again.push(...s.log.filter((rec) => isAfter(rec.stamp, stamp)));
      }
    }
    for (const [sender, s] of this.senders) {
      if (sender in versions) continue;
      again.push(...s.log);
    }
    // Records held for causes the peer's files already contain can be applied now; those applied
    // before go again with the edits that still own their lines.
    return [...again.map((r) => this.ownedEdits(r)), ...this.drain()];
  }

  private state(sender: string): SenderState {
    let s = this.senders.get(sender);
    if (s === undefined) {
      s = { applied: null, early: new Map(), later: [], vouched: 0, prior: null, log: [] };
      this.senders.set(sender, s);
    }
    return s;
  }

  private logRecord(record: SemRecord): void {
    const log = this.state(record.sender).log;
    log.push(record);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  }
}

// SharedHeartbeat lets the replicas of a large simulated ring share one heartbeat file (docs/scale.md).
// Every server stamps its heartbeat line once an interval and SEM sends the stamp to every other
// replica (Sec. 3.1, 4.2): K^2 records per interval, each applied by each replica on its own copy.
// Here the replicas that hold the same heartbeat file read one array, and a stamp that reaches all of
// them at one instant (the management switch's delivery time, management-network.ts) is applied to it
// once. Replicas whose feed differs (cut off, in a SEM fault, a record missed) take their own copy
// first (Replica.fork) and get their records one by one as before; a copy equal to the shared file
// joins it again. The sender sees its stamp at once (Replica's pending stamps) and the others a delivery
// time later, as with copies of their own: what each replica reads, and so the trace, is unchanged.
import { applyToLines } from '../../core/model/sem.ts';
import type { SemEdit } from '../../core/model/sem.ts';
import { lineKey, sameLines } from '../../core/model/management-files.ts';
import { heartbeatFileMoves, type Replica } from '../../core/program/replica.ts';
import type { NodeRunner } from './node-runner.ts';

/** SharedRecord is one SEM record on its way to the replicas that share files: its heartbeat edits go to the shared heartbeat file. */
export interface SharedRecord {
  heartbeat: readonly SemEdit[];
  /** others are its edits of the other files, which each replica applies (sharing the copy, appliedCopy). */
  others: readonly SemEdit[];
  /** sender is the sender's replica, which holds the record already (as pending stamps while it reads the shared file). */
  sender: Replica | null;
  /** excluded are the live receivers the record does not reach with the others (cut off, lost, delayed). */
  excluded: readonly NodeRunner[];
  /**
   * keys are the heartbeat lines its stamps rewrite, and pendingAt heartbeatFileMoves() when it was
   * sent, both set by sent when the sender read the shared file and held these stamps first among
   * its pending ones: take then need not look at the sender again while no heartbeat file moved.
   */
  keys?: string[];
  pendingAt?: number;
}

export class SharedHeartbeat {
  /** lines is the shared heartbeat file: the one every joined replica reads. */
  readonly lines: string[];
  /** detached are the live runners whose replica holds a heartbeat file of its own (or another copy): they get records one by one. */
  readonly detached = new Set<NodeRunner>();
  /** inFlight counts the records sent and not yet taken; copies join again only when none is. */
  private inFlight = 0;
  /** pendingBy names, per heartbeat line key, the sender whose stamp of it is on its way. */
  private readonly pendingBy = new Map<string, Replica>();

  constructor(lines: string[]) {
    this.lines = lines;
  }

  /** joined tells whether a replica reads the shared heartbeat file. */
  joined(replica: Replica | null): boolean {
    return replica !== null && replica.lines('heartbeat.file') === this.lines;
  }

  /** observe files a runner as detached or not after its program handled an event (it may have forked or received new files). */
  observe(runner: NodeRunner): void {
    const replica = runner.node.replicaHandle();
    // Unchanged since it was last looked at (the same replica, no heartbeat file moved): skip the look, which misses the caches of a large ring.
    const moves = heartbeatFileMoves();
    if (runner.observedBy === this && runner.observedReplica === replica && runner.observedMoves === moves) return;
    runner.observedBy = this;
    runner.observedReplica = replica;
    runner.observedMoves = moves;
    if (replica !== null && !this.joined(replica)) this.detached.add(runner);
    else this.detached.delete(runner);
  }

  /** forget drops a runner whose program is gone. */
  forget(runner: NodeRunner): void {
    this.detached.delete(runner);
  }

  /** sent notes a record on its way to the shared file. */
  sent(record: SharedRecord): void {
    this.inFlight++;
    if (record.sender === null || !this.joined(record.sender) || !record.sender.hasPending(record.heartbeat)) return;
    record.keys = record.heartbeat.map(keyOf);
    record.pendingAt = heartbeatFileMoves();
    for (const key of record.keys) this.pendingBy.set(key, record.sender);
  }

  /**
   * take applies a record to the shared file, for every joined replica at once: first the replicas
   * it does not reach now, and any other sender with a stamp of the same line on its way, take
   * copies of their own, so that the shared file changes only for those it reaches.
   */
  take(record: SharedRecord): void {
    this.inFlight--;
    for (const runner of record.excluded) this.detach(runner);
    // No heartbeat file moved since it was sent: its sender still reads the shared file, these stamps first among its pending ones (only a fork takes them otherwise).
    const senderPending = record.pendingAt === heartbeatFileMoves();
    for (let i = 0; i < record.heartbeat.length; i++) {
      const e = record.heartbeat[i] as SemEdit;
      const key = record.keys?.[i] ?? keyOf(e);
      const other = this.pendingBy.get(key);
      if (other !== undefined && other !== record.sender && this.joined(other)) other.fork('heartbeat.file');
      if (other === record.sender) this.pendingBy.delete(key);
      applyToLines(this.lines, e);
    }
    // A sender that took a copy of its own meanwhile applied its stamp to it (Replica.fork).
    const sender = record.sender;
    if (sender !== null && (senderPending || (this.joined(sender) && sender.hasPending(record.heartbeat)))) sender.caughtUp(record.heartbeat.length);
  }

  /** detach gives a live runner's joined replica a heartbeat file of its own. */
  private detach(runner: NodeRunner): void {
    const replica = runner.node.replicaHandle();
    if (!runner.alive || replica === null || !this.joined(replica)) return;
    replica.fork('heartbeat.file');
    this.detached.add(runner);
  }

  /**
   * rejoin lets detached replicas whose heartbeat file equals the shared one read the shared one
   * again, while no record is on its way (run once an interval: each costs a comparison of K lines).
   */
  rejoin(): void {
    if (this.inFlight > 0) return;
    for (const runner of [...this.detached]) {
      const replica = runner.node.replicaHandle();
      if (!runner.alive || replica === null) {
        this.detached.delete(runner);
        continue;
      }
      if (replica.pendingCount > 0 || !sameLines(replica.lines('heartbeat.file'), this.lines)) continue;
      replica.share('heartbeat.file', this.lines);
      this.detached.delete(runner);
    }
  }
}

/** keyOf is the heartbeat line a stamp rewrites (its server). */
function keyOf(edit: SemEdit): string {
  return lineKey(edit.op === 'Mod' ? edit.oldLine : edit.line);
}

// Replica is one management program's copy of the management files (Sec. 2.4), kept by SEM edits
// (Sec. 3.1). On a lab server it is the program's own. In the simulator, a ring of K servers would
// hold K copies of K-line files, each changed by every heartbeat stamp (K^2 work per interval), so
// replicas there may share a file's lines with other replicas (docs/scale.md): a shared file is
// never changed in place by a replica, only replaced by a copy (appliedCopy, which hands replicas
// that take the same record the same copy), except that the simulator's SharedHeartbeat
// (sim/world/shared-heartbeat.ts) applies a heartbeat record to the shared heartbeat file once
// for every replica that takes it at that instant. What a replica reads is the same either way.
import { applyEdit, appliedCopy, cloneFiles } from '../model/sem.ts';
import type { SemEdit } from '../model/sem.ts';
import { STORED_FILE_NAMES } from '../model/management-files.ts';
import type { ManagementFiles, ReplicaView, StoredFileName } from '../model/management-files.ts';

/**
 * heartbeatMoves counts, process-wide, every time a replica's heartbeat file became another array
 * (a fork, a share, a copy): the simulator's shared heartbeat file looks again at a replica it
 * classified only once this moved (only compared, never shown, as NodeRunner's serials).
 */
let heartbeatMoves = 0;

/** heartbeatFileMoves is the count of heartbeat files moved so far (heartbeatMoves). */
export function heartbeatFileMoves(): number {
  return heartbeatMoves;
}

export class Replica {
  private readonly files: ManagementFiles;
  /** owned are the files this replica alone holds and changes in place; the others are shared. */
  private readonly owned: Set<StoredFileName>;
  /**
   * pending are this replica's own heartbeat stamps that the shared heartbeat file does not hold
   * yet: the others take a record a delivery time after its sender (Sec. 3.1), so the shared file
   * takes it then (caughtUp), and the sender's own view is the shared file with these applied.
   */
  private pending: SemEdit[] = [];

  private constructor(files: ManagementFiles, owned: readonly StoredFileName[]) {
    this.files = files;
    this.owned = new Set(owned);
  }

  /** own is a replica of a copy of files, all its own (a lab server; files received from a peer). */
  static own(files: ReplicaView): Replica {
    return new Replica(cloneFiles(files), STORED_FILE_NAMES);
  }

  /** adopt is a replica of files handed over whole, all its own (SEM resynchronisation's snapshot). */
  static adopt(files: ManagementFiles): Replica {
    return new Replica(files, STORED_FILE_NAMES);
  }

  /** received is a replica of files handed over, sharing the lines of the files named shared (the simulator's large rings) and owning the others. */
  static received(files: ReplicaView, shared: readonly StoredFileName[]): Replica {
    const view = { ...files } as ManagementFiles;
    return new Replica(view, STORED_FILE_NAMES.filter((f) => !shared.includes(f)));
  }

  /**
   * handOver is this replica as sent whole to another server (A6): shared files by their lines,
   * the others (and a heartbeat file with pending stamps) as copies that the receiver owns.
   */
  handOver(): { files: ManagementFiles; shared: StoredFileName[] } {
    const files = { ...this.files };
    const shared: StoredFileName[] = [];
    for (const name of STORED_FILE_NAMES) {
      if (!this.owned.has(name) && (name !== 'heartbeat.file' || this.pending.length === 0)) shared.push(name);
      else files[name] = this.files[name].slice();
    }
    for (const e of this.pending) applyEdit(files, e);
    return { files, shared };
  }

  /** view is the replica as the program reads it; reading it while own stamps are pending gives the replica its own heartbeat file. */
  view(): ManagementFiles {
    if (this.pending.length > 0) this.fork('heartbeat.file');
    return this.files;
  }

  /** lines is a file's lines as held now, without own pending stamps (for the simulator's sharing). */
  lines(file: StoredFileName): readonly string[] {
    return this.files[file];
  }

  /**
   * apply applies one SEM edit; own says the program made it (SEM's commit). An own stamp of a
   * shared heartbeat file waits in pending (the simulator delivers its record to the shared file,
   * or forks this replica when it cannot); any other edit of a shared file replaces it by a copy.
   */
  apply(edit: SemEdit, own: boolean): void {
    const file = edit.file as StoredFileName;
    if (!this.owned.has(file) && own && file === 'heartbeat.file' && edit.op === 'Mod') {
      this.pending.push(edit);
      return;
    }
    // Another record would land on top of pending stamps: the replica takes its own copy first.
    if (file === 'heartbeat.file' && this.pending.length > 0) this.fork(file);
    if (this.owned.has(file)) applyEdit(this.files, edit);
    else this.place(file, appliedCopy(this.files[file], edit).lines as string[]);
  }

  /** applyEach applies received edits in order (the simulator's shared records, for a replica whose program only applies them). */
  applyEach(edits: readonly SemEdit[]): void {
    for (const e of edits) this.apply(e, false);
  }

  /** hasPending tells whether these edits are the first own stamps the shared heartbeat file has yet to take. */
  hasPending(edits: readonly SemEdit[]): boolean {
    if (edits.length > this.pending.length) return false;
    for (let i = 0; i < edits.length; i++) if (this.pending[i] !== edits[i]) return false;
    return true;
  }

  /** pendingCount is how many own stamps the shared heartbeat file has yet to take. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** caughtUp: the shared heartbeat file took the first count pending stamps. */
  caughtUp(count: number): void {
    // In place: the shared file takes a stamp of every server each interval.
    if (count >= this.pending.length) while (this.pending.length > 0) this.pending.pop();
    else this.pending.splice(0, count);
  }

  /** fork gives this replica its own copy of a shared file (with its pending stamps applied), to change in place from now on. */
  fork(file: StoredFileName): void {
    if (this.owned.has(file)) return;
    this.place(file, this.files[file].slice());
    this.owned.add(file);
    if (file !== 'heartbeat.file') return;
    for (const e of this.pending) applyEdit(this.files, e);
    this.pending = [];
  }

  /** owns tells whether this replica holds its own copy of a file. */
  owns(file: StoredFileName): boolean {
    return this.owned.has(file);
  }

  /** share makes this replica read lines, a shared file equal to its own copy, instead of that copy. */
  share(file: StoredFileName, lines: string[]): void {
    if (this.pending.length > 0 && file === 'heartbeat.file') throw new Error('Replica.share: own stamps are pending');
    this.place(file, lines);
    this.owned.delete(file);
  }

  /** place makes lines the file's array, counting a heartbeat file that moves (heartbeatMoves). */
  private place(file: StoredFileName, lines: string[]): void {
    if (file === 'heartbeat.file' && lines !== this.files[file]) heartbeatMoves++;
    this.files[file] = lines;
  }
}

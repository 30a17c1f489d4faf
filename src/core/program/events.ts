// Events are what the world tells a management program (docs/architecture.md). They are plain data so that a
// trace is a list of values that can be printed, hashed and replayed.
import type { CommandResult } from './commands.ts';
import type { ManagementData } from '../model/management-data.ts';
import type { ManagementFiles, StoredFileName } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';
import type { LineTime, SemAnswer, SemStamp, Versions } from './sem-ledger.ts';

/** SegmentSince is since when a server has been in a manager's segment, by its clock (ring/readmission.ts). */
export interface SegmentSince {
  server: string;
  sinceUs: number;
}

export type NodeEvent =
  /** The world wakes the program at the deadline it asked for. */
  | { type: 'wake' }
  /** A command with this id finished. */
  | { type: 'commandDone'; id: number; result: CommandResult }
  /**
   * SEM edits sent by another management server (Sec. 3.1); in the hardened ring (semResync) with
   * the commit's stamp and the sender's version vector (sem-ledger.ts).
   */
  | { type: 'semEdits'; from: string; edits: readonly SemEdit[]; stamp?: SemStamp; versions?: Versions }
  /** Hardened ring (semResync): a peer's answer to requestEdits (askedUs echoed; absent: taken as asked now). */
  | { type: 'semRecords'; from: string; answer: SemAnswer; askedUs?: number }
  /**
   * The management files, management data and program arrived (file management server at start,
   * or the manager after recovery; Sec. 3.2); in the hardened ring with the sender's version vector
   * and the sender's watch of the separated servers (readmission, SegmentWatch.handover).
   */
  | {
      type: 'filesReceived';
      files: ManagementFiles;
      data: readonly ManagementData[];
      versions?: Versions;
      lines?: readonly LineTime[];
      watch?: readonly SegmentSince[];
      /** shared names the files whose lines other replicas share: never changed in place (the simulator's large rings, replica.ts). */
      shared?: readonly StoredFileName[];
    }
  /** The flag file appeared or disappeared (executor system, Sec. 3.2). */
  | { type: 'flagFile'; present: boolean }
  /** P2P (Sec. 2.3): the S.file of this interval arrived. */
  | { type: 'syncFile'; from: string }
  /** P2P: U.file (up) or D.file (down) for target arrived from its P1. */
  | { type: 'jobResult'; from: string; target: string; result: 'up' | 'down' }
  /** P2P: another server started a program here that manages target with this role. */
  | { type: 'startRole'; role: 'P1' | 'P2'; target: string }
  /** The clock is (or is no longer) synchronised within Params.maxClockOffsetUs (chrony, Sec. 3.2; hardened ring only). */
  | { type: 'clockStatus'; synchronised: boolean };

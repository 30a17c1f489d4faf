// ProgramContext is what the parts of a management program (DBSS, background job, function
// recovery, P2 monitor) may ask of it: issue commands, log, edit the shared files, wait for deadlines.
import type { CommandResult, HostCommand } from './commands.ts';
import type { ManagementData } from '../model/management-data.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import type { Params } from '../model/params.ts';
import type { SemEdit } from '../model/sem.ts';
import type { Hardening } from './hardening.ts';
import type { LogEvent } from './log-events.ts';
import type { TimerOwner } from './timer-list.ts';

/**
 * CommandOwner receives the result of a command it issued, while it waits for it. An owner that
 * stops waiting (it ended, or a newer command replaced the one it waited for) says so with
 * release or drop; the result is then ignored by the program, never handed to the owner.
 */
export interface CommandOwner {
  onResult(id: number, result: CommandResult): void;
}

/** DistributiveOmit keeps a union a union while removing the id field. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type IssuedCommand = WithoutId<Exclude<HostCommand, { type: 'log' }>>;

/**
 * ProgramContext is what one DBSS, background job, function recovery or P2 monitor may ask of
 * the management program it runs in, whatever the method.
 */
export interface ProgramContext {
  readonly self: string;
  readonly params: Params;
  readonly nowUs: number;
  readonly files: ManagementFiles;
  /** hardened tells whether an extension of the hardened ring is on (hardening.ts). */
  hardened(extension: Hardening): boolean;
  dataOf(server: string): ManagementData;
  /** dataVersion counts the times the management data was replaced (filesReceived), so that what was read of it can be kept until then (Dbss). */
  readonly dataVersion: number;
  /** failingTargets lists the targets this program's DBSSs have found failing and not handed back (ring; A5 places no virtual server there, Sec. 5.3). */
  failingTargets?(): string[];
  /** issue sends a command and returns its id; the result goes to owner, or nowhere when owner is null (nobody waits for it). */
  issue(command: IssuedCommand, owner: CommandOwner | null): number;
  /** drop stops waiting for one command's result: the command goes on, its result is ignored. */
  drop(id: number): void;
  /** release drops every result owner still waits for (it has ended). */
  release(owner: CommandOwner): void;
  /** log writes a line of the system log (Sec. 5.2). */
  log(event: LogEvent): void;
  /** commit applies edits to the local replica at once and sends them to every management server (SEM). */
  commit(edits: readonly SemEdit[], owner: CommandOwner | null): number;
  addTimer(atUs: number, owner: TimerOwner, tag: string): void;
  /**
   * claimSafeAtUs is when target's VIP may be moved between the servers of exceptHosts (the one
   * it goes to, the one the move itself takes it from): once every other server that might still
   * hold it must have fenced itself (hardened ring, fencing: ring/fencing.ts); now in the paper's method.
   */
  claimSafeAtUs(target: string, exceptHosts: readonly string[]): number;
  /**
   * resumeLandsByUs is when a resume of the virtual server problem line records, that the line's
   * maker may still have in flight, must have landed (hardened ring, fencing: ring/fencing.ts
   * VsHostHistory); now in the paper's method.
   */
  resumeLandsByUs(line: string): number;
  /**
   * handBackSettledUs is when a hand-back of target another manager may still have under way must
   * have ended (hardened ring, readmission with fencing: ring/fencing.ts VsHostHistory); now in the paper's method.
   */
  handBackSettledUs(target: string): number;
  /**
   * verifyManagement (hardened ring, heartbeatTrust) asks the servers between this one and target
   * for their SEM records when this server manages target only because their heartbeats look
   * stale: the stamps may be what this replica missed. stillManages tells, once the answers had
   * time to come, whether this server should still manage target; always true in the paper's method.
   * heardSinceTick tells whether a neighbour answered this tick's SEM comparison: a server that
   * others may not hear confirms no failure (hardened ring, heartbeatTrust; always true otherwise);
   * given sinceUs, whether a peer answered a question asked then or later (fencing.ts ResumeTaken).
   */
  verifyManagement(target: string): void;
  stillManages(target: string): boolean;
  heardSinceTick(sinceUs?: number): boolean;
  /** mayManage tells whether this server is fit to manage now (ring: its check passed; hardened, its clock and SEM feed are trusted); always true otherwise. */
  mayManage(): boolean;
  /**
   * runsNoProgram (hardened ring, readmission) tells whether target, answering its examination,
   * has not stamped for longer than its records can merely be late: it restarted into standby
   * (Fig. 7(a)) unseen, and waits for files and a flag; always false in the paper's method.
   */
  runsNoProgram(target: string): boolean;
  removeTimers(owner: TimerOwner): void;
}

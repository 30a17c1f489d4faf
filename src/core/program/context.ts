// RingContext is what one DBSS, background job or function recovery may ask of the management
// program it runs in: issue commands, log, edit the shared files, wait for deadlines.
import type { CommandResult, HostCommand } from './commands.ts';
import type { ManagementData } from '../model/management-data.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import type { Params } from '../model/params.ts';
import type { SemEdit } from '../model/sem.ts';
import type { LogEvent } from './log-events.ts';
import type { TimerOwner } from './timer-list.ts';

/** CommandOwner receives the result of a command it issued. */
export interface CommandOwner {
  onResult(id: number, result: CommandResult): void;
}

/** DistributiveOmit keeps a union a union while removing the id field. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type IssuedCommand = WithoutId<Exclude<HostCommand, { type: 'log' }>>;

export interface RingContext {
  readonly self: string;
  readonly params: Params;
  readonly nowUs: number;
  readonly files: ManagementFiles;
  dataOf(server: string): ManagementData;
  /** issue sends a command and returns its id; the result goes to owner. */
  issue(command: IssuedCommand, owner: CommandOwner): number;
  /** log writes a line of the system log (Sec. 5.2). */
  log(event: LogEvent): void;
  /** commit applies edits to the local replica at once and sends them to every management server (SEM). */
  commit(edits: readonly SemEdit[], owner: CommandOwner | null): number;
  addTimer(atUs: number, owner: TimerOwner, tag: string): void;
  removeTimers(owner: TimerOwner): void;
}

// The ports between the protocol core and a world (docs/architecture.md "The two worlds"). Time is
// no port: the world hands the program its `now` with every event, so the core never reads a clock.
// The simulator carries out the commands with scheduled events, the agent with real processes.
import type { Replica } from './replica.ts';
import type { HostCommand, LoadReport } from './commands.ts';
import type { NodeEvent, SegmentSince } from './events.ts';
import type { LineTime, SemAnswer, Versions } from './sem-ledger.ts';
import type { ManagementData } from '../model/management-data.ts';
import type { ReplicaView } from '../model/management-files.ts';

/**
 * The Host port is the HostCommand union itself (commands.ts): plain data that each world
 * carries out its own way, the simulator by scheduling events (src/sim/world/world.ts) and the
 * agent with the real drivers (src/agent/host-actions.ts), each answering every command
 * that has an id with exactly one commandDone event.
 */

/**
 * NodeOutput is what a management program returns from each call: commands, and when to wake it
 * next. It may be refilled by the next call, commands array included, so a caller reads it first and
 * keeps no array of it; a caller that has carried out the commands may empty the array
 * (emptyCommands), so that they do not live until that call.
 */
export interface NodeOutput {
  commands: HostCommand[];
  /** wakeAtUs is the next deadline (absolute µs), or null when nothing is pending. */
  wakeAtUs: number | null;
}

/** NO_COMMANDS is the output's commands when there are none; nothing is ever added to it. */
export const NO_COMMANDS: HostCommand[] = [];

/** emptyCommands empties an output's commands once they are carried out: in place, as the program refills the same array (ManagementProgram.emit). */
export function emptyCommands(out: NodeOutput): void {
  const commands = out.commands;
  while (commands.length > 0) commands.pop();
}

/** ProtocolNode is one management server's program: the ring method or the P2P baseline. */
export interface ProtocolNode {
  readonly name: string;
  /**
   * handle takes the current time and one event, and returns the commands to carry out. The
   * returned object may be reused by the next call: read it before calling handle again.
   */
  handle(nowUs: number, event: NodeEvent): NodeOutput;
  /** loadReport answers another server's A3 request (Fig. 12), or null before the first measurement. */
  loadReport(): LoadReport | null;
  /**
   * filesView is the replica of the management files itself, or null without files: read it at
   * once, and copy it (cloneFiles) to keep it, as for a transfer to a recovered server (A6).
   */
  filesView(): ReplicaView | null;
  /** replicaHandle is the replica itself, or null without files: the simulator shares heartbeat records through it (replica.ts). */
  replicaHandle(): Replica | null;
  /** semVersions is the replica's version vector, sent along with the files (hardened ring, semResync), or null. */
  semVersions(): Versions | null;
  /** semLines is the replica's line times (sem-ledger.ts), sent along with the files and version vector, or null. */
  semLines(): LineTime[] | null;
  /** segmentHandover is the watch of separated servers sent along with the files (hardened ring, readmission), or null. */
  segmentHandover(): SegmentSince[] | null;
  /**
   * semAnswer answers a peer's requestEdits (its version vector) from the replica's log (hardened ring, semResync), or null
   * without one; from names the asker, asked back at the next tick when its vector is ahead (sem-ledger.ts askBack).
   */
  semAnswer(asker: Versions, from?: string): SemAnswer | null;
  /** managementData lists the management data the program holds, sent along with the files. */
  managementData(): ManagementData[];
  /** manages tells whether this program is target's manager now: its DBSS (ring) or its P1 (P2P). */
  manages(target: string): boolean;
  /** managedTargets lists the targets this program manages now (manages is true of exactly these). */
  managedTargets(): string[];
  /** recoveringTargets lists the targets whose recovery (background job and hand-back) this program still runs. */
  recoveringTargets(): string[];
  /** running tells whether the executor has started the management program (Sec. 3.2). */
  readonly running: boolean;
}

// Commands are what a management program asks its world to do (docs/architecture.md: the core returns
// commands as plain data). Each command with an id gets exactly one CommandDone event back.
import type { SemEdit } from '../model/sem.ts';
import type { LogEvent } from './log-events.ts';
import type { SemStamp, Versions } from './sem-ledger.ts';

/** VipHolder names who answers on a virtual IP: the real server or a virtual server on a host. */
export type VipHolder =
  | { kind: 'real'; server: string }
  | { kind: 'virtual'; vsName: string; host: string };

export type HostCommand =
  /** A1 of Fig. 12: measure this server's memory, CPU and network load. */
  | { type: 'measureLoad'; id: number }
  /** A3 of Fig. 12: fetch the predicted load of every running management server. */
  | { type: 'collectLoads'; id: number }
  /**
   * Network examination of a target (ping); waits timeoutUs when the target does not answer.
   * extra marks a ping only the hardened ring makes (a relocation's old host, function-recovery.ts; its target, target-watch.ts).
   */
  | { type: 'probeNetwork'; id: number; target: string; address: string; timeoutUs: number; extra?: boolean }
  /**
   * Service examination of a target's daemons. With retry false it is one attempt, failing at once
   * when the port refuses and after waitMaxUs when nothing answers; with retry true it keeps trying
   * until the service answers or waitMaxUs has passed (re-examination, Table 1's maximum wait).
   * extra marks an examination only the hardened ring makes (a relocation's watch of its target, target-watch.ts).
   */
  | { type: 'probeService'; id: number; target: string; address: string; daemons: readonly string[]; waitMaxUs: number; retry: boolean; extra?: boolean }
  /**
   * Internal monitoring (Sec. 4.1, Fig. 9(b)): the default gateway and the local service ports.
   * extra marks a check only the hardened ring makes (a fenced server's recheck, a manager's self-check).
   */
  | { type: 'probeInternal'; id: number; extra?: boolean }
  /**
   * A4: write the edits to the local management files and send them to every management server
   * (SEM, Sec. 3.1); in the hardened ring (semResync) with their stamp and this server's version vector.
   */
  | { type: 'commitEdits'; id: number; edits: readonly SemEdit[]; stamp?: SemStamp; versions?: Versions }
  /** Hardened ring (semResync): send a peer this replica's version vector, for the SEM records it lacks (sem-ledger.ts). */
  /** askedUs (heartbeatTrust) is the asker's time of asking, echoed in the answer (heardSinceTick). */
  | { type: 'requestEdits'; id: number; to: string; versions: Versions; askedUs?: number }
  /** Restart check of the background job: release the target's VIP and restart it over the management network. */
  | { type: 'restartServer'; id: number; target: string; address: string; vip: string }
  /** Forced start by Wake-on-LAN ("Start_IPR_forcibly", Fig. 14). */
  | { type: 'sendWol'; id: number; target: string; mac: string }
  /** Original server method (Sec. 3.1): resume a suspended original server on host and install target's procedure file. */
  | { type: 'resumeVirtualServer'; id: number; host: string; vsName: string; target: string }
  | { type: 'suspendVirtualServer'; id: number; host: string; vsName: string }
  /**
   * Move a virtual IP: release it from `from` (when given and reachable), then set it on `to` with a
   * gratuitous ARP. Hardened ring (fencing, hand-back.ts): when `from`'s host cannot be told to
   * release, the move fails unless that host answers a ping at fromIpr (its service address): only
   * then does the duplicate-address check, which it would answer holding the VIP, show it does not.
   * suspendFrom (hardened ring, readmission: A6's hand-back) has the host of the virtual server `from`
   * suspend it right after the release, in the same remote step, so that a move that lands after its
   * sender died leaves no stand-in running beside the returned VIP (dbss/hand-back.ts). With
   * suspendFrom, a failed move that released nothing from `from` (so suspended nothing) says so:
   * released false (hand-back.ts restoreStandIn has nothing to undo then).
   */
  | { type: 'setVip'; id: number; vip: string; to: VipHolder; from: VipHolder | null; fromIpr?: string; suspendFrom?: true }
  /**
   * Hardened ring (fencing): this server gives up every VIP it holds, its own and those of the
   * virtual servers it hosts (vips, with their holders), because its internal check failed. again
   * marks a fenced server's failed recheck fencing again (ring/fencing.ts SelfFence), which mostly
   * finds nothing left to release. The virtual servers among the holders are suspended with their
   * VIPs, and the host refuses resumes until lift (a healthy check about to take back) ends the fence.
   */
  | { type: 'fence'; id: number; vips: readonly { vip: string; holder: VipHolder }[]; again?: boolean; lift?: true }
  /** The background job hands its result to the foreground job through up.file or down.file (Sec. 2.1). */
  | { type: 'writeJobFile'; id: number; target: string; result: 'up' | 'down' }
  /** A6: send the management files and the management program to a recovered server. */
  | { type: 'sendFiles'; id: number; to: string }
  /** A6: create the flag file on a recovered server so that its executor starts the program (Sec. 3.2). */
  | { type: 'sendFlag'; id: number; to: string }
  /** P2P (Sec. 2.3): broadcast the S.file that starts every server's monitoring of this interval. */
  | { type: 'broadcastSync'; id: number }
  /** P2P: send U.file (up) or D.file (down) for target to its P2 by inter-process communication. */
  | { type: 'sendJobResult'; id: number; to: string; target: string; result: 'up' | 'down' }
  /** P2P: start a management program on server `on` that manages target with priority role. */
  | { type: 'startProgram'; id: number; on: string; role: 'P1' | 'P2'; target: string }
  /** A line of the system log (Sec. 5.2), as data (log-events.ts). */
  | ({ type: 'log' } & LogEvent);

export type HostCommandType = HostCommand['type'];

/** LoadReport is one management server's answer to collectLoads. */
export interface LoadReport {
  server: string;
  predicted: { memKb: number; cpuIdlePct: number; netBytesPerS: number };
  spec: { memKb: number; cores: number; ratedBytesPerS: number };
  vmCapacity: number;
}

export type CommandResult =
  | { kind: 'done'; ok: boolean; released?: false }
  | { kind: 'load'; sample: { freeMemKb: number; cpuIdlePct: number; netBytesPerS: number } }
  | { kind: 'loads'; reports: readonly LoadReport[] };

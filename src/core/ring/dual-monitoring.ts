// Dual monitoring and dynamic management extension (Sec. 4.1, 4.2, Fig. 9, Fig. 10(b)(c)):
// before external monitoring, a management server reads the heartbeat file; when its target
// has missed its internal check, the servers after it may be down too, so it extends its
// management to every consecutive stale server and the first fresh one after them.
import { keyedPositionFrom } from '../model/key-index.ts';
import { heartbeatLine, heartbeatUnixS, ringPosition, stampOf } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import { US_PER_S } from '../model/time.ts';
import type { Dbss } from '../dbss/dbss.ts';

/** NOT_FOUND_FAILING are the DBSS states before a first failed examination, or after the DBSS ended. */
const NOT_FOUND_FAILING: ReadonlySet<Dbss['state']> = new Set(['idle', 'examNetwork', 'examService', 'ended']);

/**
 * targetsFoundFailing lists the targets of one server's DBSSs that are past their first failed
 * examination: A5 places no virtual server on them (several failures at once, Sec. 5.3).
 */
export function targetsFoundFailing(dbsss: Iterable<Dbss>): string[] {
  return [...dbsss].filter((d) => !NOT_FOUND_FAILING.has(d.state)).map((d) => d.target);
}

/** isHeartbeatStale tells whether server's last healthy internal check is older than staleUs at nowUs. */
export function isHeartbeatStale(files: ManagementFiles, server: string, nowUs: number, staleUs: number): boolean {
  return isStale(heartbeatUnixS(files, server), nowUs, staleUs);
}

function isStale(unixS: number | null, nowUs: number, staleUs: number): boolean {
  return unixS === null || nowUs - unixS * US_PER_S > staleUs;
}

/**
 * MonitorHints is where a program keeps what monitoredTargets and heartbeatStamp found last, to
 * look there first (RingNode): the running list it placed itself in and its place there, and where
 * its first target's heartbeat line and its own were. A large ring's indexes miss the caches at
 * every tick; the hints are checked, so a stale one costs only the lookup it would have saved.
 */
export interface MonitorHints {
  runningSeen: readonly string[] | null;
  selfAt: number;
  targetLineAt: number;
  ownLineAt: number;
}

/** heartbeatStamp is the edit that stamps self's heartbeat line with unixS (internal monitoring, Sec. 4.1), or null when the line says so already. */
export function heartbeatStamp(files: ManagementFiles, self: string, unixS: number, hints: MonitorHints): SemEdit | null {
  const line = heartbeatLine(self, unixS);
  const lines = files['heartbeat.file'];
  hints.ownLineAt = keyedPositionFrom(lines, self, hints.ownLineAt);
  const old = lines[hints.ownLineAt];
  if (old === line) return null;
  return old === undefined ? { file: 'heartbeat.file', op: 'Add', line } : { file: 'heartbeat.file', op: 'Mod', oldLine: old, newLine: line };
}

/**
 * monitoredTargets is the list of targets self must examine at this tick: its operation-file
 * target (automatic connection selection) and, while a target's heartbeat is stale, the next
 * running server after it (dynamic management extension), never self. running is the group
 * file's servers in ring order (callers may cache it between edits).
 */
export function monitoredTargets(
  files: ManagementFiles,
  running: readonly string[],
  self: string,
  nowUs: number,
  staleUs: number,
  hints: MonitorHints = { runningSeen: null, selfAt: -1, targetLineAt: -1, ownLineAt: -1 },
): string[] {
  if (running !== hints.runningSeen) {
    hints.selfAt = ringPosition(running, self);
    hints.runningSeen = running;
  }
  const at = hints.selfAt;
  if (at < 0 || running.length < 2) return [];
  const first = running[(at + 1) % running.length] as string;
  const targets = [first];
  const lines = files['heartbeat.file'];
  hints.targetLineAt = keyedPositionFrom(lines, first, hints.targetLineAt);
  if (!isStale(stampOf(lines[hints.targetLineAt], first), nowUs, staleUs)) return targets;
  let current = first;
  for (;;) {
    const next = running[(ringPosition(running, current) + 1) % running.length];
    if (next === undefined || next === self || targets.includes(next)) break;
    targets.push(next);
    current = next;
    if (!isHeartbeatStale(files, current, nowUs, staleUs)) break;
  }
  return targets;
}

// The operation file (Sec. 2.4, Fig. 4): who manages whom. It is derived from the group file,
// never stored or edited, so every management server that holds equal files agrees on it
// without exchanging it ("From this file, an operation file ... is created").

import { groupEntries, separationEntries } from './management-files.ts';
import type { ManagementFiles, ReplicaView, RingEntry } from './management-files.ts';

/** OperationEntry is one operation file line: `Mail FTP FTP.dat` (manager, target, target's data file). */
export interface OperationEntry {
  manager: string;
  target: string;
  dataFile: string;
}

/**
 * deriveOperation builds the operation file: each running server (the group file, in ring
 * order) manages the next running one, and the last manages the first (Sec. 2.4: "the mail
 * server manages the FTP server"). A server in the separation file is skipped, so with FTP
 * separated Mail manages Web1. A lone running server manages nobody: it cannot recover itself.
 */
export function deriveOperation(files: ReplicaView): OperationEntry[] {
  const running = groupEntries(files);
  if (running.length < 2) return [];
  return running.map((entry, i) => {
    const next = running[(i + 1) % running.length] as RingEntry;
    return { manager: entry.server, target: next.server, dataFile: next.dataFile };
  });
}

/**
 * operationTargetOf is the target that manager should manage now, or null when it manages
 * nobody (it is not running, or it runs alone). The automatic connection selection method
 * (Sec. 4.2) compares this with the target a DBSS instance is managing.
 */
export function operationTargetOf(files: ManagementFiles, manager: string): string | null {
  const running = groupEntries(files);
  if (running.length < 2) return null;
  const i = running.findIndex((e) => e.server === manager);
  if (i < 0) return null;
  return (running[(i + 1) % running.length] as RingEntry).server;
}

/** formatOperationLine writes an operation file line, `Mail FTP FTP.dat`. */
export function formatOperationLine(entry: OperationEntry): string {
  return `${entry.manager} ${entry.target} ${entry.dataFile}`;
}

/**
 * ringSuccessors lists every server of the whole ring (group and separation files, by No.),
 * starting after server and wrapping round, without server itself. Dual monitoring (Sec. 4.1)
 * walks this list to find the failed servers after its target and the next running one.
 * A server not in the ring has no place to start from: the result is empty.
 */
export function ringSuccessors(files: ManagementFiles, server: string): string[] {
  const seen = new Set<string>();
  const ring: RingEntry[] = [];
  // Group first, so that if a server were (wrongly) in both files its running entry wins.
  for (const entry of [...groupEntries(files), ...separationEntries(files)]) {
    if (seen.has(entry.server)) continue;
    seen.add(entry.server);
    ring.push(entry);
  }
  ring.sort((a, b) => a.no - b.no);
  const i = ring.findIndex((e) => e.server === server);
  if (i < 0) return [];
  return [...ring.slice(i + 1), ...ring.slice(0, i)].map((e) => e.server);
}

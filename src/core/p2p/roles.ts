// The two management priorities of the P2P method (Sec. 2.3, Fig. 3): every target is managed by
// P1, the running server before it in the ring, and P2, the running server after it.
import { groupEntries, separationEntries } from '../model/management-files.ts';
import type { ManagementFiles } from '../model/management-files.ts';

/** wholeRing lists every server of the group and separation files in ring order (by No.). */
function wholeRing(files: ManagementFiles): string[] {
  return [...groupEntries(files), ...separationEntries(files)].sort((a, b) => a.no - b.no).map((e) => e.server);
}

/** runningNeighbour finds the first running server from target in direction +1 (after) or -1 (before), never target itself. */
export function runningNeighbour(files: ManagementFiles, target: string, direction: 1 | -1): string | null {
  const ring = wholeRing(files);
  const running = new Set(groupEntries(files).map((e) => e.server));
  const at = ring.indexOf(target);
  if (at < 0) return null;
  for (let step = 1; step < ring.length; step++) {
    const s = ring[(((at + direction * step) % ring.length) + ring.length) % ring.length] as string;
    if (running.has(s) && s !== target) return s;
  }
  return null;
}

/** p1Of is the target's priority-1 manager: the running server before it. */
export function p1Of(files: ManagementFiles, target: string): string | null {
  return runningNeighbour(files, target, -1);
}

/** p2Of is the target's priority-2 manager: the running server after it. */
export function p2Of(files: ManagementFiles, target: string): string | null {
  return runningNeighbour(files, target, 1);
}

// The two management priorities of the P2P method (Sec. 2.3, Fig. 3): every target is managed by
// P1, the running server before it in the ring, and P2, the running server after it.
import { groupEntries, ringPosition, separationEntries } from '../model/management-files.ts';
import type { ManagementFiles, RingEntry } from '../model/management-files.ts';

/** WholeRing is every server of the group and separation files in ring order (by No.), and which of them run. */
interface WholeRing {
  servers: readonly string[];
  running: ReadonlySet<string>;
}

const WHOLE_RINGS = new WeakMap<readonly RingEntry[], WeakMap<readonly RingEntry[], WholeRing>>();

/** wholeRing is built once per state of the group and separation files (their parsed entries are shared while unchanged): every P2 asks at every tick. */
function wholeRing(files: ManagementFiles): WholeRing {
  const [group, separation] = [groupEntries(files), separationEntries(files)];
  let bySeparation = WHOLE_RINGS.get(group);
  if (bySeparation === undefined) WHOLE_RINGS.set(group, (bySeparation = new WeakMap()));
  let ring = bySeparation.get(separation);
  if (ring === undefined) {
    const servers = Object.freeze([...group, ...separation].sort((a, b) => a.no - b.no).map((e) => e.server));
    bySeparation.set(separation, (ring = { servers, running: new Set(group.map((e) => e.server)) }));
  }
  return ring;
}

/** runningNeighbour finds the first running server from target in direction +1 (after) or -1 (before), never target itself. */
export function runningNeighbour(files: ManagementFiles, target: string, direction: 1 | -1): string | null {
  const { servers: ring, running } = wholeRing(files);
  const at = ringPosition(ring, target);
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

// KeyIndex finds a line of a keyed management file (heartbeat.file: one line per server, Sec. 4.1)
// by its first column without a scan. Every server reads its target's heartbeat line at every tick,
// so a scan would cost K comparisons per read and K^2 per interval for a ring of K servers
// (docs/scale.md). Arrays that many replicas share (the simulator's shared replicas) share one index.

/** INDEXED_FROM_LINES is the length from which an index of lines pays: below it a scan is cheaper than hashing (the paper's six servers); sem.ts, management-files.ts and this file share it. */
export const INDEXED_FROM_LINES = 32;

const keyIndexes = new WeakMap<readonly string[], Map<string, number>>();

/** hasKey tells whether line's first column is key, without cutting out a substring. */
export function hasKey(line: string, key: string): boolean {
  return line.startsWith(key) && (line.length === key.length || line[key.length] === ' ');
}

/**
 * lineWithKey is the first line of lines whose first column is key, or undefined. A position found
 * in the index is checked against the array; a miss or a stale position rebuilds the index once
 * (sem.ts forgets it whenever lines are inserted or removed, keyedLinesChanged).
 */
export function lineWithKey(lines: readonly string[], key: string): string | undefined {
  if (lines.length < INDEXED_FROM_LINES) {
    for (const line of lines) if (hasKey(line, key)) return line;
    return undefined;
  }
  let index = keyIndexes.get(lines);
  if (index === undefined) index = reindexKeys(lines);
  const i = index.get(key);
  if (i !== undefined && i < lines.length && hasKey(lines[i] as string, key)) return lines[i];
  if (i === undefined) return undefined;
  const again = reindexKeys(lines).get(key);
  return again === undefined ? undefined : lines[again];
}

/**
 * soleKeyedPosition serves a Mod in a long file whose lines each have a key of their own (the
 * heartbeat file: one line per server): when a and b have the same key, the only line that can
 * equal either is the one with that key, so its position (-1 when no line has it) answers both
 * lookups through the key index, which a same-key rewrite leaves as it is. Undefined when the
 * keys differ or some key has two lines: then the caller looks the lines up as lines.
 */
export function soleKeyedPosition(lines: readonly string[], a: string, b: string): number | undefined {
  const space = a.indexOf(' ');
  const key = space < 0 ? a : a.slice(0, space);
  if (!hasKey(b, key)) return undefined;
  let index = keyIndexes.get(lines) ?? reindexKeys(lines);
  let i = index.get(key);
  if (i !== undefined && !(i < lines.length && hasKey(lines[i] as string, key))) {
    index = reindexKeys(lines);
    i = index.get(key);
  }
  if (index.size !== lines.length) return undefined;
  return i ?? -1;
}

function reindexKeys(lines: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  // First position wins, as a scan's would.
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    const space = line.indexOf(' ');
    index.set(space < 0 ? line : line.slice(0, space), i);
  }
  keyIndexes.set(lines, index);
  return index;
}

/** keyedLinesChanged drops lines' index after lines moved or a line's key changed (sem.ts); the next read rebuilds it. */
export function keyedLinesChanged(lines: readonly string[]): void {
  keyIndexes.delete(lines);
}

const editCounts = new WeakMap<readonly string[], number>();

/** linesEdited counts a change made to lines in place (sem.ts, the only place that makes one), so caches of what lines say know when to look again. */
export function linesEdited(lines: readonly string[]): void {
  editCounts.set(lines, (editCounts.get(lines) ?? 0) + 1);
}

/** editCount is how many changes were made to lines in place so far. */
export function editCount(lines: readonly string[]): number {
  return editCounts.get(lines) ?? 0;
}

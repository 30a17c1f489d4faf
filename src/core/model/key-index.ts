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
  const i = keyedPosition(lines, key);
  return i === undefined ? undefined : lines[i];
}

/**
 * keyedPositionFrom is the position of lineWithKey's line (-1 when there is none), for a caller that
 * remembers where it was (hint, -1 for none): when the line there still has key and every key of
 * lines has one line, it is the first with key, found without the index's table, which a large
 * ring's reads miss in the caches (docs/scale.md).
 */
export function keyedPositionFrom(lines: readonly string[], key: string, hint: number): number {
  if (lines.length < INDEXED_FROM_LINES) return lines.findIndex((line) => hasKey(line, key));
  if (hint >= 0 && hint < lines.length && hasKey(lines[hint] as string, key) && keysUnique(lines)) return hint;
  return keyedPosition(lines, key) ?? -1;
}

/**
 * soleKeyedPosition serves a Mod in a long file whose lines each have a key of their own (the
 * heartbeat file: one line per server): when a and b have the same key, the only line that can
 * equal either is the one with that key, so its position (-1 when no line has it) answers both
 * lookups through the key index, which a same-key rewrite leaves as it is. Undefined when the
 * keys differ or some key has two lines: then the caller looks the lines up as lines.
 */
export function soleKeyedPosition(lines: readonly string[], a: string, b: string): number | undefined {
  const key = lineKey(a);
  if (!hasKey(b, key)) return undefined;
  const i = keyedPosition(lines, key);
  // keyedPosition left the index it used in keyIndexes.
  if (!keysUnique(lines)) return undefined;
  return i ?? -1;
}

/**
 * keysUnique tells whether lines' index is there and has as many keys as lines have lines: an index
 * present was built from the keys they have now (a change of any key or of the line count drops
 * it, keyedLinesChanged), and it has fewer keys than lines when a key has two.
 */
function keysUnique(lines: readonly string[]): boolean {
  return keyIndexes.get(lines)?.size === lines.length;
}

/** keyedPosition is the position of the first line with key, through the index (rebuilt when missing, or once when the position found is stale), or undefined. */
function keyedPosition(lines: readonly string[], key: string): number | undefined {
  const i = (keyIndexes.get(lines) ?? reindexKeys(lines)).get(key);
  if (i === undefined || (i < lines.length && hasKey(lines[i] as string, key))) return i;
  return reindexKeys(lines).get(key);
}

/** lineKey is a line's first column: the No. of a ring file line, else the server name (management-files.ts passes it on). */
export function lineKey(line: string): string {
  const space = line.indexOf(' ');
  return space < 0 ? line : line.slice(0, space);
}

function reindexKeys(lines: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  // First position wins, as a scan's would.
  for (let i = lines.length - 1; i >= 0; i--) {
    index.set(lineKey(lines[i] as string), i);
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

// SEM, the synchronous editing method (Sec. 3.1, Fig. 5): a management server that edits a
// management file sends the edit itself (the Diff.dat record) to every management server,
// and each applies it to its own copy, so the copies stay equal without a file server.

import { InputError } from './input-error.ts';
import { hasKey, INDEXED_FROM_LINES, keyedLinesChanged, linesEdited, soleKeyedPosition } from './key-index.ts';
import { isRingFile, lineKey, parseManagementLine, ringNoOf, STORED_FILE_NAMES } from './management-files.ts';
import type { ManagementFileName, ManagementFiles, ReplicaView, StoredFileName } from './management-files.ts';

/** SemEdit is one Diff.dat record: delete a line, add a line, or rewrite one (Sec. 3.1). */
export type SemEdit =
  | { file: ManagementFileName; op: 'Add'; line: string }
  | { file: ManagementFileName; op: 'Del'; line: string }
  | { file: ManagementFileName; op: 'Mod'; oldLine: string; newLine: string };

/**
 * EditOutcome says what applyEdit did. 'duplicate': the file already was as the edit wants it
 * (an Add of a present line, a Mod whose new line is present), nothing changed. 'missing': the
 * line to delete or rewrite is absent, nothing changed. 'resolvedByKey': a Mod whose old line
 * was absent rewrote the one line with the same key instead, so a replica that missed an
 * earlier edit converges.
 */
export type EditOutcome = 'applied' | 'duplicate' | 'missing' | 'resolvedByKey';

/** DIFF_SEPARATOR separates the fields of a Diff.dat record. */
const DIFF_SEPARATOR = ', ';

/** formatDiff writes the Diff.dat record: `group.file, Del, 2 FTP FTP.dat` (Sec. 3.1). */
export function formatDiff(edit: SemEdit): string {
  const lines = edit.op === 'Mod' ? [edit.oldLine, edit.newLine] : [edit.line];
  for (const line of lines) {
    // A comma or line break inside a line would split the record differently on the receiver.
    if (/[,\r\n]/.test(line)) throw new Error(`formatDiff: line ${JSON.stringify(line)} holds a comma or a line break`);
  }
  return [edit.file, edit.op, ...lines].join(DIFF_SEPARATOR);
}

/** diffLength is the length of formatDiff's record, counted without writing it (the simulator's traffic counts every broadcast). */
export function diffLength(edit: SemEdit): number {
  const lines = edit.op === 'Mod' ? edit.oldLine.length + DIFF_SEPARATOR.length + edit.newLine.length : edit.line.length;
  return edit.file.length + edit.op.length + 2 * DIFF_SEPARATOR.length + lines;
}

const RECORD_SHAPE = {
  Add: '3 comma-separated fields (file, Add, added line)',
  Del: '3 comma-separated fields (file, Del, deleted line)',
  Mod: '4 comma-separated fields (file, Mod, line before, line after)',
} as const;

/**
 * parseDiff reads one Diff.dat record received from another management server. The file must
 * be a stored one (the operation file is derived, never edited) and each line must be a valid
 * line of that file; lines come back in canonical form. Bad records throw an InputError.
 */
export function parseDiff(text: string, file: string, lineNo: number): SemEdit {
  const parts = text.replace(/\r$/, '').split(',').map((p) => p.trim());
  const name = parts[0] ?? '';
  if (!(STORED_FILE_NAMES as readonly string[]).includes(name)) {
    const expected = `one of ${STORED_FILE_NAMES.join(', ')} (operation.file is derived, never edited)`;
    throw new InputError(file, lineNo, 'file name', expected, name);
  }
  const fileName = name as StoredFileName;
  const op = parts[1];
  if (op !== 'Add' && op !== 'Del' && op !== 'Mod') {
    throw new InputError(file, lineNo, 'operation', 'Add, Del or Mod', op);
  }
  if (parts.length !== (op === 'Mod' ? 4 : 3)) {
    throw new InputError(file, lineNo, 'Diff.dat record', RECORD_SHAPE[op], text);
  }
  const line = (i: number): string => parseManagementLine(fileName, parts[i] ?? '', file, lineNo);
  if (op === 'Mod') return { file: fileName, op, oldLine: line(2), newLine: line(3) };
  return { file: fileName, op, line: line(2) };
}

/**
 * applyEdit applies one SEM edit to files IN PLACE and says what it did. It runs for every
 * edit on every replica (about a million times per simulated day), so it never copies a file.
 * Lines are treated as a set: no edit ever makes a file hold the same line twice. Group and
 * separation files stay in ascending No. order (ring order). Edits are expected to come from
 * parseDiff or the line builders of management-files.ts, which check the lines.
 */
export function applyEdit(files: ManagementFiles, edit: SemEdit): EditOutcome {
  if (edit.file === 'operation.file') {
    throw new Error('applyEdit: operation.file is derived from group.file and is never edited (Sec. 2.4)');
  }
  return applyToLines(files[edit.file], edit);
}

/** applyToLines is applyEdit on the one file the edit names, given as its lines (changed in place; the simulator's shared heartbeat file). */
export function applyToLines(lines: string[], edit: SemEdit): EditOutcome {
  const ring = isRingFile(edit.file);
  switch (edit.op) {
    case 'Add':
      if (positionOf(lines, edit.line) >= 0) return 'duplicate';
      insertLine(lines, edit.line, ring);
      return 'applied';
    case 'Del': {
      const i = positionOf(lines, edit.line);
      if (i < 0) return 'missing';
      removeLine(lines, i);
      return 'applied';
    }
    case 'Mod':
      return modifyLine(lines, edit.oldLine, edit.newLine, ring);
  }
}

function modifyLine(lines: string[], oldLine: string, newLine: string, ring: boolean): EditOutcome {
  // Both lines are looked up on nearly every Mod (a heartbeat stamp's new line is absent): one scan finds both in a short file.
  let i = -1;
  let j = -1;
  if (lines.length < INDEXED_FROM_LINES) {
    for (let k = 0; k < lines.length && (i < 0 || j < 0); k++) {
      const line = lines[k];
      if (i < 0 && line === oldLine) i = k;
      if (j < 0 && line === newLine) j = k;
    }
  } else {
    const k = soleKeyedPosition(lines, oldLine, newLine);
    if (k !== undefined) {
      // Found by key (heartbeat stamps): the line index would change at every stamp, so it is dropped and built again only when a lookup by line needs it.
      lineIndexes.delete(lines);
      i = k >= 0 && lines[k] === oldLine ? k : -1;
      j = k >= 0 && lines[k] === newLine ? k : -1;
    } else {
      i = positionOf(lines, oldLine);
      j = positionOf(lines, newLine);
    }
  }
  if (i >= 0) {
    if (oldLine === newLine) return 'duplicate';
    if (j >= 0) {
      removeLine(lines, i);
      return 'applied';
    }
    replaceLine(lines, i, newLine, ring);
    return 'applied';
  }
  if (j >= 0) return 'duplicate';
  const key = lineKey(oldLine);
  let match = -1;
  for (let j = 0; j < lines.length; j++) {
    if (!hasKey(lines[j] as string, key)) continue;
    if (match >= 0) return 'missing'; // two candidates: guessing could diverge the replicas
    match = j;
  }
  if (match < 0) return 'missing';
  replaceLine(lines, match, newLine, ring);
  return 'resolvedByKey';
}

/**
 * A replica's file of K lines gets an edit from every server each interval (the heartbeat
 * stamps), so finding a line by a scan would cost K comparisons per edit, K^3 per interval for the
 * whole ring. LineIndex keeps each file array's positions by line, built on first use and kept up
 * to date by the edits below; every edit of a replica goes through applyEdit. A found position is
 * checked against the array, and an array whose length changed outside applyEdit is indexed anew.
 */
interface LineIndex {
  at: Map<string, number>;
  length: number;
}

const lineIndexes = new WeakMap<readonly string[], LineIndex>();
/** scannedOnce holds the long files looked up once without an index (positionOf): the second lookup builds it. */
const scannedOnce = new WeakSet<readonly string[]>();

/** positionOf is lines.indexOf(line), through the index for long files (lines hold no line twice: applyEdit keeps them a set). */
function positionOf(lines: readonly string[], line: string): number {
  if (lines.length < INDEXED_FROM_LINES) return lines.indexOf(line);
  let index = lineIndexes.get(lines);
  if (index === undefined && !scannedOnce.has(lines)) {
    // The first lookup scans: a copy that one record makes (appliedCopy) is looked up once before the
    // next record replaces it, and building its index costs K insertions, a scan K comparisons.
    scannedOnce.add(lines);
    return lines.indexOf(line);
  }
  if (index === undefined || index.length !== lines.length) index = reindex(lines);
  const i = index.at.get(line);
  if (i === undefined) return -1;
  if (lines[i] === line) return i;
  return reindex(lines).at.get(line) ?? -1;
}

function reindex(lines: readonly string[]): LineIndex {
  const at = new Map<string, number>();
  // First position wins, as indexOf's would.
  for (let i = lines.length - 1; i >= 0; i--) at.set(lines[i] as string, i);
  const index = { at, length: lines.length };
  lineIndexes.set(lines, index);
  return index;
}

/** removeLine deletes line i; the positions after it move, so the index is built anew on its next use. */
function removeLine(lines: string[], i: number): void {
  lines.splice(i, 1);
  lineIndexes.delete(lines);
  keyedLinesChanged(lines);
  linesEdited(lines);
}

/** sameKey tells whether two lines have the same first column, without cutting out substrings (replaceLine runs per replica and record). */
function sameKey(a: string, b: string): boolean {
  const end = a.indexOf(' ');
  if (end !== b.indexOf(' ')) return false;
  for (let k = 0; k < (end < 0 ? a.length : end); k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  return end >= 0 || a.length === b.length;
}

/** insertLine appends, or in a ring file inserts after every line whose No. is not greater. */
function insertLine(lines: string[], line: string, ring: boolean): void {
  if (!ring) {
    lines.push(line);
    keyedLinesChanged(lines);
    linesEdited(lines);
    if (lines.length <= INDEXED_FROM_LINES) return;
    const index = lineIndexes.get(lines);
    if (index !== undefined && index.length === lines.length - 1) {
      if (!index.at.has(line)) index.at.set(line, lines.length - 1);
      index.length = lines.length;
    }
    return;
  }
  const no = ringNoOf(line);
  if (Number.isNaN(no)) throw new Error(`applyEdit: ring file line ${JSON.stringify(line)} has no No.`);
  let i = lines.length;
  while (i > 0 && ringNoOf(lines[i - 1] as string) > no) i--;
  lines.splice(i, 0, line);
  lineIndexes.delete(lines);
  keyedLinesChanged(lines);
  linesEdited(lines);
}

/** replaceLine rewrites line i; in a ring file a changed No. moves the line to its place. */
function replaceLine(lines: string[], i: number, newLine: string, ring: boolean): void {
  if (ring && ringNoOf(lines[i] as string) !== ringNoOf(newLine)) {
    removeLine(lines, i);
    insertLine(lines, newLine, true);
    return;
  }
  const old = lines[i] as string;
  lines[i] = newLine;
  linesEdited(lines);
  if (!sameKey(old, newLine)) keyedLinesChanged(lines);
  if (lines.length < INDEXED_FROM_LINES) return;
  const index = lineIndexes.get(lines);
  if (index === undefined) return;
  if (index.at.get(old) === i) index.at.delete(old);
  if (!index.at.has(newLine)) index.at.set(newLine, i);
}

/** AppliedCopy is what appliedCopy returns: the file's lines after the edit, and what the edit did. */
export interface AppliedCopy {
  lines: readonly string[];
  outcome: EditOutcome;
}

const appliedCopies = new WeakMap<readonly string[], Map<string, AppliedCopy>>();

/**
 * appliedCopy is applyEdit for a file's lines that must not change because other replicas share
 * them (the simulator's shared replicas, docs/scale.md): the lines after the edit are a new array,
 * or the same one when the edit changed nothing. The same edit on the same array gives the same
 * new array, so replicas that share a file and take the same record share the result too: a
 * record costs one copy of the file, not one per replica.
 */
export function appliedCopy(lines: readonly string[], edit: SemEdit): AppliedCopy {
  let done = appliedCopies.get(lines);
  if (done === undefined) appliedCopies.set(lines, (done = new Map()));
  const key = memoKeyOf(edit);
  const known = done.get(key);
  if (known !== undefined) return known;
  const copy = lines.slice();
  const outcome = applyToLines(copy, edit);
  const result = { lines: outcome === 'applied' || outcome === 'resolvedByKey' ? copy : lines, outcome };
  done.set(key, result);
  return result;
}

const memoKeys = new WeakMap<SemEdit, string>();

/** memoKeyOf is formatDiff's record, written once per edit: every replica that takes a record takes the same edit objects. */
function memoKeyOf(edit: SemEdit): string {
  let key = memoKeys.get(edit);
  if (key === undefined) memoKeys.set(edit, (key = formatDiff(edit)));
  return key;
}

/** filesEqual tells whether two replicas hold the same lines in the same order in every file. */
export function filesEqual(a: ReplicaView, b: ReplicaView): boolean {
  // Plain loops: the SEM agreement checker compares every pair of replicas once an interval.
  for (const name of STORED_FILE_NAMES) {
    const x = a[name];
    const y = b[name];
    if (x === y) continue; // a file two replicas share (docs/scale.md)
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** cloneFiles copies a replica, for callers that must keep a state while applyEdit mutates another. */
export function cloneFiles(files: ReplicaView): ManagementFiles {
  return {
    'group.file': files['group.file'].slice(),
    'separation.file': files['separation.file'].slice(),
    'heartbeat.file': files['heartbeat.file'].slice(),
    'problem.file': files['problem.file'].slice(),
  };
}

// The management files of the ring-type DBSS (Sec. 2.4, Fig. 4), kept on every management
// server and kept equal by SEM edits (Sec. 3.1). Each file is held as its lines, in canonical
// form (single spaces), because SEM edits are line based and apply to them directly.

import { InputError } from './input-error.ts';
import { editCount, INDEXED_FROM_LINES, lineKey, lineWithKey } from './key-index.ts';
import { isDataFileName, isHostName } from './validate.ts';

/** ManagementFileName names the five management files of Fig. 4. */
export type ManagementFileName = 'group.file' | 'operation.file' | 'separation.file' | 'heartbeat.file' | 'problem.file';

/** StoredFileName names the four files that are stored; the operation file is derived (operation.ts). */
export type StoredFileName = Exclude<ManagementFileName, 'operation.file'>;

/** ManagementFiles is one management server's copy of the stored files, as canonical lines. */
export type ManagementFiles = Record<StoredFileName, string[]>;

/** ReplicaView is a replica read in place: it must not be changed, nor kept past the event it was read in. */
export type ReplicaView = { readonly [F in StoredFileName]: readonly string[] };

/** STORED_FILE_NAMES lists the stored files in a fixed order, for loops that must be deterministic. */
export const STORED_FILE_NAMES: readonly StoredFileName[] = ['group.file', 'separation.file', 'heartbeat.file', 'problem.file'];

/** RingEntry is a group or separation file line: `1 Mail Mail.dat` (No., target server, management data file). */
export interface RingEntry {
  no: number;
  server: string;
  dataFile: string;
}

/** ProblemEntry is a problem file line: `Loginb Login FTP` (virtual server, trouble server, host). */
export interface ProblemEntry {
  virtualServer: string;
  /** trouble is the failed target server whose function the virtual server recovers. */
  trouble: string;
  /** host is the server on which the virtual server was created (Sec. 2.4: Proxy makes Loginb on FTP). */
  host: string;
}

const POSITIVE_INT_RE = /^[1-9][0-9]*$/;
const UNIX_S_RE = /^(?:0|[1-9][0-9]*)$/;

const isRingNo = (t: string): boolean => POSITIVE_INT_RE.test(t) && Number.isSafeInteger(Number(t));
const isUnixS = (t: string): boolean => UNIX_S_RE.test(t) && Number.isSafeInteger(Number(t));

interface Column {
  field: string;
  expected: string;
  ok: (t: string) => boolean;
}
const NO: Column = { field: 'No.', expected: 'a positive integer', ok: isRingNo };
const host = (field: string): Column => ({ field, expected: 'a host name (RFC 1123 label)', ok: isHostName });
const DATA_FILE: Column = { field: 'management data file', expected: 'a file name such as Mail.dat', ok: isDataFileName };

/** COLUMNS gives each file's columns in order (Fig. 4). */
const COLUMNS: Record<ManagementFileName, readonly Column[]> = {
  'group.file': [NO, host('target server'), DATA_FILE],
  'separation.file': [NO, host('target server'), DATA_FILE],
  'operation.file': [host('management server'), host('target server'), DATA_FILE],
  'heartbeat.file': [host('management server'), { field: 'UNIX time', expected: 'a non-negative integer of seconds', ok: isUnixS }],
  'problem.file': [host('virtual server'), host('trouble server'), host('host server')],
};

/** isRingFile tells the files whose lines start with a No. and are kept in ascending No. order. */
export function isRingFile(name: ManagementFileName): boolean {
  return name === 'group.file' || name === 'separation.file';
}

/**
 * parseManagementLine checks one line of a management file and returns it in canonical form
 * (columns joined by one space). It throws an InputError naming the file, line and column.
 */
export function parseManagementLine(name: ManagementFileName, text: string, file: string, lineNo: number | null): string {
  const columns = COLUMNS[name];
  const parts = text.trim().split(/\s+/);
  if (parts.length !== columns.length) {
    const names = columns.map((c) => c.field).join(', ');
    throw new InputError(file, lineNo, `${name} line`, `${columns.length} space-separated columns (${names})`, text);
  }
  columns.forEach((column, i) => {
    const part = parts[i] ?? '';
    if (!column.ok(part)) throw new InputError(file, lineNo, column.field, column.expected, part);
  });
  return parts.join(' ');
}

/**
 * parseManagementFile reads one management file into canonical lines. Blank lines carry no
 * data and are skipped. A ring file must be in strictly ascending No. order, and in the other
 * files the first column (the key) must not repeat: either would make SEM edits ambiguous.
 */
export function parseManagementFile(name: ManagementFileName, text: string, file: string): string[] {
  const lines: string[] = [];
  const keys = new Set<string>();
  let previousNo = 0;
  text.split('\n').forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.trim() === '') return;
    const line = parseManagementLine(name, raw, file, lineNo);
    const key = lineKey(line);
    if (isRingFile(name)) {
      const no = Number(key);
      if (no <= previousNo) throw new InputError(file, lineNo, 'No.', `a No. greater than ${previousNo} (ring order)`, key);
      previousNo = no;
    } else if (keys.has(key)) {
      throw new InputError(file, lineNo, COLUMNS[name][0]?.field ?? 'key', 'a value not used on an earlier line', key);
    }
    keys.add(key);
    lines.push(line);
  });
  return lines;
}

/** formatManagementFile writes lines one per line with a final newline; an empty file is "". */
export function formatManagementFile(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** lineKey is a line's first column (key-index.ts, which indexes lines by it). */
export { lineKey };

/** ringNoOf reads the No. of a group or separation line; NaN if the line has none. */
export function ringNoOf(line: string): number {
  const key = lineKey(line);
  return POSITIVE_INT_RE.test(key) ? Number(key) : Number.NaN;
}

function columnsOf(line: string, count: number, name: StoredFileName): string[] {
  const parts = line.split(' ');
  if (parts.length !== count) throw new Error(`${name} holds a malformed line ${JSON.stringify(line)}`);
  return parts;
}

/** ringEntryOf parses one line of the group or separation file (No., server, data file). */
export function ringEntryOf(line: string, name: 'group.file' | 'separation.file'): RingEntry {
  const [no, server, dataFile] = columnsOf(line, 3, name) as [string, string, string];
  return { no: Number(no), server, dataFile };
}

/**
 * Parsed keeps a file's entries beside what they were parsed from. A program reads its ring and
 * problem entries many times an interval, while the files change a few times: the entries are
 * parsed again only when the lines changed, so a reader gets the same frozen array until then.
 * Keyed weakly by the line array, which replicas may share (the simulator's large rings): a long
 * array is known unchanged by its count of in-place edits (key-index.ts, kept by sem.ts, the only
 * code that edits lines in place), a short one by comparing it with a copy.
 */
interface Parsed<T> {
  lines: string[] | null;
  edits: number;
  entries: readonly T[];
}

/** COMPARED_BELOW_LINES is the file length below which a copy is compared line by line (cheap; tests build short files by hand). */
const COMPARED_BELOW_LINES = 32;

/** sameLines tells whether two files hold the same lines in the same order. */
export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function cachedEntries<T>(cache: WeakMap<readonly string[], Parsed<T>>, lines: readonly string[], parse: (lines: readonly string[]) => T[]): readonly T[] {
  const hit = cache.get(lines);
  const edits = editCount(lines);
  if (hit !== undefined && hit.edits === edits && (hit.lines === null || sameLines(hit.lines, lines))) return hit.entries;
  const entries = Object.freeze(parse(lines));
  cache.set(lines, { lines: lines.length < COMPARED_BELOW_LINES ? lines.slice() : null, edits, entries });
  return entries;
}

const RING_CACHE: Record<'group.file' | 'separation.file', WeakMap<readonly string[], Parsed<RingEntry>>> = { 'group.file': new WeakMap(), 'separation.file': new WeakMap() };
const PROBLEM_CACHE = new WeakMap<readonly string[], Parsed<ProblemEntry>>();

/** RING_LINES and PROBLEM_LINES keep the frozen entry of each line parsed, cleared when full: a new replica, or an edit, mostly brings lines seen before (a simulator makes six new replicas per run). */
const RING_LINES = new Map<string, RingEntry>();
const PROBLEM_LINES = new Map<string, ProblemEntry>();
const LINES_KEPT_MAX = 1 << 17;

function lineEntry<T>(kept: Map<string, T>, line: string, parse: (line: string) => T): T {
  let entry = kept.get(line);
  if (entry === undefined) {
    if (kept.size >= LINES_KEPT_MAX) kept.clear();
    entry = Object.freeze(parse(line));
    kept.set(line, entry);
  }
  return entry;
}

function ringEntries(files: ReplicaView, name: 'group.file' | 'separation.file'): readonly RingEntry[] {
  return cachedEntries(RING_CACHE[name], files[name], (lines) => {
    const entries = lines.map((line) => lineEntry(RING_LINES, line, (l) => ringEntryOf(l, name)));
    // Sorting (stable) keeps ring order even if a caller built the lines by hand out of order.
    return entries.sort((a, b) => a.no - b.no);
  });
}

/** groupEntries lists the running servers in ring order (ascending No.), Sec. 2.4; the entries are frozen and shared. */
export function groupEntries(files: ReplicaView): readonly RingEntry[] {
  return ringEntries(files, 'group.file');
}

const RUNNING_SERVERS = new WeakMap<readonly RingEntry[], readonly string[]>();

/** runningServersOf is groupEntries' servers in ring order: one frozen array per group file state, shared by every replica that reads it. */
export function runningServersOf(files: ReplicaView): readonly string[] {
  const entries = groupEntries(files);
  let servers = RUNNING_SERVERS.get(entries);
  if (servers === undefined) RUNNING_SERVERS.set(entries, (servers = Object.freeze(entries.map((e) => e.server))));
  return servers;
}

const RING_POSITIONS = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/** ringPosition is servers.indexOf(server) for a frozen list (runningServersOf), through an index built once per list. */
export function ringPosition(servers: readonly string[], server: string): number {
  if (servers.length < INDEXED_FROM_LINES) return servers.indexOf(server);
  let at = RING_POSITIONS.get(servers);
  if (at === undefined) RING_POSITIONS.set(servers, (at = new Map(servers.map((s, i) => [s, i] as const).reverse())));
  return at.get(server) ?? -1;
}

/** separationEntries lists the servers judged failed and moved out of the group file, by No.; the entries are frozen and shared. */
export function separationEntries(files: ReplicaView): readonly RingEntry[] {
  return ringEntries(files, 'separation.file');
}

const GROUP_LINES = new WeakMap<readonly RingEntry[], ReadonlyMap<string, string>>();

/** runningLineOf is server's line in the group file (it is running), or undefined when it is not there; indexed once per group file state, as groupEntries. */
export function runningLineOf(files: ReplicaView, server: string): string | undefined {
  const entries = groupEntries(files);
  let byServer = GROUP_LINES.get(entries);
  if (byServer === undefined) {
    const lines = new Map<string, string>();
    // The first line of a server wins, as a scan's would.
    for (const line of files['group.file']) {
      // Each line's entry, parsed by groupEntries just now, is looked up rather than the line split again.
      const running = lineEntry(RING_LINES, line, (l) => ringEntryOf(l, 'group.file')).server;
      if (!lines.has(running)) lines.set(running, line);
    }
    GROUP_LINES.set(entries, (byServer = lines));
  }
  return byServer.get(server);
}

/** heartbeatLineOf is server's line of the heartbeat file, or undefined; read at every tick, so it is found through an index in a long file (key-index.ts). */
export function heartbeatLineOf(files: ReplicaView, server: string): string | undefined {
  return lineWithKey(files['heartbeat.file'], server);
}

/** heartbeatUnixS is the UNIX second of server's last healthy internal check (Sec. 4.1), or null. */
export function heartbeatUnixS(files: ReplicaView, server: string): number | null {
  return stampOf(heartbeatLineOf(files, server), server);
}

/** stampOf is the UNIX second a heartbeat line of server holds (heartbeatUnixS), or null for no line. */
export function stampOf(line: string | undefined, server: string): number | null {
  if (line === undefined) return null;
  const unixS = Number(line.slice(server.length + 1));
  if (!Number.isSafeInteger(unixS)) throw new Error(`heartbeat.file holds a malformed line ${JSON.stringify(line)}`);
  return unixS;
}

/** problemEntries lists the virtual servers currently standing in for failed servers; the entries are frozen and shared. */
export function problemEntries(files: ReplicaView): readonly ProblemEntry[] {
  return cachedEntries(PROBLEM_CACHE, files['problem.file'], (lines) => lines.map((line) => lineEntry(PROBLEM_LINES, line, problemEntryOf)));
}

/** problemEntryOf parses one problem file line (virtual server, trouble server, host). */
export function problemEntryOf(line: string): ProblemEntry {
  const [virtualServer, trouble, hostServer] = columnsOf(line, 3, 'problem.file') as [string, string, string];
  return { virtualServer, trouble, host: hostServer };
}

function checked(name: ManagementFileName, line: string): string {
  // The builders only ever get values from parsed input; a bad one is a programming error.
  try {
    return parseManagementLine(name, line, `<${name} line builder>`, null);
  } catch (e) {
    throw new Error(e instanceof Error ? e.message : String(e));
  }
}

/** groupLine builds a group (or separation) file line, `1 Mail Mail.dat`. */
export function groupLine(no: number, server: string, dataFile: string): string {
  return checked('group.file', `${no} ${server} ${dataFile}`);
}

/** heartbeatLine builds a heartbeat file line, `Mail 1622708875`. */
export function heartbeatLine(server: string, unixS: number): string {
  if (!Number.isSafeInteger(unixS) || unixS < 0) throw new Error(`heartbeatLine: ${unixS} is not whole UNIX seconds`);
  if (!isHostName(server)) throw new Error(`heartbeatLine: ${JSON.stringify(server)} is not a host name`);
  return `${server} ${unixS}`;
}

/** problemLine builds a problem file line, `FTPb FTP Web2` (virtual server, trouble server, host). */
export function problemLine(virtualServer: string, trouble: string, hostServer: string): string {
  return checked('problem.file', `${virtualServer} ${trouble} ${hostServer}`);
}

/**
 * initialFiles is the state the file management server hands out at system start (Sec. 3.2):
 * every server running (in the group file, by No.), nothing separated, no problem, and a
 * heartbeat line per server stamped unixS.
 */
export function initialFiles(ring: readonly RingEntry[], unixS: number): ManagementFiles {
  const sorted = [...ring].sort((a, b) => a.no - b.no);
  const servers = new Set(sorted.map((e) => e.server));
  const nos = new Set(sorted.map((e) => e.no));
  if (servers.size !== sorted.length || nos.size !== sorted.length) {
    throw new Error(`initialFiles: ring repeats a server or a No.: ${JSON.stringify(ring)}`);
  }
  return {
    'group.file': sorted.map((e) => groupLine(e.no, e.server, e.dataFile)),
    'separation.file': [],
    'heartbeat.file': sorted.map((e) => heartbeatLine(e.server, unixS)),
    'problem.file': [],
  };
}

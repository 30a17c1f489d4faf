// The hardened ring's SEM payloads on the wire (core/program/sem-ledger.ts, semResync): a commit's
// stamp and its sender's version vector, and the records and snapshot of a resync answer. Two
// steps, as for the paper's records: the check* functions test the shape of an authenticated
// frame's JSON (types, counts, lengths) before anything is acted on, and the from* functions read
// the content with the management files' own parsers (parseDiff for Diff.dat records,
// parseManagementFile for whole files), throwing an InputError for a bad line.
import { STORED_FILE_NAMES, formatManagementFile, parseManagementFile, parseManagementLine } from '../../core/model/management-files.ts';
import type { ManagementFiles, StoredFileName } from '../../core/model/management-files.ts';
import { formatDiff, parseDiff } from '../../core/model/sem.ts';
import type { SemEdit } from '../../core/model/sem.ts';
import { isHostName } from '../../core/model/validate.ts';
import type { LineTime, SemAnswer, SemRecord, SemStamp, Versions } from '../../core/program/sem-ledger.ts';

/** WireVersions is a version vector as sent: server name to the stamp of the last record applied. */
export type WireVersions = Record<string, SemStamp>;

/** WireRecord is one logged commit in an answer: its edits as Diff.dat records (Sec. 3.1). */
export interface WireRecord {
  sender: string;
  stamp: SemStamp;
  body: string[];
  deps?: WireVersions;
}

/** WireSnapshot is a peer's whole files, each in its file format (Fig. 4), and its version vector. */
export interface WireSnapshot {
  files: Record<StoredFileName, string>;
  versions: WireVersions;
  /** lines are the line times of the files (sem-ledger.ts LineTime) as [file, line, lt, sender]. */
  lines?: WireLineTime[];
}

export type WireLineTime = [StoredFileName, string, number, string];

/** SemCommit is one commit of a peer as the transport delivers it: one semEdits event. */
export interface SemCommit {
  edits: readonly SemEdit[];
  stamp: SemStamp;
  versions: Versions;
}

/** MAX_EDITS is the most edits one commit may carry; a commit of the ring is a handful. */
export const MAX_EDITS = 256;
/** MAX_VERSIONS is the most servers a version vector may name. */
export const MAX_VERSIONS = 1024;
/** MAX_RECORD_CHARS bounds one Diff.dat record, as for the paper's edit messages. */
const MAX_RECORD_CHARS = 4096;
/** MAX_FILE_CHARS bounds one management file of a snapshot. */
const MAX_FILE_CHARS = 32_768;
/** MAX_LINE_TIMES bounds the line times that go with a snapshot or handed files. */
export const MAX_LINE_TIMES = 16_384;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOnly = (o: Obj, keys: readonly string[]): boolean => Object.keys(o).every((k) => keys.includes(k));
/** isCount accepts the integers a stamp holds: epochs (µs) and sequence numbers, never negative. */
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** checkStamp accepts `{ epoch, seq }` or `{ epoch, seq, lt }` (the Lamport time, sem-ledger.ts) of non-negative integers and nothing else. */
export function checkStamp(v: unknown): SemStamp | null {
  if (!isObject(v) || !hasOnly(v, ['epoch', 'seq', 'lt']) || !isCount(v.epoch) || !isCount(v.seq)) return null;
  if (v.lt === undefined) return { epoch: v.epoch, seq: v.seq };
  return isCount(v.lt) ? { epoch: v.epoch, seq: v.seq, lt: v.lt } : null;
}

/** checkVersions accepts a version vector: at most MAX_VERSIONS host names, each with a stamp. */
export function checkVersions(v: unknown): WireVersions | null {
  if (!isObject(v)) return null;
  const entries = Object.entries(v);
  if (entries.length > MAX_VERSIONS) return null;
  const out: WireVersions = {};
  for (const [name, stamp] of entries) {
    const s = checkStamp(stamp);
    if (!isHostName(name) || s === null) return null;
    out[name] = s;
  }
  return out;
}

/** checkBody accepts a commit's edits as Diff.dat record texts (parsed later by fromWireBody). */
export function checkBody(v: unknown): string[] | null {
  if (!Array.isArray(v) || v.length > MAX_EDITS) return null;
  return v.every((x) => typeof x === 'string' && x.length <= MAX_RECORD_CHARS) ? (v as string[]) : null;
}

/** checkRecord accepts the shape of one record of an answer. */
export function checkRecord(v: unknown): WireRecord | null {
  if (!isObject(v) || !hasOnly(v, ['sender', 'stamp', 'body', 'deps'])) return null;
  const stamp = checkStamp(v.stamp);
  const body = checkBody(v.body);
  const deps = v.deps === undefined ? undefined : checkVersions(v.deps);
  if (typeof v.sender !== 'string' || !isHostName(v.sender) || stamp === null || body === null || deps === null) return null;
  return deps === undefined ? { sender: v.sender, stamp, body } : { sender: v.sender, stamp, body, deps };
}

/** checkSnapshot accepts the four stored files as texts and a version vector. */
export function checkSnapshot(v: unknown): WireSnapshot | null {
  if (!isObject(v) || !hasOnly(v, ['files', 'versions', 'lines']) || !isObject(v.files) || !hasOnly(v.files, STORED_FILE_NAMES)) return null;
  const versions = checkVersions(v.versions);
  if (versions === null) return null;
  const lines = v.lines === undefined ? undefined : checkLineTimes(v.lines);
  if (lines === null) return null;
  const files = {} as Record<StoredFileName, string>;
  for (const name of STORED_FILE_NAMES) {
    const text = v.files[name];
    if (typeof text !== 'string' || text.length > MAX_FILE_CHARS) return null;
    files[name] = text;
  }
  return lines === undefined ? { files, versions } : { files, versions, lines: lines.map(toWireLineTime) };
}

/**
 * checkLineTimes accepts at most MAX_LINE_TIMES line times as [file, line, lt, sender]: a stored
 * file, a valid line of it (parsed as the files are), a Lamport time and a host name.
 */
export function checkLineTimes(v: unknown): LineTime[] | null {
  if (!Array.isArray(v) || v.length > MAX_LINE_TIMES) return null;
  const out: LineTime[] = [];
  for (const t of v as unknown[]) {
    if (!Array.isArray(t) || t.length !== 4) return null;
    const [file, line, lt, sender] = t as unknown[];
    if (!(STORED_FILE_NAMES as readonly unknown[]).includes(file) || typeof line !== 'string' || line.length > 256 || !isCount(lt) || typeof sender !== 'string' || !isHostName(sender)) return null;
    try {
      out.push({ file: file as StoredFileName, line: parseManagementLine(file as StoredFileName, line, 'line time', null), lt, sender });
    } catch {
      return null;
    }
  }
  return out;
}

export function toWireLineTime(l: LineTime): WireLineTime {
  return [l.file, l.line, l.lt, l.sender];
}

/** toWireBody writes edits as Diff.dat records. */
export function toWireBody(edits: readonly SemEdit[]): string[] {
  return edits.map(formatDiff);
}

/** fromWireBody parses Diff.dat records received from `where` (a bad one throws an InputError). */
export function fromWireBody(body: readonly string[], where: string): SemEdit[] {
  return body.map((text, i) => parseDiff(text, where, i + 1));
}

export function toWireRecord(record: SemRecord): WireRecord {
  const { epoch, seq, lt } = record.stamp;
  const wire: WireRecord = { sender: record.sender, stamp: lt === undefined ? { epoch, seq } : { epoch, seq, lt }, body: toWireBody(record.edits) };
  if (record.deps !== undefined) wire.deps = { ...record.deps };
  return wire;
}

export function fromWireRecord(wire: WireRecord, where: string): SemRecord {
  const edits = fromWireBody(wire.body, `${where} (record ${wire.sender} ${wire.stamp.epoch}/${wire.stamp.seq})`);
  return wire.deps === undefined ? { sender: wire.sender, stamp: wire.stamp, edits } : { sender: wire.sender, stamp: wire.stamp, edits, deps: wire.deps };
}

export function toWireSnapshot(snapshot: { files: ManagementFiles; versions: Versions; lines?: readonly LineTime[] }): WireSnapshot {
  const files = {} as Record<StoredFileName, string>;
  for (const name of STORED_FILE_NAMES) files[name] = formatManagementFile(snapshot.files[name]);
  const wire: WireSnapshot = { files, versions: { ...snapshot.versions } };
  if (snapshot.lines !== undefined) wire.lines = snapshot.lines.map(toWireLineTime);
  return wire;
}

/** fromWireSnapshot parses each file as the file store does (line syntax, ring order, unique keys). */
export function fromWireSnapshot(wire: WireSnapshot, where: string): { files: ManagementFiles; versions: Versions; lines?: LineTime[] } {
  const files = {} as ManagementFiles;
  for (const name of STORED_FILE_NAMES) files[name] = parseManagementFile(name, wire.files[name], `${where} ${name}`);
  if (wire.lines === undefined) return { files, versions: wire.versions };
  return { files, versions: wire.versions, lines: wire.lines.map(([file, line, lt, sender]) => ({ file, line, lt, sender })) };
}

/** fromWireAnswer reads one part of an answer; every record and file is parsed, or it throws. */
export function fromWireAnswer(records: readonly WireRecord[], snapshot: WireSnapshot | null, where: string): SemAnswer {
  return { records: records.map((r) => fromWireRecord(r, where)), snapshot: snapshot === null ? null : fromWireSnapshot(snapshot, where) };
}

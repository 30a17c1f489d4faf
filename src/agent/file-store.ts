// The management files on this server's disk (Sec. 2.4, Fig. 4), in the paper's formats: one
// file per management file, one line per entry. Each file is replaced atomically
// (atomic-file.ts), and the edits of a write are first recorded in Diff.dat (the SEM record
// format of Sec. 3.1), so that a crash between two files of one edit (group.file written,
// separation.file not yet) is repaired at start by applying Diff.dat again: SEM edits are
// idempotent (sem.ts), so applying one twice changes nothing. When the edits of a write are not
// known (files that arrived whole, records the hardened ring's ledger applied in its own order),
// Diff.dat holds the lines the write removes and adds instead, which repairs the same way.
//
// A manager that sends its files (A6) in the hardened ring sends its SEM version vector with them
// (VERSIONS_FILE, sem-ledger.ts), tied to the exact files by their SHA-256: load hands it on only
// with those files, once, so a vector never describes files other than its own. The manager's
// watch of separated servers (readmission, SegmentWatch.handover) goes the same way (WATCH_FILE).
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { formatManagementFile, parseManagementFile, STORED_FILE_NAMES } from '../core/model/management-files.ts';
import type { ManagementFiles, ReplicaView, StoredFileName } from '../core/model/management-files.ts';
import { applyEdit, formatDiff, parseDiff } from '../core/model/sem.ts';
import type { SemEdit } from '../core/model/sem.ts';
import type { SegmentSince } from '../core/program/events.ts';
import type { LineTime, Versions } from '../core/program/sem-ledger.ts';
import { removeStaleTemps, writeFileAtomic } from '../drivers/atomic-file.ts';
import { checkLineTimes, checkVersions, toWireLineTime } from '../drivers/net/sem-payload.ts';
import { isHostName } from '../core/model/validate.ts';

/** JOURNAL_FILE holds the edits of a write in progress, as Diff.dat records. */
export const JOURNAL_FILE = 'Diff.dat';
/** FLAG_FILE is the executor's flag (Sec. 3.2): the program runs while it exists. */
export const FLAG_FILE = 'flag';
/** VERSIONS_FILE holds the SEM version vector sent with the files (hardened ring), as JSON. */
export const VERSIONS_FILE = 'sem-versions.json';
/** WATCH_FILE holds the sender's watch of separated servers sent with the files (hardened ring, readmission), as JSON. */
export const WATCH_FILE = 'segment-watch.json';
/** MAX_WATCH bounds the servers a watch names (one per server of the ring at most). */
const MAX_WATCH = 16_384;

export interface FileStoreOptions {
  dir: string;
  /** holdAfterTempMs pauses each write after its temporary file (crash tests only). */
  holdAfterTempMs?: number;
}

/** LoadedFiles is what load found: the files, how many journal edits it applied again, and the version vector sent with them. */
export interface LoadedFiles {
  files: ManagementFiles;
  replayed: number;
  /** versions is the sender's SEM version vector for exactly these files, or null. */
  versions: Versions | null;
  /** lines are the sender's line times for these files (sem-ledger.ts), empty without a vector. */
  lines: LineTime[];
  /** versionsIgnored says why a VERSIONS_FILE present was not used, or null. */
  versionsIgnored: string | null;
  /** watch is the sender's watch of separated servers for these files (WATCH_FILE), empty without one. */
  watch: SegmentSince[];
  /** watchIgnored says why a WATCH_FILE present was not used, or null. */
  watchIgnored: string | null;
}

/** filesDigest is the SHA-256 of the four files' texts, which ties a version vector to them. */
export function filesDigest(texts: Readonly<Record<StoredFileName, string>>): string {
  const hash = createHash('sha256');
  for (const name of STORED_FILE_NAMES) hash.update(`${name}\n${texts[name].length}\n${texts[name]}`);
  return hash.digest('hex');
}

/** versionsFileText is the VERSIONS_FILE a manager sends beside files (sendFiles, A6). */
export function versionsFileText(files: ReplicaView, versions: Versions, lines: readonly LineTime[]): string {
  return `${JSON.stringify({ files: filesDigest(textsOf(files)), versions, lines: lines.map(toWireLineTime) })}\n`;
}

/** watchFileText is the WATCH_FILE a manager sends beside files (sendFiles, A6), tied to them like VERSIONS_FILE. */
export function watchFileText(files: ReplicaView, watch: readonly SegmentSince[]): string {
  return `${JSON.stringify({ files: filesDigest(textsOf(files)), watch: watch.map((w) => [w.server, w.sinceUs]) })}\n`;
}

function textsOf(files: ReplicaView): Record<StoredFileName, string> {
  const texts = {} as Record<StoredFileName, string>;
  for (const name of STORED_FILE_NAMES) texts[name] = formatManagementFile(files[name]);
  return texts;
}

/** checkWatch accepts at most MAX_WATCH entries [host name, µs since the epoch], or returns null. */
function checkWatch(v: unknown): SegmentSince[] | null {
  if (!Array.isArray(v) || v.length > MAX_WATCH) return null;
  const out: SegmentSince[] = [];
  for (const e of v as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2) return null;
    const [server, sinceUs] = e as unknown[];
    if (typeof server !== 'string' || !isHostName(server) || typeof sinceUs !== 'number' || !Number.isSafeInteger(sinceUs) || sinceUs < 0) return null;
    out.push({ server, sinceUs });
  }
  return out;
}

export class FileStore {
  private written: Partial<Record<StoredFileName, string>> = {};
  private pendingSnapshot: ManagementFiles | null = null;
  private pendingEdits: SemEdit[] = [];
  private pendingAll = false;
  private writing: Promise<void> | null = null;
  private lastError: Error | null = null;

  constructor(private readonly opts: FileStoreOptions) {}

  get dir(): string {
    return this.opts.dir;
  }

  /** prepare makes the directory and removes temporary files a killed writer left. */
  async prepare(): Promise<string[]> {
    await mkdir(this.opts.dir, { recursive: true, mode: 0o750 });
    return removeStaleTemps(this.opts.dir);
  }

  /**
   * load reads the four stored files, or returns null when any is missing (standby, Fig. 7(a):
   * no files yet). group.file is the last file a transfer writes (sendFiles), so its presence
   * with the others means a whole set. A bad line is an InputError naming file and line.
   */
  async load(): Promise<LoadedFiles | null> {
    const texts: Partial<Record<StoredFileName, string>> = {};
    for (const name of STORED_FILE_NAMES) {
      const text = await readFile(join(this.opts.dir, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (text === null) return null;
      texts[name] = text;
    }
    const files = {} as ManagementFiles;
    for (const name of STORED_FILE_NAMES) files[name] = parseManagementFile(name, texts[name] ?? '', join(this.opts.dir, name));
    const journalPath = join(this.opts.dir, JOURNAL_FILE);
    const journal = await readFile(journalPath, 'utf8').catch(() => '');
    let replayed = 0;
    journal.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      applyEdit(files, parseDiff(line, journalPath, i + 1));
      replayed += 1;
    });
    const { versions, lines, ignored } = await this.takeVersions(texts as Record<StoredFileName, string>, replayed);
    const watch = await this.takeWatch(texts as Record<StoredFileName, string>, replayed);
    for (const name of STORED_FILE_NAMES) this.written[name] = texts[name];
    if (replayed > 0) {
      // The edits are now in every file (a crash here leaves Diff.dat, applied again next time).
      await this.writeAll(files, []);
      await unlink(journalPath).catch(() => undefined);
    }
    return { files, replayed, versions, lines, versionsIgnored: ignored, watch: watch.watch, watchIgnored: watch.ignored };
  }

  /**
   * takeVersions reads VERSIONS_FILE and removes it: it is used once, and only when it was sent
   * with exactly the files read (no Diff.dat edits applied since); otherwise the reason is returned.
   */
  private async takeVersions(texts: Record<StoredFileName, string>, replayed: number): Promise<{ versions: Versions | null; lines: LineTime[]; ignored: string | null }> {
    const path = join(this.opts.dir, VERSIONS_FILE);
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === null) return { versions: null, lines: [], ignored: null };
    await unlink(path).catch(() => undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { versions: null, lines: [], ignored: `${VERSIONS_FILE} is not JSON` };
    }
    const o = (typeof value === 'object' && value !== null ? value : {}) as { files?: unknown; versions?: unknown; lines?: unknown };
    const versions = checkVersions(o.versions);
    const lines = checkLineTimes(o.lines ?? []);
    if (versions === null || lines === null || typeof o.files !== 'string') return { versions: null, lines: [], ignored: `${VERSIONS_FILE} is not { files, versions, lines }` };
    if (replayed > 0 || o.files !== filesDigest(texts)) return { versions: null, lines: [], ignored: `${VERSIONS_FILE} was sent with other files` };
    return { versions, lines, ignored: null };
  }

  /** takeWatch reads WATCH_FILE and removes it, as takeVersions does VERSIONS_FILE. */
  private async takeWatch(texts: Record<StoredFileName, string>, replayed: number): Promise<{ watch: SegmentSince[]; ignored: string | null }> {
    const path = join(this.opts.dir, WATCH_FILE);
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === null) return { watch: [], ignored: null };
    await unlink(path).catch(() => undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { watch: [], ignored: `${WATCH_FILE} is not JSON` };
    }
    const o = (typeof value === 'object' && value !== null ? value : {}) as { files?: unknown; watch?: unknown };
    const watch = checkWatch(o.watch);
    if (watch === null || typeof o.files !== 'string') return { watch: [], ignored: `${WATCH_FILE} is not { files, watch }` };
    if (replayed > 0 || o.files !== filesDigest(texts)) return { watch: [], ignored: `${WATCH_FILE} was sent with other files` };
    return { watch, ignored: null };
  }

  /**
   * save asks for the snapshot to be written, with the edits that made it (or "all" when the
   * files arrived whole). Writes run one at a time; requests made during a write are merged into
   * the next one, whose snapshot is the latest. The promise resolves when that write is done.
   */
  save(snapshot: ManagementFiles, edits: readonly SemEdit[] | 'all'): Promise<void> {
    this.pendingSnapshot = snapshot;
    if (edits === 'all') this.pendingAll = true;
    else this.pendingEdits.push(...edits);
    this.writing ??= this.loop().finally(() => {
      this.writing = null;
    });
    return this.writing.then(() => {
      if (this.lastError !== null) throw this.lastError;
    });
  }

  /** flushed resolves once no write is under way. */
  async flushed(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  /** writeSet writes a whole set of files (bootstrap), group.file last. */
  async writeSet(files: ManagementFiles): Promise<void> {
    await this.writeAll(files, []);
  }

  /** flagPath is where the executor's flag file is (Sec. 3.2): the program runs while it exists. */
  flagPath(): string {
    return join(this.opts.dir, FLAG_FILE);
  }

  private async loop(): Promise<void> {
    while (this.pendingSnapshot !== null) {
      const snapshot = this.pendingSnapshot;
      const edits = this.pendingAll ? [] : this.pendingEdits;
      this.pendingSnapshot = null;
      this.pendingEdits = [];
      this.pendingAll = false;
      try {
        await this.writeAll(snapshot, edits);
        this.lastError = null;
      } catch (error) {
        this.lastError = error as Error;
      }
    }
  }

  private async writeAll(files: ManagementFiles, edits: readonly SemEdit[]): Promise<void> {
    const journalPath = join(this.opts.dir, JOURNAL_FILE);
    const changed = ORDER.filter((name) => this.written[name] !== formatManagementFile(files[name]));
    if (changed.length === 0) return;
    const hold = this.opts.holdAfterTempMs ?? 0;
    const faults = hold > 0 ? { afterTempWrite: () => new Promise<void>((resolve) => setTimeout(resolve, hold)) } : undefined;
    // Without the edits, the lines removed and added are the journal (only over a whole set written before).
    const whole = STORED_FILE_NAMES.every((name) => this.written[name] !== undefined);
    const journal = edits.length > 0 ? edits : whole ? lineChanges(this.written as Record<StoredFileName, string>, files, changed) : [];
    const journaled = journal.length > 0 && changed.length > 1;
    if (journaled) await writeFileAtomic(journalPath, journal.map((e) => `${formatDiff(e)}\n`).join(''));
    for (const name of changed) {
      const text = formatManagementFile(files[name]);
      await writeFileAtomic(join(this.opts.dir, name), text, faults === undefined ? {} : { faults });
      this.written[name] = text;
    }
    if (journaled) await unlink(journalPath).catch(() => undefined);
  }
}

/** lineChanges lists, as SEM edits, the lines each changed file loses (Del) and gains (Add). */
function lineChanges(before: Readonly<Record<StoredFileName, string>>, files: ManagementFiles, changed: readonly StoredFileName[]): SemEdit[] {
  const edits: SemEdit[] = [];
  for (const file of changed) {
    const old = new Set(before[file].split('\n').filter((line) => line !== ''));
    const now = new Set(files[file]);
    for (const line of old) if (!now.has(line)) edits.push({ file, op: 'Del', line });
    for (const line of now) if (!old.has(line)) edits.push({ file, op: 'Add', line });
  }
  return edits;
}

/** ORDER writes group.file last, so that a reader who finds it finds the others whole too. */
const ORDER: readonly StoredFileName[] = ['separation.file', 'heartbeat.file', 'problem.file', 'group.file'];

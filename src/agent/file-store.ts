// The management files on this server's disk (Sec. 2.4, Fig. 4), in the paper's formats: one
// file per management file, one line per entry. Each file is replaced atomically
// (atomic-file.ts), and the edits of a write are first recorded in Diff.dat (the SEM record
// format of Sec. 3.1), so that a crash between two files of one edit (group.file written,
// separation.file not yet) is repaired at start by applying Diff.dat again: SEM edits are
// idempotent (sem.ts), so applying one twice changes nothing.
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { formatManagementFile, parseManagementFile, STORED_FILE_NAMES } from '../core/model/management-files.ts';
import type { ManagementFiles, StoredFileName } from '../core/model/management-files.ts';
import { applyEdit, formatDiff, parseDiff } from '../core/model/sem.ts';
import type { SemEdit } from '../core/model/sem.ts';
import { removeStaleTemps, writeFileAtomic } from '../drivers/atomic-file.ts';

/** JOURNAL_FILE holds the edits of a write in progress, as Diff.dat records. */
export const JOURNAL_FILE = 'Diff.dat';
/** FLAG_FILE is the executor's flag (Sec. 3.2): the program runs while it exists. */
export const FLAG_FILE = 'flag';

export interface FileStoreOptions {
  dir: string;
  /** holdAfterTempMs pauses each write after its temporary file (crash tests only). */
  holdAfterTempMs?: number;
}

/** LoadedFiles is what load found: the files, and how many journal edits it applied again. */
export interface LoadedFiles {
  files: ManagementFiles;
  replayed: number;
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
    for (const name of STORED_FILE_NAMES) this.written[name] = texts[name];
    if (replayed > 0) {
      // The edits are now in every file (a crash here leaves Diff.dat, applied again next time).
      await this.writeAll(files, []);
      await unlink(journalPath).catch(() => undefined);
    }
    return { files, replayed };
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
    const journaled = edits.length > 0 && changed.length > 1;
    if (journaled) await writeFileAtomic(journalPath, edits.map((e) => `${formatDiff(e)}\n`).join(''));
    for (const name of changed) {
      const text = formatManagementFile(files[name]);
      await writeFileAtomic(join(this.opts.dir, name), text, faults === undefined ? {} : { faults });
      this.written[name] = text;
    }
    if (journaled) await unlink(journalPath).catch(() => undefined);
  }
}

/** ORDER writes group.file last, so that a reader who finds it finds the others whole too. */
const ORDER: readonly StoredFileName[] = ['separation.file', 'heartbeat.file', 'problem.file', 'group.file'];

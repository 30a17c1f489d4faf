// Output paths of the commands (--out, --logs, --report), created and checked before any work
// starts, so that a run of minutes never ends in ENOTDIR or EACCES with nothing written. Parents
// are made one level at a time: Node's recursive mkdir loops forever under /proc.
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { removeStaleTemps } from '../drivers/atomic-file.ts';
import { UsageError } from './usage-error.ts';

/**
 * OutputEntries says what a command writes under a name in its directory: a file it replaces, a
 * directory it writes in, a link it replaces (anything but a directory), or null for names it
 * leaves alone.
 */
export type OutputEntries = (name: string) => 'file' | 'directory' | 'link' | null;

/**
 * prepareOutputDir makes dir and its missing parents, checks that a file can be created in it,
 * that what is there already under the names the command writes (entries) can be replaced or
 * written in, and removes the temporary files that killed writers left there. It returns dir;
 * every problem is one UsageError naming the flag and the path, before anything is written.
 */
export async function prepareOutputDir(flag: string, dir: string, entries: OutputEntries = () => null): Promise<string> {
  if (dir.trim() === '') throw new UsageError(`${flag}: expected a directory, got an empty string`);
  const full = resolve(dir);
  const { root } = parse(full);
  let at = root;
  for (const part of full.slice(root.length).split('/').filter((p) => p !== '')) {
    at = join(at, part);
    makeDirectory(flag, dir, at);
  }
  checkWritable(flag, dir);
  checkEntries(flag, dir, entries);
  // Another dbss may be writing here now: only the temporary files of writers that are gone go.
  await removeStaleTemps(dir, { deadWritersOnly: true });
  return dir;
}

/** prepareOutputFile checks that file can be written: its directory is prepared, and the file, if there, is a regular file. */
export async function prepareOutputFile(flag: string, file: string): Promise<string> {
  if (file.trim() === '' || file.endsWith('/')) throw new UsageError(`${flag}: expected a file name, got ${JSON.stringify(file)}`);
  await prepareOutputDir(flag, dirname(file));
  const kind = kindOf(flag, file);
  if (kind !== null && kind !== 'a file') throw new UsageError(`${flag}: expected a file to write, got ${JSON.stringify(file)}: ${kind}`);
  return file;
}

/** checkEntries refuses a directory where a file is written (a rename over it fails), and a file where a directory is. */
function checkEntries(flag: string, dir: string, entries: OutputEntries): void {
  for (const name of readdirSync(dir)) {
    const want = entries(name);
    if (want === null) continue;
    const path = join(dir, name);
    if (want === 'link') {
      if (lstatSync(path).isDirectory()) throw new UsageError(`${flag}: expected ${JSON.stringify(path)} to be a link dbss can replace, got a directory`);
      continue;
    }
    const kind = kindOf(flag, path);
    const expected = want === 'file' ? 'a file' : 'a directory';
    if (kind !== null && kind !== expected) throw new UsageError(`${flag}: expected ${JSON.stringify(path)} to be ${expected} dbss can ${want === 'file' ? 'replace' : 'write in'}, got ${kind}`);
  }
}

/** writesFiles is the OutputEntries of a command that writes only files in its directory: the names, or names like a pattern. */
export function writesFiles(...names: (string | RegExp)[]): OutputEntries {
  return (name) => (names.some((n) => (typeof n === 'string' ? n === name : n.test(name))) ? 'file' : null);
}

function makeDirectory(flag: string, given: string, path: string): void {
  const kind = kindOf(flag, path);
  if (kind === 'a directory') return;
  if (kind !== null) throw new UsageError(`${flag}: expected a directory, got ${JSON.stringify(given)}: ${path} is ${kind}`);
  try {
    mkdirSync(path);
  } catch (e) {
    if (codeOf(e) === 'EEXIST' && kindOf(flag, path) === 'a directory') return;
    // statSync follows links, so a link to nothing looked absent, and mkdir finds the link itself.
    const why = codeOf(e) === 'EEXIST' && lstatSync(path).isSymbolicLink() ? 'a symbolic link to nothing' : failure(e);
    throw new UsageError(`${flag}: expected a directory that can be created, got ${JSON.stringify(given)}: ${path}: ${why}`);
  }
}

/** checkWritable creates and removes an empty file: permission bits alone say nothing for root or a read-only file system. */
function checkWritable(flag: string, dir: string): void {
  const probe = join(dir, `.dbss-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`${flag}: expected a directory dbss can write in, got ${JSON.stringify(dir)}: ${failure(e)}`);
  }
}

function kindOf(flag: string, path: string): 'a directory' | 'a file' | 'a special file' | null {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'a directory' : s.isFile() ? 'a file' : 'a special file';
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return null;
    if (codeOf(e) === 'ENOTDIR') return 'a file';
    throw new UsageError(`${flag}: expected a path dbss can examine, got ${JSON.stringify(path)}: ${codeOf(e) === 'ELOOP' ? 'a loop of symbolic links' : failure(e)}`);
  }
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function failure(e: unknown): string {
  switch (codeOf(e)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENOENT':
      return 'it cannot be created there';
    case 'ENOSPC':
      return 'no space left';
    default:
      return codeOf(e) || String(e);
  }
}

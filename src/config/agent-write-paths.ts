// The places the agent writes: its state directory (management files, flag file, status socket)
// and its log file. The agent makes what is missing (mkdir -p) and fails at its first write;
// `dbss agent check` says so before the start: an existing stateDir must be a directory, an
// existing logFile a regular file, and the nearest existing directory above each one this user
// may write into (on a read-only file system or under a file, no one may).
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentConfig } from '../agent/config.ts';
import { InputError } from '../core/model/input-error.ts';

/** writablePathProblems returns a problem for each of stateDir and logFile the agent could not write. */
export function writablePathProblems(config: AgentConfig): InputError[] {
  const problems: InputError[] = [];
  const state = problemOf(config.stateDir, 'directory');
  if (state !== null) problems.push(new InputError(config.stateDir, null, 'stateDir', 'a directory the agent may create and write (its management files, flag file and status socket)', state));
  const log = problemOf(config.logFile, 'file');
  if (log !== null) problems.push(new InputError(config.logFile, null, 'logFile', 'a file the agent may create and append to', log));
  return problems;
}

/** problemOf says why the agent could not write path as a kind, or null when it could. */
function problemOf(path: string, kind: 'directory' | 'file'): string | null {
  const info = statOrNull(path);
  if (info !== null) {
    if (kind === 'directory' && !info.isDirectory()) return 'not a directory';
    if (kind === 'file' && !info.isFile()) return info.isDirectory() ? 'a directory' : 'not a regular file';
    return writable(kind === 'directory' ? path : dirname(path), path);
  }
  // The nearest existing ancestor is where mkdir -p starts: it must be a directory one may write into.
  let above = dirname(path);
  let found = statOrNull(above);
  while (found === null) found = statOrNull((above = dirname(above)));
  if (!found.isDirectory()) return `under ${above}, which is not a directory`;
  return writable(above, path);
}

/** statOrNull is path's status, or null when nothing is there (ENOENT), or a file stands where a directory of it should (ENOTDIR). */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

/** writable is null when this user may create entries in dir, else why not. */
function writable(dir: string, path: string): string | null {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return dir === path ? `${code}: not writable` : `${code}: ${dir} is not writable`;
  }
}

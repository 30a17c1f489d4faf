// Management files on the local memory disk (Sec. 2.4, Fig. 4), written so that a crash or a
// SIGKILL at any instant leaves either the old file or the new one, never a mixture: the
// management servers edit these files constantly (SEM, Sec. 3.1) and read them every interval.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** mode of a newly created file (0o644 by default). */
  mode?: number;
  signal?: AbortSignal;
  /** faults lets tests fail the write at the one instant that matters: after the temp file, before the rename. */
  faults?: { afterTempWrite?: (tmpPath: string) => void | Promise<void> };
}

/** TMP_MARK marks the temporary files of writeFileAtomic: `.NAME.dbss-tmp-PID-RANDOM`. */
const TMP_MARK = '.dbss-tmp-';

/**
 * writeFileAtomic replaces path with data: it writes a temporary file in the same directory
 * (so that rename stays within one filesystem and is atomic), fsyncs it, renames it over path and
 * fsyncs the directory so that the rename itself survives a power cut. On any failure before
 * the rename the temporary file is removed and path is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  if (path === '' || path.endsWith('/')) throw new TypeError(`not a file path: ${JSON.stringify(path)}`);
  opts.signal?.throwIfAborted();
  const dir = dirname(path);
  const tmpPath = join(dir, `.${basename(path)}${TMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
  const file = await open(tmpPath, 'wx', opts.mode ?? 0o644);
  let renamed = false;
  try {
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await opts.faults?.afterTempWrite?.(tmpPath);
    opts.signal?.throwIfAborted();
    await rename(tmpPath, path);
    renamed = true;
  } finally {
    if (!renamed) await unlink(tmpPath).catch(() => undefined);
  }
  await fsyncDirectory(dir);
}

/** fsyncDirectory makes a rename in dir durable; Linux allows fsync on a directory opened read-only. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** TMP_NAME matches a temporary file's name and captures its writer's PID (names from SFTP writes, ssh.ts, carry none). */
const TMP_NAME = /^\..+\.dbss-tmp-(?:(\d+)-)?[0-9a-f]{12}$/;

/**
 * removeStaleTemps deletes temporary files that a killed writer left in dir and returns their
 * names. The target files are whole either way; this only tidies up. By default it removes every
 * one: meant for the agent's state directory at start-up, which one agent owns, before any writer
 * runs. With deadWritersOnly it removes only those whose writer (the PID in the name) is no
 * longer running, for directories another command may be writing into at the same moment.
 */
export async function removeStaleTemps(dir: string, opts: { deadWritersOnly?: boolean } = {}): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const match = TMP_NAME.exec(name);
    if (match === null) continue;
    if (opts.deadWritersOnly === true && (match[1] === undefined || isRunning(Number(match[1])))) continue;
    await unlink(join(dir, name)).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

/** isRunning tells whether a process with this PID exists (signal 0 checks without sending; EPERM: it exists, another user's). */
function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

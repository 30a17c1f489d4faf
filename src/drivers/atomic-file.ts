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
export const TMP_MARK = '.dbss-tmp-';

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

/**
 * removeStaleTemps deletes temporary files that a killed writer left in dir. The target files
 * are whole either way; this only tidies up, and is meant for start-up, before any writer runs.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (name.startsWith('.') && name.includes(TMP_MARK)) {
      await unlink(join(dir, name)).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}

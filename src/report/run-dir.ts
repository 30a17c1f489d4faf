// A run directory holds one `dbss sim --out DIR` invocation, as Jepsen's store/ does:
// DIR/<scenario>/<UTC time stamp>/ with a `latest` link beside the stamps pointing at the newest.
// One directory per invocation: a new run never lands beside an old one's files.
import { mkdir, rename, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** LATEST_LINK is the name of the link to the newest invocation of a scenario. */
export const LATEST_LINK = 'latest';

/** RunDirectory is where one invocation writes: scenarioDir holds the stamps, dir this invocation's. */
export interface RunDirectory {
  scenarioDir: string;
  stamp: string;
  dir: string;
}

/** timeStamp is a UTC time as a file name that sorts by time: 20261202T221617.123Z (no colons, for every file system). */
export function timeStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

/** safeDirName keeps a scenario name usable as one directory name: `name:` is already safe, a file name need not be. */
export function safeDirName(name: string): string {
  // At most 100 characters: a file name has 255 bytes, and a name need not be short.
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  return /^[A-Za-z0-9]/.test(safe) ? safe : `scenario${safe}`;
}

/**
 * makeRunDirectory creates base/<scenario>/<stamp>/ (base was prepared by prepareOutputDir) and
 * points `latest` at it. Two invocations in the same millisecond get stamp and stamp-2: mkdir
 * without recursion fails on an existing directory, so neither writes into the other's.
 */
export async function makeRunDirectory(base: string, scenarioName: string, at: Date): Promise<RunDirectory> {
  const scenarioDir = join(base, safeDirName(scenarioName));
  await mkdir(scenarioDir).catch((e: unknown) => {
    if (codeOf(e) !== 'EEXIST') throw e;
  });
  const first = timeStamp(at);
  for (let n = 1; n <= 100; n++) {
    const stamp = n === 1 ? first : `${first}-${n}`;
    const dir = join(scenarioDir, stamp);
    try {
      await mkdir(dir);
    } catch (e) {
      if (codeOf(e) === 'EEXIST') continue;
      throw e;
    }
    await pointLatest(scenarioDir, stamp);
    return { scenarioDir, stamp, dir };
  }
  throw new Error(`${scenarioDir}: 100 invocations started in the same millisecond ${first}`);
}

/** pointLatest replaces the link atomically (a new link renamed over the old), so a reader never finds it missing. */
async function pointLatest(scenarioDir: string, stamp: string): Promise<void> {
  const temporary = join(scenarioDir, `.${LATEST_LINK}.${process.pid}.${stamp}`);
  await symlink(stamp, temporary);
  try {
    await rename(temporary, join(scenarioDir, LATEST_LINK));
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    throw e;
  }
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

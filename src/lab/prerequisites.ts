// What the lab needs installed on the host, checked before anything is made, so that a missing
// package ends `dbss lab up` with one line naming it instead of a half-built lab.
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';

/** REQUIRED_PROGRAMS maps each program the lab runs to the Debian package that has it. */
export const REQUIRED_PROGRAMS: Readonly<Record<string, string>> = {
  ip: 'iproute2',
  ping: 'iputils-ping',
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-client',
  chronyd: 'chrony',
  chronyc: 'chrony',
};

const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** findProgram looks for an executable in the system directories (not $PATH: the lab runs as root). */
export async function findProgram(name: string): Promise<string | null> {
  for (const dir of SEARCH_DIRS) {
    const path = join(dir, name);
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/** missingPackages lists "program (Debian: package)" for every program that is not installed. */
export async function missingPackages(programs: Readonly<Record<string, string>> = REQUIRED_PROGRAMS): Promise<string[]> {
  const missing: string[] = [];
  for (const [program, pkg] of Object.entries(programs)) {
    if ((await findProgram(program)) === null) missing.push(`${program} (Debian: ${pkg})`);
  }
  return missing;
}

// The lab's time service: the paper's managers align their monitoring ticks on UNIX time kept by
// chrony (Sec. 3.2, Fig. 7(b)). One chronyd in dbss-infra is the time server on the management
// network; one chronyd per server follows it. Every chronyd runs with -x (never sets the clock:
// the namespaces share the host's clock, which is not the lab's to change) and with its own
// config, pid, drift and socket files under the lab directory, so the host's chrony is untouched.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { INFRA_MANAGEMENT_ADDRESS, LAB_ADDRESS_RANGE, type LabPaths, type LabServer } from './layout.ts';

export const CHRONYD_PROGRAM = '/usr/sbin/chronyd';

/** ChronyFiles are one chronyd's files; the socket is what chronyc -h talks to. */
export interface ChronyFiles {
  config: string;
  socket: string;
  pid: string;
  drift: string;
}

export function chronyFiles(paths: LabPaths, who: string): ChronyFiles {
  if (!/^[a-z0-9-]{1,20}$/.test(who)) throw new TypeError(`invalid chrony instance ${JSON.stringify(who)}`);
  const dir = join(paths.chronyDir, who);
  return { config: join(dir, 'chrony.conf'), socket: join(dir, 'chronyd.sock'), pid: join(dir, 'chronyd.pid'), drift: join(dir, 'chrony.drift') };
}

function common(files: ChronyFiles): string[] {
  return [`pidfile ${files.pid}`, `driftfile ${files.drift}`, `bindcmdaddress ${files.socket}`, 'cmdport 0'];
}

/**
 * The time server serves its own clock at stratum 8 (`local`) to the lab range only, bound to
 * the management address, the "time server" of Fig. 13's file management server.
 */
function serverConfig(files: ChronyFiles): string {
  return [
    '# dbss lab: time server in dbss-infra; generated, do not edit',
    ...common(files),
    `bindaddress ${INFRA_MANAGEMENT_ADDRESS}`,
    'local stratum 8',
    `allow ${LAB_ADDRESS_RANGE}`,
    '',
  ].join('\n');
}

/**
 * A server's chronyd polls the time server every 1-2 s (minpoll -1 maxpoll 1: the lab wants a
 * verdict in seconds, not minutes) and serves nobody (port 0).
 */
function clientConfig(files: ChronyFiles, server: LabServer): string {
  return [
    `# dbss lab: chronyd of ${server.name} (namespace ${server.ns}); generated, do not edit`,
    ...common(files),
    `server ${INFRA_MANAGEMENT_ADDRESS} iburst minpoll -1 maxpoll 1`,
    'port 0',
    'makestep 1 -1',
    '',
  ].join('\n');
}

/** prepareChrony writes the time server's and every server's chrony config. */
export async function prepareChrony(paths: LabPaths, servers: readonly LabServer[]): Promise<void> {
  // chronyd refuses a socket directory that others can reach.
  await mkdir(paths.chronyDir, { recursive: true, mode: 0o700 });
  const infra = chronyFiles(paths, 'infra');
  await mkdir(join(paths.chronyDir, 'infra'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(infra.config, serverConfig(infra));
  for (const server of servers) {
    const files = chronyFiles(paths, server.name.toLowerCase());
    await mkdir(join(paths.chronyDir, server.name.toLowerCase()), { recursive: true, mode: 0o700 });
    await writeFileAtomic(files.config, clientConfig(files, server));
  }
}

/** chronydArgs: -n stays in the foreground (the pid is chronyd's), -x never touches the clock, -u root keeps the lab's files readable. */
export function chronydArgs(files: ChronyFiles): string[] {
  return ['-n', '-x', '-u', 'root', '-f', files.config];
}

// Power and faults of one lab server. Booting gives the server its own addresses and starts
// sshd, chronyd and its service; powering off (fault Nt, Sec. 5.2: "the target server is shut
// down") kills everything in its namespace and takes its links down, so it answers nothing until
// the power controller boots it again on a magic packet (Sec. 2.1, Wake-on-LAN). Fault St kills
// the service only (Table 2: the service program fails, the server stays up).
import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { assertSafeAbsolutePath } from '../drivers/paths.ts';
import { chronyFiles, chronydArgs, CHRONYD_PROGRAM } from './chrony-setup.ts';
import { isDaemonRunning, killNamespace, removePidFiles, startDaemon, stopDaemon } from './daemons.ts';
import { GATEWAY_ADDRESS, PREFIX_LEN, SERVER_MANAGEMENT_IFACE, SERVER_SERVICE_IFACE, type LabPaths, type LabServer } from './layout.ts';
import { ipIn } from './netns.ts';
import { nodeScript } from './node-script.ts';
import { SSHD_PROGRAM, sshdArgs } from './ssh-setup.ts';

function role(server: LabServer, what: 'sshd' | 'chronyd' | 'service' | 'onboot'): string {
  return `${server.name.toLowerCase()}.${what}`;
}

/** serviceRole is the daemon whose death is St: sshd itself on Login, the service elsewhere. */
export function serviceRole(server: LabServer): string {
  return server.service === 'ssh' ? role(server, 'sshd') : role(server, 'service');
}

export function powerOffMarker(paths: LabPaths, server: LabServer): string {
  return join(paths.powerDir, `${server.name.toLowerCase()}.off`);
}

/**
 * restartRequestFile is where a server asks the power controller to restart it: the lab's
 * stand-in for `reboot` (the manager's restart command, Sec. 2.1), which must never reboot the
 * host itself. Writing it from inside the server's namespace is enough; the controller polls it.
 */
export function restartRequestFile(paths: LabPaths, server: LabServer): string {
  return join(paths.powerDir, `${server.name.toLowerCase()}.restart`);
}

/** configureLinks gives the server its own two addresses (no VIP: the managers move VIPs) and its route. */
async function configureLinks(server: LabServer): Promise<void> {
  for (const [iface, address] of [
    [SERVER_SERVICE_IFACE, server.serviceAddress],
    [SERVER_MANAGEMENT_IFACE, server.managementAddress],
  ] as const) {
    await ipIn(server.ns, ['addr', 'flush', 'dev', iface]);
    await ipIn(server.ns, ['addr', 'add', `${address}/${PREFIX_LEN}`, 'dev', iface]);
    await ipIn(server.ns, ['link', 'set', iface, 'up']);
  }
  await ipIn(server.ns, ['route', 'replace', 'default', 'via', GATEWAY_ADDRESS, 'dev', SERVER_SERVICE_IFACE]);
}

/** startService starts the server's service daemon (Login's service is its sshd, started with it). */
export async function startService(paths: LabPaths, server: LabServer): Promise<void> {
  if (server.service === 'ssh') {
    await startDaemon({ ns: server.ns, role: role(server, 'sshd'), program: SSHD_PROGRAM, args: sshdArgs(paths, server), pidDir: paths.pidDir, logDir: paths.logDir });
    return;
  }
  const script = nodeScript('services/lab-service.ts', ['--kind', server.service, '--name', server.name, '--port', String(server.servicePort), '--dir', paths.dir]);
  await startDaemon({ ns: server.ns, role: role(server, 'service'), program: script.program, args: script.args, pidDir: paths.pidDir, logDir: paths.logDir });
}

export interface BootOptions {
  /** onBoot is run in the namespace after the daemons, with the server name: where the agent starts. */
  onBoot: string | null;
}

/** bootServer powers the server on: links and addresses, then sshd, chronyd, the service and the onBoot hook. */
export async function bootServer(paths: LabPaths, server: LabServer, opts: BootOptions): Promise<void> {
  await configureLinks(server);
  if (server.service !== 'ssh') {
    await startDaemon({ ns: server.ns, role: role(server, 'sshd'), program: SSHD_PROGRAM, args: sshdArgs(paths, server), pidDir: paths.pidDir, logDir: paths.logDir });
  }
  const chrony = chronyFiles(paths, server.name.toLowerCase());
  await rm(chrony.socket, { force: true });
  await startDaemon({ ns: server.ns, role: role(server, 'chronyd'), program: CHRONYD_PROGRAM, args: chronydArgs(chrony), pidDir: paths.pidDir, logDir: paths.logDir });
  await startService(paths, server);
  if (opts.onBoot !== null) {
    assertSafeAbsolutePath(opts.onBoot, 'onBoot hook');
    await startDaemon({ ns: server.ns, role: role(server, 'onboot'), program: opts.onBoot, args: [server.name, paths.dir], pidDir: paths.pidDir, logDir: paths.logDir });
  }
  await rm(powerOffMarker(paths, server), { force: true });
}

/** isPoweredOff says whether the server was powered off (Nt) and not booted since. */
export async function isPoweredOff(paths: LabPaths, server: LabServer): Promise<boolean> {
  return access(powerOffMarker(paths, server)).then(
    () => true,
    () => false,
  );
}

/** powerOffServer is fault Nt: links down first (silence at once), then every process in the namespace killed. */
export async function powerOffServer(paths: LabPaths, server: LabServer): Promise<void> {
  await mkdir(paths.powerDir, { recursive: true });
  await writeFileAtomic(powerOffMarker(paths, server), `${new Date().toISOString()}\n`);
  for (const iface of [SERVER_SERVICE_IFACE, SERVER_MANAGEMENT_IFACE]) {
    await ipIn(server.ns, ['link', 'set', iface, 'down']);
    // A machine that loses power loses its runtime addresses, VIPs included.
    await ipIn(server.ns, ['addr', 'flush', 'dev', iface]);
  }
  await killNamespace(server.ns);
  await removePidFiles(paths.pidDir, `${server.name.toLowerCase()}.`);
}

/** killService is fault St: the service process dies, everything else stays. It says whether one was running. */
export async function killService(paths: LabPaths, server: LabServer): Promise<boolean> {
  return stopDaemon(paths.pidDir, serviceRole(server), paths.dir);
}

/** isServiceProcessRunning reads the service's pid file and checks the process. */
export function isServiceProcessRunning(paths: LabPaths, server: LabServer): Promise<boolean> {
  return isDaemonRunning(paths.pidDir, serviceRole(server), paths.dir);
}

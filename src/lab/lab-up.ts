// `dbss lab up`: builds the experimental system of Sec. 5.1 / Fig. 13 in network namespaces.
// dbss-infra holds the two switches (service and management bridges), the client, the time
// server and the power controller; each server gets its own namespace with one NIC on each
// switch, its own sshd, chronyd and service, and its VIP. lab.json is written before anything
// is made, so that `dbss lab down` can undo a failed `up`.
import { mkdir } from 'node:fs/promises';
import { chronyFiles, chronydArgs, CHRONYD_PROGRAM, prepareChrony } from './chrony-setup.ts';
import { startDaemon } from './daemons.ts';
import { probeFromInfra, probeTargetOf } from './in-namespace.ts';
import {
  CLIENT_ADDRESS,
  GATEWAY_ADDRESS,
  INFRA_MANAGEMENT_ADDRESS,
  INFRA_NS,
  MANAGEMENT_BRIDGE,
  PREFIX_LEN,
  SERVER_MANAGEMENT_IFACE,
  SERVER_SERVICE_IFACE,
  SERVICE_BRIDGE,
  labPaths,
  labServers,
  type LabPaths,
  type LabServer,
} from './layout.ts';
import { writeLabState, type LabState } from './lab-state.ts';
import { addBridge, addNamespace, addVethToBridge, ipIn, namespaceExists } from './netns.ts';
import { nodeScript } from './node-script.ts';
import { missingPackages } from './prerequisites.ts';
import { bootServer } from './server-power.ts';
import { prepareSsh } from './ssh-setup.ts';
import { startVirtualServers, type VmAccel } from './virtual-servers.ts';

export interface LabUpOptions {
  dir: string;
  servers: string[];
  /** bootDelayMs is how long a powered-off server takes to boot after a magic packet. */
  bootDelayMs: number;
  onBoot: string | null;
  /** kvm asks for the virtual servers (tiny KVM guests); without /dev/kvm or libvirtd the lab goes on without them. */
  kvm: boolean;
  /** vmAccel is how the virtual server runs: KVM, TCG ("qemu"), or "auto" (KVM, else TCG). */
  vmAccel: VmAccel;
  /** readyTimeoutMs bounds the wait for every service to answer from dbss-infra. */
  readyTimeoutMs: number;
  log: (line: string) => void;
}

/** LabAlreadyUpError says a lab exists; a second one would collide on namespace names. */
export class LabAlreadyUpError extends Error {
  override readonly name = 'LabAlreadyUpError';
}

async function buildInfra(): Promise<void> {
  await addNamespace(INFRA_NS);
  await addBridge(INFRA_NS, SERVICE_BRIDGE);
  await addBridge(INFRA_NS, MANAGEMENT_BRIDGE);
  // The default gateway of the service network and the client share the service bridge.
  await ipIn(INFRA_NS, ['addr', 'add', `${GATEWAY_ADDRESS}/${PREFIX_LEN}`, 'dev', SERVICE_BRIDGE]);
  await ipIn(INFRA_NS, ['addr', 'add', `${CLIENT_ADDRESS}/${PREFIX_LEN}`, 'dev', SERVICE_BRIDGE]);
  await ipIn(INFRA_NS, ['addr', 'add', `${INFRA_MANAGEMENT_ADDRESS}/${PREFIX_LEN}`, 'dev', MANAGEMENT_BRIDGE]);
}

async function cableServer(server: LabServer): Promise<void> {
  await addNamespace(server.ns);
  await addVethToBridge({ ns: server.ns, iface: SERVER_SERVICE_IFACE, mac: server.serviceMac, bridgeNs: INFRA_NS, peer: server.serviceIfaceInInfra, bridge: SERVICE_BRIDGE });
  await addVethToBridge({ ns: server.ns, iface: SERVER_MANAGEMENT_IFACE, mac: server.managementMac, bridgeNs: INFRA_NS, peer: server.managementIfaceInInfra, bridge: MANAGEMENT_BRIDGE });
}

async function startInfraDaemons(paths: LabPaths, bootDelayMs: number): Promise<void> {
  const chrony = chronyFiles(paths, 'infra');
  await startDaemon({ ns: INFRA_NS, role: 'infra.chronyd', program: CHRONYD_PROGRAM, args: chronydArgs(chrony), pidDir: paths.pidDir, logDir: paths.logDir });
  const controller = nodeScript('power-controller.ts', ['--dir', paths.dir, '--boot-delay-ms', String(bootDelayMs)]);
  await startDaemon({ ns: INFRA_NS, role: 'infra.power', program: controller.program, args: controller.args, pidDir: paths.pidDir, logDir: paths.logDir });
}

/** waitUntilServing probes every server's VIP from dbss-infra until all answer or the time is up. */
async function waitUntilServing(servers: readonly LabServer[], timeoutMs: number, log: (line: string) => void): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    const reports = await probeFromInfra(servers.map((s) => probeTargetOf(s, true)), 2000);
    const down = reports.filter((r) => !r.ping.ok || !r.service.ok);
    if (down.length === 0) return;
    if (Date.now() > deadlineMs) {
      throw new Error(`not serving after ${timeoutMs} ms: ${down.map((r) => `${r.name} (${r.ping.ok ? r.service.detail : r.ping.detail})`).join('; ')}`);
    }
    log(`waiting for ${down.map((r) => r.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** labUp builds the lab; on failure it leaves what it made for `dbss lab down` (and says so). */
export async function labUp(opts: LabUpOptions): Promise<void> {
  const paths = labPaths(opts.dir);
  const servers = labServers(opts.servers);
  const missing = await missingPackages();
  if (missing.length > 0) throw new Error(`missing programs: ${missing.join(', ')}; run test/lab/setup-host.sh`);
  if (await namespaceExists(INFRA_NS)) throw new LabAlreadyUpError(`a lab is already up (namespace ${INFRA_NS} exists); run "dbss lab down" first`);
  for (const dir of [paths.dir, paths.pidDir, paths.logDir, paths.powerDir]) await mkdir(dir, { recursive: true, mode: 0o755 });
  const state: LabState = { servers: servers.map((s) => s.name), bootDelayMs: opts.bootDelayMs, domains: [], rootLinks: [], onBoot: opts.onBoot };
  await writeLabState(paths.stateFile, state);

  opts.log(`namespaces: ${INFRA_NS}, ${servers.map((s) => s.ns).join(', ')}`);
  await buildInfra();
  for (const server of servers) await cableServer(server);
  await prepareSsh(paths, servers);
  await prepareChrony(paths, servers);
  await startInfraDaemons(paths, opts.bootDelayMs);
  for (const server of servers) {
    await bootServer(paths, server, { onBoot: opts.onBoot });
    await ipIn(server.ns, ['addr', 'add', `${server.vip}/${PREFIX_LEN}`, 'dev', SERVER_SERVICE_IFACE]);
    opts.log(`${server.name}: ${server.serviceAddress} (VIP ${server.vip}), management ${server.managementAddress}, ${server.service} on ${server.servicePort}`);
  }
  if (opts.kvm) await startVirtualServers(paths, state, opts.vmAccel, opts.log);
  await waitUntilServing(servers, opts.readyTimeoutMs, opts.log);
  opts.log(`lab is up in ${paths.dir}; client ${CLIENT_ADDRESS}, time server ${INFRA_MANAGEMENT_ADDRESS}`);
}

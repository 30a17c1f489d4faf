// `dbss lab status`: per server, what the managers of the paper would look at (Sec. 2.1, 3.2):
// is it powered, does its service answer from the client's place (dbss-infra), which VIPs it
// holds, and is its clock synchronised to the lab's time server.
import { ChronyClock } from '../drivers/chrony-clock.ts';
import { chronyFiles } from './chrony-setup.ts';
import { isDaemonRunning } from './daemons.ts';
import { probeFromInfra, probeTargetOf } from './in-namespace.ts';
import { INFRA_NS, SERVICE_PREFIX, labPaths, labServers, type LabPaths, type LabServer } from './layout.ts';
import { readLabState } from './lab-state.ts';
import { addressesIn, execIn, listNamespaces } from './netns.ts';
import { isPoweredOff } from './server-power.ts';
import { guestProbeTarget, labGuests } from './virtual-servers.ts';
import { LIBVIRT_URI } from './kvm-availability.ts';
import { VirshKvm } from '../drivers/kvm.ts';

/** CHRONY_MAX_OFFSET_US is the lab's limit for "synchronised": far below the 10 s monitoring interval (Table 1). */
export const CHRONY_MAX_OFFSET_US = 100_000;

export interface ServerStatus {
  name: string;
  namespace: string;
  power: 'on' | 'off' | 'absent';
  serviceAddress: string;
  ping: boolean;
  service: string;
  serviceOk: boolean;
  vips: string[];
  chrony: { ok: boolean; detail: string };
  powerController?: boolean;
}

/** VirtualServerStatus is one target's tiny guest: its libvirt state (paused while it waits) and whether its service answers. */
export interface VirtualServerStatus {
  name: string;
  address: string;
  state: string;
  service: string;
  serviceOk: boolean;
}

export interface LabStatus {
  dir: string;
  up: boolean;
  servers: ServerStatus[];
  virtualServers: VirtualServerStatus[];
  powerController: boolean;
  timeServer: boolean;
}

/** chronyVerdict asks the server's own chronyd (its socket, inside its namespace) through the chrony driver. */
export async function chronyVerdict(paths: LabPaths, server: LabServer): Promise<{ ok: boolean; detail: string }> {
  const socket = chronyFiles(paths, server.name.toLowerCase()).socket;
  const clock = new ChronyClock({
    runChronyc: async (args, call) => {
      const result = await execIn(server.ns, 'chronyc', ['-h', socket, ...args], call.timeoutMs);
      if (result.exitCode !== 0) throw new Error(`chronyc: ${result.stderr.trim() || `status ${result.exitCode}`}`);
      return result.stdout;
    },
  });
  const verdict = await clock.checkSynchronised({ maxOffsetUs: CHRONY_MAX_OFFSET_US });
  if (verdict.ok) return { ok: true, detail: `synchronised to ${verdict.tracking.referenceName}, offset ${verdict.offsetUs} µs` };
  return { ok: false, detail: verdict.reason };
}

function isVip(address: string): boolean {
  const last = Number(address.split('.')[3]);
  return address.startsWith(`${SERVICE_PREFIX}.`) && last > 200 && last < 250;
}

export async function labStatus(dir: string): Promise<LabStatus> {
  const paths = labPaths(dir);
  const state = await readLabState(paths.stateFile);
  const namespaces = new Set(await listNamespaces());
  if (state === null || !namespaces.has(INFRA_NS)) return { dir, up: false, servers: [], virtualServers: [], powerController: false, timeServer: false };
  const servers = labServers(state.servers);
  const guests = labGuests(servers).filter((g) => state.domains.includes(g.domain));
  const probes = await probeFromInfra([...servers.map((s) => probeTargetOf(s)), ...guests.map(guestProbeTarget)], 2000);
  const rows = await Promise.all(
    servers.map(async (server, i): Promise<ServerStatus> => {
      const exists = namespaces.has(server.ns);
      const off = exists && (await isPoweredOff(paths, server));
      const probe = probes[i];
      return {
        name: server.name,
        namespace: server.ns,
        power: !exists ? 'absent' : off ? 'off' : 'on',
        serviceAddress: server.serviceAddress,
        ping: probe?.ping.ok ?? false,
        service: server.service,
        serviceOk: probe?.service.ok ?? false,
        vips: exists ? (await addressesIn(server.ns, null)).filter(isVip) : [],
        chrony: exists && !off ? await chronyVerdict(paths, server) : { ok: false, detail: 'powered off' },
      };
    }),
  );
  return {
    dir,
    up: true,
    servers: rows,
    virtualServers: await Promise.all(
      guests.map(async (g, i) => ({
        name: g.domain,
        address: g.address,
        state: await new VirshKvm({ uri: LIBVIRT_URI }).domstate(g.domain).catch((e: unknown) => `unknown (${(e as Error).message})`),
        service: g.service,
        serviceOk: probes[servers.length + i]?.service.ok ?? false,
      })),
    ),
    powerController: await isDaemonRunning(paths.pidDir, 'infra.power', paths.dir),
    timeServer: await isDaemonRunning(paths.pidDir, 'infra.chronyd', paths.dir),
  };
}

/** formatStatus prints one line per server, as a table. */
export function formatStatus(status: LabStatus): string {
  if (!status.up) return `no lab is up in ${status.dir}`;
  const header = `${'server'.padEnd(8)} ${'power'.padEnd(6)} ${'address'.padEnd(13)} ${'ping'.padEnd(5)} ${'service'.padEnd(12)} ${'VIPs'.padEnd(28)} chrony`;
  const lines = status.servers.map((s) =>
    [s.name.padEnd(8), s.power.padEnd(6), s.serviceAddress.padEnd(13), (s.ping ? 'yes' : 'no').padEnd(5), `${s.service} ${s.serviceOk ? 'ok' : 'DOWN'}`.padEnd(12), (s.vips.join(',') || '-').padEnd(28), s.chrony.detail].join(' '),
  );
  const guests = status.virtualServers.map((v) => `virtual server ${v.name} at ${v.address}: ${v.state}, ${v.service} ${v.serviceOk ? 'ok' : v.state === 'paused' ? 'silent (suspended)' : 'DOWN'}`);
  return [header, ...lines, ...guests, `time server: ${status.timeServer ? 'running' : 'NOT running'}; power controller: ${status.powerController ? 'running' : 'NOT running'}`].join('\n');
}

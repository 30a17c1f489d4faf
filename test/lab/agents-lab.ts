// Helpers of test/lab/agents.test.ts: one `dbss agent` per lab server, configured from the lab's
// layout (Sec. 5.1, Fig. 13) and started by the lab's power controller on every boot (onBoot
// hook), the client of Sec. 5.2 in dbss-infra, the agents' logs, and the simulator's prediction
// for the same parameters.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chronyFiles } from '../../src/lab/chrony-setup.ts';
import { kvmAvailability, LIBVIRT_URI } from '../../src/lab/kvm-availability.ts';
import { VirshKvm } from '../../src/drivers/kvm.ts';
import { guestAddresses } from '../../src/lab/guest-control.ts';
import { controlSocketOf, labGuests } from '../../src/lab/virtual-servers.ts';
import { killAndWait, pidFileOf, readPidFile, startDaemon } from '../../src/lab/daemons.ts';
import { addressesIn, execIn, ipIn } from '../../src/lab/netns.ts';
import { INFRA_NS, MANAGEMENT_BROADCAST, GATEWAY_ADDRESS, SERVER_SERVICE_IFACE, SERVICE_BRIDGE, labPaths, type LabServer } from '../../src/lab/layout.ts';
import type { ProbeTarget } from '../../src/lab/lab-helper.ts';
import { formatManagementData, type ManagementData } from '../../src/core/model/management-data.ts';
import { defaultParams } from '../../src/paper/params.ts';
import type { Params } from '../../src/core/model/params.ts';
import { secondsToUs } from '../../src/core/model/time.ts';
import type { LogRecord } from '../../src/agent/agent-log.ts';
import type { ServiceKind } from '../../src/drivers/probes.ts';
import { disconnectionUs, type ClientAccess } from '../../src/sim/world/client.ts';
import type { ClusterServer } from '../../src/core/model/cluster.ts';
import type { Fault } from '../../src/sim/world/faults.ts';
import { targetTimes, type TargetTimes } from '../../src/sim/run/metrics.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import type { RunSpec } from '../../src/sim/run/run-spec.ts';
import { defaultSimParams } from '../../src/paper/testbed.ts';
import type { SimParams } from '../../src/sim/sim-params.ts';
import { HARDENINGS } from '../../src/core/program/hardening.ts';
import { logTarget } from '../../src/core/program/log-events.ts';
import type { LogEvent, LogEventName, SystemLogLine } from '../../src/core/program/log-events.ts';

export const LAB_DIR = '/run/dbss-lab-agents';
export const paths = labPaths(LAB_DIR);
export const AGENTS_DIR = join(LAB_DIR, 'agents');
/** AGENTS_KEPT_LOGS is where agents.test.ts keeps the agents' logs and its figures (comparison.ts) before `lab down` removes the lab directory. */
export const AGENTS_KEPT_LOGS = '/tmp/dbss-lab-agents-logs';
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** BOOT_DELAY_MS is the lab's server start time (Table 1: 31.07 s), short to keep the test short. */
export const BOOT_DELAY_MS = 5000;
/** LAB_PARAMS shortens Table 1's 50 s restart wait (and the start wait) to fit the lab's 5 s boot; the rest is Table 1. */
export const LAB_PARAMS_S = { restartWaitMax: 15, startWaitMax: 20 };

export function labParams(): Params {
  return { ...defaultParams(), restartWaitMaxUs: secondsToUs(LAB_PARAMS_S.restartWaitMax), startWaitMaxUs: secondsToUs(LAB_PARAMS_S.startWaitMax) };
}

const DAEMON_OF: Record<ServiceKind, string> = { smtp: 'postfix', ftp: 'vsftpd', http: 'httpd', proxy: 'squid', ssh: 'sshd' };
const TYPE_OF: Record<ServiceKind, ManagementData['serverType']> = { smtp: 'NETWORK', ftp: 'NETWORK', http: 'CPU_NET', proxy: 'NETWORK', ssh: 'CPU' };

/** labData is a lab server's management data (Fig. 4): its VIP, real (service) address, management-NIC MAC for Wake-on-LAN. */
export function labData(s: LabServer): ManagementData {
  return { vip: s.vip, hostName: s.name, ipr: s.serviceAddress, mac: s.managementMac, daemons: [DAEMON_OF[s.service]], serverType: TYPE_OF[s.service] };
}

export function agentDir(s: LabServer): string {
  return join(AGENTS_DIR, s.name.toLowerCase());
}

export function stateDir(s: LabServer): string {
  return join(agentDir(s), 'state');
}

export function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
}

/** agentCommand is how the lab runs `dbss agent` (node with tsx's loader, absolute paths). */
export function agentCommand(s: LabServer, extra: string[] = []): { program: string; args: string[] } {
  return { program: process.execPath, args: ['--import', tsxLoader(), join(REPO, 'src/cli/main.ts'), 'agent', '--config', agentDir(s), ...extra] };
}

const q = (v: string): string => JSON.stringify(v);
const list = (items: readonly string[]): string => `[${items.map(q).join(', ')}]`;

/**
 * LabVirtualServers is what the agents resume as a virtual server: "domains", the lab's tiny libvirt
 * domains (one per target, suspended at lab up; src/lab/virtual-servers.ts) through the KVM driver
 * (`dbss agent vs`) with the VIP set inside the guest over its control line; or "processes", the
 * fast mode (DBSS_LAB_VS=processes, or a host without KVM): a copy of the target's service started
 * in the host's namespace (agents-vs.ts), with the VIP on the host.
 */
export type LabVirtualServers = 'domains' | 'processes';

/** chosenVirtualServers is what prepareAgents chose; agentYaml writes it into every agent.yaml after. */
let chosenVirtualServers: LabVirtualServers = 'processes';

/**
 * chooseVirtualServers takes the lab's domains unless DBSS_LAB_VS=processes asks for the fast mode
 * or this host cannot run them (then it says what is missing, and the agents use process copies).
 */
export async function chooseVirtualServers(log: (line: string) => void): Promise<LabVirtualServers> {
  if (process.env.DBSS_LAB_VS === 'processes') return 'processes';
  const kvm = await kvmAvailability();
  if (kvm.usable) return 'domains';
  log(`virtual servers: process copies, since libvirt domains need ${kvm.missing.join('; ')}`);
  return 'processes';
}

/**
 * agentYaml is one server's agent.yaml. In the lab a restart asks the power controller (never the
 * host), and VIPs are set with ip and a gratuitous ARP on svc0 (without the default helper's
 * duplicate-address check, which costs a node start and a second of ARP probes).
 * With process copies Web2 offers no room for virtual servers: a copy shares its host's network
 * namespace, and Web1's web server cannot listen on port 80 beside Web2's own.
 */
export function agentYaml(s: LabServer, servers: readonly LabServer[], testing = '', vs: LabVirtualServers = chosenVirtualServers): string {
  const node = [process.execPath, '--import', tsxLoader()];
  const vsTool = [...node, join(REPO, 'test/lab/agents-vs.ts')];
  const dbss = [...node, join(REPO, 'src/cli/main.ts')];
  const guestVip = [...node, join(REPO, 'test/lab/agents-guest-vip.ts')];
  const virtualServers =
    vs === 'domains'
      ? [
          `  vsResume: [${list([...dbss, 'agent', 'vs', 'resume', 'dbss-vs-{vs}', '--uri', LIBVIRT_URI])}]`,
          // A guest suspended with a VIP would answer for it again the moment it is resumed, before any claim: flush first.
          `  vsSuspend: [${list([...guestVip, 'flush', '{vs}', LAB_DIR])}, ${list([...dbss, 'agent', 'vs', 'suspend', 'dbss-vs-{vs}', '--uri', LIBVIRT_URI])}]`,
          `  virtualVipClaim: [${list([...guestVip, 'add', '{vs}', '{vip}', LAB_DIR])}]`,
          `  virtualVipRelease: [${list([...guestVip, 'del', '{vs}', '{vip}', LAB_DIR])}]`,
        ]
      : [`  vsResume: [${list([...vsTool, 'resume', '{vs}', '{target}', '{serverLower}', LAB_DIR])}]`, `  vsSuspend: [${list([...vsTool, 'suspend', '{vs}', '{serverLower}', LAB_DIR])}]`];
  return [
    `# dbss agent of ${s.name} in the lab (namespace ${s.ns}); generated by test/lab/agents-lab.ts`,
    `server: ${s.name}`,
    `stateDir: ${stateDir(s)}`,
    `logFile: ${join(agentDir(s), 'agent.jsonl')}`,
    `sem: { port: 7400, keyFile: ${join(AGENTS_DIR, 'sem.key')} }`,
    `serviceIface: ${SERVER_SERVICE_IFACE}`,
    'servers:',
    ...servers.map((p) => `  ${p.name}: { management: ${p.managementAddress}, stateDir: ${stateDir(p)} }`),
    `ssh: { user: root, keyFile: ${paths.clientKey}, knownHosts: ${paths.knownHosts}, timeoutMs: 5000 }`,
    `wol: { broadcast: ${MANAGEMENT_BROADCAST} }`,
    `internal: { gateway: ${GATEWAY_ADDRESS}, timeoutMs: 1000 }`,
    `chrony: { socket: ${chronyFiles(paths, s.name.toLowerCase()).socket}, maxOffsetMs: 100, checkIntervalMs: 2000 }`,
    `host: { vmCapacity: ${vs === 'processes' && s.name === 'Web2' ? 0 : 3} }`,
    `parameters: { restartWaitMax: ${LAB_PARAMS_S.restartWaitMax}, startWaitMax: ${LAB_PARAMS_S.startWaitMax} }`,
    'commands:',
    `  restart: [[/usr/bin/touch, ${q(join(paths.powerDir, '{serverLower}.restart'))}]]`,
    // BusyBox's arping sends the gratuitous ARP and exits 0 at once (Habets' waits for a reply that never comes and exits 1).
    `  vipClaim: [[/usr/sbin/ip, addr, replace, "{vip}/{prefix}", dev, "{iface}"], [/bin/busybox, arping, -U, -c, "1", -I, "{iface}", "{vip}"]]`,
    // flush ... to VIP/32 removes the VIP alone and exits 0 when it is gone already (ip addr del exits 2): a
    // release is idempotent, so a manager that finds the VIP released by a fenced server goes on at once.
    `  vipRelease: [[/usr/sbin/ip, addr, flush, dev, "{iface}", to, "{vip}/32"]]`,
    ...virtualServers,
    testing,
    '',
  ].join('\n');
}

/**
 * prepareAgents writes each server's configuration directory (ring.txt, <Host>.dat, agent.yaml),
 * the shared SEM key and the onBoot hook. The hook starts the agent with --bootstrap at the first
 * boot (the file management server's hand-out, Sec. 3.2) and, at every later boot, wipes the
 * state directory first: the paper's management files live on a memory disk (Sec. 2.4), so a
 * rebooted server waits in standby for its manager to send files and flag (A6 of Fig. 12).
 */
export async function prepareAgents(servers: readonly LabServer[], vs: LabVirtualServers): Promise<string> {
  chosenVirtualServers = vs;
  await mkdir(AGENTS_DIR, { recursive: true, mode: 0o700 });
  await writeFile(join(AGENTS_DIR, 'sem.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  for (const s of servers) {
    await mkdir(agentDir(s), { recursive: true });
    await writeFile(join(agentDir(s), 'ring.txt'), `${servers.map((x) => x.name).join('\n')}\n`);
    for (const x of servers) await writeFile(join(agentDir(s), `${x.name}.dat`), formatManagementData(labData(x)));
    await writeFile(join(agentDir(s), 'agent.yaml'), agentYaml(s, servers));
  }
  const hook = join(AGENTS_DIR, 'on-boot.sh');
  const run = (extra: string): string => {
    const c = agentCommand(servers[0]!, []);
    return `exec ${[c.program, ...c.args.slice(0, -1)].join(' ')} "$d"${extra}`;
  };
  await writeFile(
    hook,
    [
      '#!/bin/sh',
      '# dbss lab onBoot hook: start the dbss agent of server $1 (lab $2); generated by test/lab/agents-lab.ts',
      'set -eu',
      `d=${AGENTS_DIR}/$(printf %s "$1" | tr A-Z a-z)`,
      'if [ -e "$d/booted" ]; then',
      '  rm -rf "$d/state"',
      `  ${run('')}`,
      'fi',
      'touch "$d/booted"',
      `${run(' --bootstrap')}`,
      '',
    ].join('\n'),
  );
  await chmod(hook, 0o755);
  return hook;
}

/** handOutFlags creates every agent's flag file: the file management server starts the programs (Sec. 3.2, Fig. 7). */
export async function handOutFlags(servers: readonly LabServer[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const s of servers) {
    // The agent starts a second or two after its boot (Node and tsx); its files are there first.
    while (!(await stat(join(stateDir(s), 'group.file')).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error(`the agent of ${s.name} wrote no management files; see ${paths.logDir}/${s.name.toLowerCase()}.onboot.log`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await writeFile(join(stateDir(s), 'flag'), 'file management server\n');
  }
}

/** agentLog reads one agent's JSON lines (all its boots). */
export async function agentLog(s: LabServer): Promise<LogRecord[]> {
  return wholeJsonLines<LogRecord>(await readFile(join(agentDir(s), 'agent.jsonl'), 'utf8').catch(() => ''));
}

/**
 * wholeJsonLines parses a JSON-lines file that its writer is still appending to. The text after
 * the last newline is a record being written, left for the next read; a line that does not
 * parse was cut by an Nt power-off (agent-log.ts ends it at the next boot) and is skipped.
 */
export function wholeJsonLines<T>(text: string): T[] {
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  return whole.split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
    try {
      return [JSON.parse(l) as T];
    } catch {
      return [];
    }
  });
}

/** systemLog merges the agents' system-log lines (the paper's vocabulary) in time order. */
export async function systemLog(servers: readonly LabServer[]): Promise<SystemLogLine[]> {
  const all = (await Promise.all(servers.map(agentLog))).flat().filter((r) => r.kind === 'system');
  return all.map(systemLogLine).sort((a, b) => a.atUs - b.atUs);
}

/** systemLogLine reads a system record back as the log event the program emitted (agent-log.ts writes its fields). */
function systemLogLine(r: LogRecord): SystemLogLine {
  const { atUs, at: _at, server, kind: _kind, text: _text, ...entry } = r;
  return { atUs, server, entry: entry as unknown as LogEvent };
}

/** Client is the Sec. 5.2 client in dbss-infra. */
export interface Client {
  accesses(name: string): Promise<ClientAccess[]>;
  stop(): void;
}

const PORT_OF: Record<ServiceKind, number> = { ftp: 21, smtp: 25, http: 80, ssh: 22, proxy: 3128 };

/** startClient starts the client for servers' VIPs; out and labDir default to the agents' lab (keepalived.test.ts has its own). */
export function startClient(servers: readonly LabServer[], out = join(AGENTS_DIR, 'client.jsonl'), labDir = LAB_DIR): Client {
  const targets: ProbeTarget[] = servers.map((s) => ({ name: s.name, address: s.vip, service: s.service, port: PORT_OF[s.service] }));
  const child: ChildProcess = spawn('ip', ['netns', 'exec', INFRA_NS, process.execPath, '--import', tsxLoader(), join(REPO, 'test/lab/agents-client.ts'), '--targets', JSON.stringify(targets), '--out', out, '--dir', labDir], { stdio: 'ignore' });
  return {
    accesses: async (name) => {
      return wholeJsonLines<{ atMs: number; name: string; ok: boolean }>(await readFile(out, 'utf8').catch(() => ''))
        .filter((a) => a.name === name)
        .map((a) => ({ atUs: a.atMs * 1000, ok: a.ok }));
    },
    stop: () => void child.kill('SIGKILL'),
  };
}

/** measure reads one fault's three times (Sec. 5.2) from the agents' logs and the client's accesses. */
export async function measure(servers: readonly LabServer[], client: Client, server: string, fault: string, faultAtUs: number): Promise<TargetTimes> {
  return targetTimes(await systemLog(servers), disconnectionUs(await client.accesses(server), faultAtUs), server, fault, faultAtUs);
}

/** LAB_SIM is the simulator's world with the lab's boot delay; every other timing is the paper's (src/paper/testbed.ts). */
export function labSimParams(): SimParams {
  return { ...defaultSimParams(), bootToServiceUs: BOOT_DELAY_MS * 1000 };
}

export interface Prediction {
  /** detectionS is the time from the fault to its detection (the first failed examination). */
  detectionS: number | null;
  functionRecoveryS: number | null;
  targetRecoveryS: number | null;
  clientDisconnectionS: number | null;
  /** steps are the step times of the first seed's run (stepTimes). */
  steps: Steps;
}

/** STEPS are the log events of Fig. 14 between detection and the VIP's return, by short name. */
const STEPS: readonly [string, readonly LogEventName[]][] = [
  ['confirmed', ['networkProblemConfirmed', 'serviceProblemConfirmed']],
  ['vsCreate', ['createVirtualServer']],
  ['vsReady', ['virtualServerReady']],
  ['vipSet', ['virtualIpSet']],
  ['foundUp', ['backgroundNormal']],
  ['vipBack', ['virtualIpBack']],
];

/** Steps maps each step to its time in seconds after the detection (null when it did not happen). */
export type Steps = Record<string, number | null>;

/** stepTimes reads, for one faulted server, when each step of Fig. 14 happened after its detection. */
export function stepTimes(log: readonly SystemLogLine[], server: string, faultAtUs: number): Steps {
  const after = log.filter((l) => l.atUs >= faultAtUs && logTarget(l.entry) === server);
  const detected = after.find((l) => l.entry.event === 'networkProblemDetected' || l.entry.event === 'serviceProblemDetected');
  const out: Steps = {};
  for (const [name, words] of STEPS) {
    const line = detected === undefined ? undefined : after.find((l) => l.atUs >= detected.atUs && words.includes(l.entry.event));
    out[name] = line === undefined || detected === undefined ? null : (line.atUs - detected.atUs) / 1e6;
  }
  return out;
}

export const STEP_NAMES: readonly string[] = STEPS.map(([name]) => name);

/** predict runs the simulator (runOnce) on the lab's cluster with the lab's parameters, 10 seeds, and averages per faulted server. */
export function predict(servers: readonly LabServer[], faults: readonly { server: string; type: 'St' | 'Nt' }[]): Map<string, Prediction> {
  const cluster: ClusterServer[] = servers.map((s, i) => ({ no: i + 1, data: labData(s) }));
  const sums = new Map<string, { d: number[]; f: number[]; t: number[]; c: number[] }>();
  const steps = new Map<string, Steps>();
  for (let seed = 1; seed <= 10; seed += 1) {
    const spec: RunSpec = {
      method: 'ring',
      cluster,
      params: labParams(),
      sim: labSimParams(),
      faults: faults.map((f): Fault => ({ server: f.server, type: f.type, atUs: 5_000_000 })),
      durationUs: null,
      disabled: [],
      // The agents run the hardened ring, agent.yaml's default (src/agent/config.ts).
      hardening: [...HARDENINGS],
    };
    const out = runOnce(spec, String(seed), { traceHash: false });
    for (const t of out.targets) {
      if (seed === 1) steps.set(t.server, stepTimes(out.log, t.server, t.faultAtUs));
      const s = sums.get(t.server) ?? { d: [], f: [], t: [], c: [] };
      if (t.detectedAtUs !== null) s.d.push((t.detectedAtUs - t.faultAtUs) / 1e6);
      if (t.functionRecoveryUs !== null) s.f.push(t.functionRecoveryUs / 1e6);
      if (t.targetRecoveryUs !== null) s.t.push(t.targetRecoveryUs / 1e6);
      if (t.clientDisconnectionUs !== null) s.c.push(t.clientDisconnectionUs / 1e6);
      sums.set(t.server, s);
    }
  }
  const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return new Map([...sums].map(([k, v]) => [k, { detectionS: mean(v.d), functionRecoveryS: mean(v.f), targetRecoveryS: mean(v.t), clientDisconnectionS: mean(v.c), steps: steps.get(k) ?? {} }]));
}

/** keepLogs copies the agents' logs and the lab's daemon logs out of the lab directory, which `down` removes. */
export async function keepLogs(to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await mkdir(to, { recursive: true });
  await cp(AGENTS_DIR, join(to, 'agents'), { recursive: true, filter: (src) => !src.includes('/state') && !src.endsWith('.key') }).catch(() => undefined);
  await cp(paths.logDir, join(to, 'logs'), { recursive: true }).catch(() => undefined);
}

/**
 * vipOwners asks the service network who holds address (from dbss-infra, as the client would):
 * BusyBox arping sends one ARP request and collects every reply for a second; the answer is the
 * set of MAC addresses that replied (two is split brain, vip-unique in reports/FINDINGS.md).
 */
export async function vipOwners(address: string): Promise<Set<string>> {
  // arping exits non-zero when nobody answers: the replies it printed are the answer either way.
  const { stdout } = await execIn(INFRA_NS, '/bin/busybox', ['arping', '-c', '1', '-w', '1', '-I', SERVICE_BRIDGE, address], 5000);
  return new Set([...stdout.matchAll(/\[([0-9a-f]{2}(?::[0-9a-f]{2}){5})\]/gi)].map((m) => m[1]!.toLowerCase()));
}

/** setServiceLink cuts (down) or heals (up) a server's link to the service network at its bridge port in dbss-infra. */
export async function setServiceLink(s: LabServer, state: 'up' | 'down'): Promise<void> {
  await ipIn(INFRA_NS, ['link', 'set', s.serviceIfaceInInfra, state]);
}

/**
 * restartAgents stops every agent (SIGKILL, as a crash) and starts it again with `extra` in its
 * agent.yaml, e.g. `hardening: none` for the paper's method. The management files and flags on
 * disk stay, so each agent goes on managing its target at once.
 */
export async function restartAgents(servers: readonly LabServer[], extra: string): Promise<void> {
  for (const s of servers) {
    const lower = s.name.toLowerCase();
    const pids = await Promise.all([`${lower}.onboot`, `${lower}.agent`].map((role) => readPidFile(pidFileOf(paths.pidDir, role))));
    await killAndWait(pids.filter((p): p is number => p !== null));
    await writeFile(join(agentDir(s), 'agent.yaml'), agentYaml(s, servers, extra));
    const cmd = agentCommand(s);
    await startDaemon({ ns: s.ns, role: `${lower}.agent`, program: cmd.program, args: cmd.args, pidDir: paths.pidDir, logDir: paths.logDir });
  }
}

/** SEM_DROP_TABLE is the nftables table with which a test drops the SEM datagrams a server receives. */
const SEM_DROP_TABLE = 'dbsslab';

/** dropSem makes server s drop (true) or receive again (false) every SEM datagram (UDP 7400) sent to it; the rest of the management network goes on. */
export async function dropSem(s: LabServer, drop: boolean): Promise<void> {
  const nft = async (args: string[]): Promise<void> => {
    const { exitCode, stderr } = await execIn(s.ns, '/usr/sbin/nft', args, 5000);
    if (exitCode !== 0) throw new Error(`nft ${args.join(' ')}: ${stderr.trim()}`);
  };
  if (!drop) return nft(['delete', 'table', 'inet', SEM_DROP_TABLE]);
  await nft(['add', 'table', 'inet', SEM_DROP_TABLE]);
  await nft(['add', 'chain', 'inet', SEM_DROP_TABLE, 'input', '{', 'type', 'filter', 'hook', 'input', 'priority', '0', ';', '}']);
  await nft(['add', 'rule', 'inet', SEM_DROP_TABLE, 'input', 'udp', 'dport', '7400', 'drop']);
}

/**
 * vipHolders lists who holds address on an interface (what `ip addr` says, not what ARP answers):
 * the servers whose namespaces hold it, and the lab's running virtual servers (by VS name, e.g.
 * FTPb) whose guests say they hold it. A suspended guest is left out: it answers nobody.
 */
export async function vipHolders(servers: readonly LabServer[], address: string): Promise<string[]> {
  // A namespace that cannot be read holds nothing the service network could reach.
  const held = await Promise.all(servers.map((s) => addressesIn(s.ns, null).catch((): string[] => [])));
  const holders = servers.filter((_, i) => held[i]!.includes(address)).map((s) => s.name);
  if (chosenVirtualServers !== 'domains') return holders;
  const virsh = new VirshKvm({ uri: LIBVIRT_URI });
  for (const g of labGuests(servers)) {
    if ((await virsh.domstate(g.domain)) !== 'running') continue;
    const addresses = await guestAddresses(controlSocketOf(paths.kvmDir, g.domain)).catch((): string[] => []);
    if (addresses.includes(address)) holders.push(g.vsName);
  }
  return holders;
}

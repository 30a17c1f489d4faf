// Calls into lab-helper.ts inside a namespace (`ip netns exec NS node ... lab-helper.ts`), one
// execFile each: probes as the client in dbss-infra sees them (Sec. 5.2 measures client
// disconnection from a client's accesses), SSH with the lab's known_hosts, and Wake-on-LAN.
import { isIpv4, isMac } from '../core/model/validate.ts';
import { runProgram } from '../drivers/exec.ts';
import type { ProbeReport, ProbeTarget } from './lab-helper.ts';
import { INFRA_NS, MANAGEMENT_BROADCAST, WOL_PORT, type LabPaths, type LabServer } from './layout.ts';
import { assertNamespace } from './netns.ts';
import { nodeScript } from './node-script.ts';

/** HELPER_START_MS allows for Node and tsx starting up inside the namespace. */
const HELPER_START_MS = 15_000;

async function helper(ns: string, args: string[], workMs: number): Promise<unknown> {
  assertNamespace(ns);
  const script = nodeScript('lab-helper.ts', args);
  const out = await runProgram('ip', ['netns', 'exec', ns, script.program, ...script.args], { timeoutMs: workMs + HELPER_START_MS });
  return JSON.parse(out.stdout.trim().split('\n').at(-1) ?? 'null') as unknown;
}

/** probeFromInfra pings each server's address and runs its service check, from dbss-infra (the client's place). */
export async function probeFromInfra(targets: ProbeTarget[], timeoutMs = 3000): Promise<ProbeReport[]> {
  return (await helper(INFRA_NS, ['probe', '--targets', JSON.stringify(targets), '--timeout-ms', String(timeoutMs)], timeoutMs * 2)) as ProbeReport[];
}

/** probeTargetOf examines server at its own service address, or at its VIP when viaVip. */
export function probeTargetOf(server: LabServer, viaVip = false): ProbeTarget {
  return { name: server.name, address: viaVip ? server.vip : server.serviceAddress, service: server.service, port: server.servicePort };
}

export interface SshReport {
  ok: boolean;
  exitCode?: number | null;
  stdout?: string;
  error?: string;
}

/**
 * sshFrom runs argv on host over SSH from namespace ns, with the lab's client key and the lab's
 * known_hosts (or knownHostsPath, to show what the driver does with a key it does not know).
 */
export async function sshFrom(ns: string, paths: LabPaths, host: string, argv: string[], opts: { timeoutMs?: number; knownHostsPath?: string } = {}): Promise<SshReport> {
  if (!isIpv4(host)) throw new TypeError(`invalid SSH host ${JSON.stringify(host)}`);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const knownHosts = opts.knownHostsPath ?? paths.knownHosts;
  return (await helper(ns, ['ssh', '--host', host, '--key', paths.clientKey, '--known-hosts', knownHosts, '--timeout-ms', String(timeoutMs), '--', ...argv], timeoutMs)) as SshReport;
}

/** wolFrom sends a magic packet for mac to the management network's broadcast address from namespace ns. */
export async function wolFrom(ns: string, mac: string): Promise<void> {
  if (!isMac(mac)) throw new TypeError(`invalid MAC ${JSON.stringify(mac)}`);
  await helper(ns, ['wol', '--mac', mac, '--broadcast', MANAGEMENT_BROADCAST, '--port', String(WOL_PORT), '--timeout-ms', '2000'], 2000);
}

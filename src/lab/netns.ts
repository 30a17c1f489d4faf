// Network namespaces, veth pairs and bridges through iproute2, one execFile call each. The lab
// builds the two networks of Fig. 13 (Sec. 5.1) out of these, entirely inside namespaces, so
// that no lab packet ever reaches the host's own interfaces.
import { ExecError, runProgram, runProgramStatus } from '../drivers/exec.ts';
import { isInterfaceName } from '../drivers/vip.ts';

/** IP_TIMEOUT_MS bounds one ip call; they answer in milliseconds unless the kernel is stuck. */
export const IP_TIMEOUT_MS = 10_000;

const NS_RE = /^dbss-[a-z0-9-]{1,20}$/;

/** isLabNamespace accepts only the lab's own namespace names, so nothing else can be deleted by mistake. */
export function isLabNamespace(ns: string): boolean {
  return NS_RE.test(ns);
}

export function assertNamespace(ns: string): void {
  if (!isLabNamespace(ns)) throw new TypeError(`invalid lab namespace ${JSON.stringify(ns)}`);
}

export function assertIface(iface: string): void {
  if (!isInterfaceName(iface)) throw new TypeError(`invalid interface name ${JSON.stringify(iface)}`);
}

/** ip runs `ip args` in the root namespace and throws on a non-zero status. */
export async function ip(args: readonly string[]): Promise<string> {
  return (await runProgram('ip', args, { timeoutMs: IP_TIMEOUT_MS })).stdout;
}

/** ipIn runs `ip -n ns args`: the command acts on ns, the caller stays where it is. */
export async function ipIn(ns: string, args: readonly string[]): Promise<string> {
  assertNamespace(ns);
  return ip(['-n', ns, ...args]);
}

/** execIn runs program in ns through `ip netns exec` and returns its status (also non-zero). */
export async function execIn(ns: string, program: string, args: readonly string[], timeoutMs: number) {
  assertNamespace(ns);
  return runProgramStatus('ip', ['netns', 'exec', ns, program, ...args], { timeoutMs });
}

/** listNamespaces lists the names `ip netns list` prints (first word of each line). */
export async function listNamespaces(): Promise<string[]> {
  const out = await ip(['netns', 'list']);
  return out.split('\n').map((line) => line.split(' ')[0] ?? '').filter((name) => name !== '');
}

export async function namespaceExists(ns: string): Promise<boolean> {
  assertNamespace(ns);
  return (await listNamespaces()).includes(ns);
}

/** addNamespace creates ns and brings its loopback up (services and chronyc talk over lo). */
export async function addNamespace(ns: string): Promise<void> {
  assertNamespace(ns);
  await ip(['netns', 'add', ns]);
  await ipIn(ns, ['link', 'set', 'lo', 'up']);
}

/** deleteNamespace removes ns; a namespace that is already gone is not an error (down is idempotent). */
export async function deleteNamespace(ns: string): Promise<void> {
  assertNamespace(ns);
  const result = await runProgramStatus('ip', ['netns', 'delete', ns], { timeoutMs: IP_TIMEOUT_MS });
  if (result.exitCode !== 0 && !/No such file|does not exist/i.test(result.stderr)) {
    throw new ExecError('ip', ['netns', 'delete', ns], 'exit', result.exitCode, result.stdout, result.stderr, `exit status ${result.exitCode}`);
  }
}

/** namespacePids lists the processes that live in ns; an absent namespace has none. */
export async function namespacePids(ns: string): Promise<number[]> {
  assertNamespace(ns);
  const result = await runProgramStatus('ip', ['netns', 'pids', ns], { timeoutMs: IP_TIMEOUT_MS });
  if (result.exitCode !== 0) return [];
  return result.stdout.split('\n').filter((l) => /^\d+$/.test(l.trim())).map((l) => Number(l.trim()));
}

/** addBridge creates a bridge in ns with no STP delay, so that a link that comes up forwards at once. */
export async function addBridge(ns: string, bridge: string): Promise<void> {
  assertIface(bridge);
  await ipIn(ns, ['link', 'add', 'name', bridge, 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
  await ipIn(ns, ['link', 'set', bridge, 'up']);
}

/**
 * addVethToBridge creates a veth pair with one end (iface, with mac) in ns and the other
 * (peer) attached to bridge in bridgeNs: a server's cable to a switch port.
 */
export async function addVethToBridge(opts: { ns: string; iface: string; mac: string; bridgeNs: string; peer: string; bridge: string }): Promise<void> {
  assertIface(opts.iface);
  assertIface(opts.peer);
  assertNamespace(opts.bridgeNs);
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(opts.mac)) throw new TypeError(`invalid MAC ${JSON.stringify(opts.mac)}`);
  await ipIn(opts.ns, ['link', 'add', 'name', opts.iface, 'address', opts.mac, 'type', 'veth', 'peer', 'name', opts.peer, 'netns', opts.bridgeNs]);
  await ipIn(opts.bridgeNs, ['link', 'set', opts.peer, 'master', opts.bridge]);
  await ipIn(opts.bridgeNs, ['link', 'set', opts.peer, 'up']);
}

/** addressesIn lists the IPv4 addresses (without prefix) on iface in ns, or on every interface when iface is null. */
export async function addressesIn(ns: string, iface: string | null): Promise<string[]> {
  const args = ['-o', '-4', 'addr', 'show', ...(iface === null ? [] : ['dev', iface])];
  if (iface !== null) assertIface(iface);
  const out = await ipIn(ns, args);
  return [...out.matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3})\/\d{1,2}\b/g)].map((m) => m[1] ?? '');
}

// The lab's virtual servers (Sec. 3.1, original server method: a virtual server per target, kept
// suspended and resumed on a failure), each a tiny libvirt domain on the service network that the
// agents resume and suspend through the KVM driver (`dbss agent vs`). QEMU runs in the host's root
// namespace, so its taps join a bridge there (dbss-vbr0) that has no address, no route and no
// IPv6, and whose only other port is a veth into dbss-infra's service bridge: the guests' packets
// reach the lab and nothing else, never the host's interfaces.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VirshKvm } from '../drivers/kvm.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { runProgramStatus } from '../drivers/exec.ts';
import { probeFromInfra } from './in-namespace.ts';
import { kvmAvailability, LIBVIRT_URI } from './kvm-availability.ts';
import type { ProbeTarget } from './lab-helper.ts';
import { DEFAULT_SERVERS, INFRA_NS, PREFIX_LEN, SERVICE_BRIDGE, SERVICE_PREFIX, labServers, type LabPaths, type LabServer } from './layout.ts';
import { writeLabState, type LabState } from './lab-state.ts';
import { IP_TIMEOUT_MS, ip, ipIn } from './netns.ts';
import { buildInitramfs, domainXml, GUEST_SERVICE_KINDS, type GuestDomain, type GuestServiceKind } from './tiny-guest.ts';
import { virtualServerName } from '../core/dbss/function-recovery.ts';

/** The root-namespace links: the guest bridge and the veth end on it (each guest adds its tap). */
export const GUEST_BRIDGE = 'dbss-vbr0';
export const GUEST_UPLINK = 'dbss-vh0';
const GUEST_UPLINK_IN_INFRA = 'vmup0';
/** GUEST_MEMORY_MIB is enough for a kernel and a busybox initramfs. */
export const GUEST_MEMORY_MIB = 128;

/**
 * LabGuest is the virtual server of one target (Sec. 3.1: one virtual server per target, kept
 * suspended until its manager resumes it): libvirt domain dbss-vs-<VS name>, e.g. dbss-vs-FTPb,
 * at 198.18.0.(110+i) on the service network, serving the target's protocol on its port.
 */
export interface LabGuest {
  target: string;
  vsName: string;
  domain: string;
  address: string;
  mac: string;
  tap: string;
  service: GuestServiceKind;
  port: number;
}

/** guestDomainOf is the libvirt domain of a virtual server name: the agents' templates write it as dbss-vs-{vs}. */
export function guestDomainOf(vsName: string): string {
  return `dbss-vs-${vsName}`;
}

/**
 * labGuests gives every lab server whose protocol a busybox guest can serve (FTP, SMTP, HTTP) its
 * virtual server. Proxy (a caching proxy) and Login (sshd beside the guest's control line) get
 * none: their managers' resumes fail, and the lab's tests fail neither.
 */
export function labGuests(servers: readonly LabServer[]): LabGuest[] {
  return servers
    .filter((s) => GUEST_SERVICE_KINDS.has(s.service))
    .map((s) => {
      const index = Number(s.serviceAddress.split('.')[3]);
      const vsName = virtualServerName(s.name);
      return {
        target: s.name,
        vsName,
        domain: guestDomainOf(vsName),
        address: `${SERVICE_PREFIX}.${110 + index}`,
        mac: `02:db:55:02:00:${(0x10 + index).toString(16).padStart(2, '0')}`,
        tap: `dbss-vn${index}`,
        service: s.service as GuestServiceKind,
        port: s.servicePort,
      };
    });
}

/** controlSocketOf is the host end of a guest's control line. */
export function controlSocketOf(dir: string, name: string): string {
  return join(dir, `${name}.ctl`);
}

/** uuidOf derives a fixed UUID from a domain name, so that a second define updates the same domain. */
export function uuidOf(name: string): string {
  const h = createHash('sha256').update(`dbss-lab:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** disableIpv6 keeps a root-namespace lab link silent: no link-local address, no router solicitation. */
async function disableIpv6(link: string): Promise<void> {
  await writeFile(`/proc/sys/net/ipv6/conf/${link}/disable_ipv6`, '1\n').catch(() => undefined);
}

async function linkExists(link: string): Promise<boolean> {
  const result = await runProgramStatus('ip', ['link', 'show', 'dev', link], { timeoutMs: IP_TIMEOUT_MS });
  return result.exitCode === 0;
}

async function buildGuestBridge(): Promise<void> {
  await ip(['link', 'add', 'name', GUEST_BRIDGE, 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
  await disableIpv6(GUEST_BRIDGE);
  await ip(['link', 'add', 'name', GUEST_UPLINK, 'type', 'veth', 'peer', 'name', GUEST_UPLINK_IN_INFRA, 'netns', INFRA_NS]);
  await disableIpv6(GUEST_UPLINK);
  await ip(['link', 'set', GUEST_UPLINK, 'master', GUEST_BRIDGE]);
  await ip(['link', 'set', GUEST_UPLINK, 'up']);
  await ip(['link', 'set', GUEST_BRIDGE, 'up']);
  await ipIn(INFRA_NS, ['link', 'set', GUEST_UPLINK_IN_INFRA, 'master', SERVICE_BRIDGE]);
  await ipIn(INFRA_NS, ['link', 'set', GUEST_UPLINK_IN_INFRA, 'up']);
}

/** GuestSpec is what differs between the guests: name, address, network and service. */
export interface GuestSpec {
  name: string;
  address: string;
  nic: GuestDomain['nic'];
  service: GuestDomain['service'];
}

/** prepareGuests writes the initramfs the guests share into dir, once, and describes each domain, or says what is missing for them. */
export async function prepareGuests(dir: string, accel: 'kvm' | 'qemu', specs: readonly GuestSpec[]): Promise<GuestDomain[] | { missing: string[] }> {
  const availability = await kvmAvailability();
  if (!availability.usable) return { missing: availability.missing };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const initrdPath = join(dir, 'initrd.gz');
  await writeFileAtomic(initrdPath, await buildInitramfs(availability.kernel));
  return specs.map(({ name, address, nic, service }) => ({
    name,
    uuid: uuidOf(name),
    accel,
    memoryMiB: GUEST_MEMORY_MIB,
    kernelPath: availability.kernel.kernelPath,
    initrdPath,
    consoleLogPath: join(dir, `${name}.console.log`),
    controlSocketPath: nic === null ? null : controlSocketOf(dir, name),
    address,
    prefixLen: PREFIX_LEN,
    service,
    nic,
  }));
}

/** defineAndStart writes the domain XML next to the guest files, defines it and starts it. */
export async function defineAndStart(kvm: VirshKvm, dir: string, guest: GuestDomain): Promise<void> {
  const xmlPath = join(dir, `${guest.name}.xml`);
  await writeFileAtomic(xmlPath, domainXml(guest));
  await kvm.define(xmlPath);
  await kvm.start(guest.name);
}

/** VmAccel is how the guests run: KVM, TCG ("qemu"), or KVM with a fall-back to TCG when the guest does not come up. */
export type VmAccel = 'kvm' | 'qemu' | 'auto';

/** GUEST_BOOT_WAIT_MS bounds the wait for the guests' services; TCG boots one in about 10 s on 2 cores, four at once in about 30 s. */
export const GUEST_BOOT_WAIT_MS = 120_000;
/** KVM_BOOT_WAIT_MS is how long "auto" gives KVM before it falls back to TCG. */
const KVM_BOOT_WAIT_MS = 20_000;

/** guestProbeTarget is a guest's service at its own address, as the client probes it. */
export function guestProbeTarget(g: LabGuest): ProbeTarget {
  return { name: g.vsName, address: g.address, service: g.service, port: g.port };
}

/** waitForGuests probes the guests' services from dbss-infra until all answer or waitMs passes, and returns those that do not. */
export async function waitForGuests(guests: readonly LabGuest[], waitMs: number): Promise<LabGuest[]> {
  const deadlineMs = Date.now() + waitMs;
  let silent = [...guests];
  for (;;) {
    const reports = await probeFromInfra(silent.map(guestProbeTarget), 1000);
    silent = silent.filter((_, i) => reports[i]?.service.ok !== true);
    if (silent.length === 0 || Date.now() >= deadlineMs) return silent;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * startVirtualServers defines and boots every target's virtual server (labGuests), recording the
 * domains and root-namespace links in lab.json before making them, waits until each serves, and
 * suspends it: the paper's virtual servers wait suspended (Sec. 3.1; Table 1's 1.52 s activation).
 * With "auto", the first guest tries KVM; when KVM cannot bring it up (some nested KVMs fail to
 * emulate instructions a Linux kernel uses early) every guest runs under TCG, and the log says so.
 * Without KVM or libvirtd it says what is missing and returns: the rest of the lab works without.
 */
export async function startVirtualServers(paths: LabPaths, state: LabState, accel: VmAccel, log: (line: string) => void): Promise<void> {
  const guests = labGuests(labServers(state.servers));
  if (guests.length === 0) return;
  const specs = guests.map((g): GuestSpec => ({ name: g.domain, address: g.address, nic: { bridge: GUEST_BRIDGE, tap: g.tap, mac: g.mac }, service: { kind: g.service, port: g.port } }));
  const prepared = await prepareGuests(paths.kvmDir, accel === 'qemu' ? 'qemu' : 'kvm', specs);
  if ('missing' in prepared) {
    log(`virtual servers: skipped, missing ${prepared.missing.join('; ')}`);
    return;
  }
  state.rootLinks = [GUEST_BRIDGE, GUEST_UPLINK, ...guests.map((g) => g.tap)];
  state.domains = guests.map((g) => g.domain);
  await writeLabState(paths.stateFile, state);
  await buildGuestBridge();
  const kvm = new VirshKvm({ uri: LIBVIRT_URI });
  const boot = async (i: number): Promise<void> => {
    await defineAndStart(kvm, paths.kvmDir, prepared[i]!);
    await disableIpv6(guests[i]!.tap);
  };
  const startedAtMs = Date.now();
  let rest = guests.map((_, i) => i);
  if (accel === 'auto') {
    await boot(0);
    if ((await waitForGuests([guests[0]!], KVM_BOOT_WAIT_MS)).length > 0) {
      log(`virtual server ${guests[0]!.vsName}: no answer under KVM within ${KVM_BOOT_WAIT_MS} ms (domain ${await kvm.domstate(guests[0]!.domain)}; this host's KVM cannot boot the guest kernel); every virtual server runs under TCG`);
      await kvm.destroy(guests[0]!.domain);
      for (const p of prepared) p.accel = 'qemu';
    } else {
      rest = rest.slice(1);
    }
  }
  await Promise.all(rest.map(boot));
  const silent = await waitForGuests(guests, GUEST_BOOT_WAIT_MS);
  const how = prepared[0]!.accel === 'kvm' ? 'KVM' : 'TCG';
  if (silent.length > 0) throw new Error(`virtual servers ${silent.map((g) => `${g.vsName} (${how}) at ${g.address}`).join(', ')} do not answer; see ${paths.kvmDir}/*.console.log`);
  for (const g of guests) await kvm.suspend(g.domain);
  log(`virtual servers: ${guests.map((g) => `${g.vsName} (${g.service} at ${g.address})`).join(', ')}: ${how} domains, booted in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s, now ${await kvm.domstate(guests[0]!.domain)}`);
}

/** removeVirtualServers destroys and undefines the lab's domains and deletes its root-namespace links. */
export async function removeVirtualServers(state: LabState | null, log: (line: string) => void): Promise<void> {
  const guests = labGuests(labServers(state !== null && state.servers.length > 0 ? state.servers : DEFAULT_SERVERS));
  const domains = [...new Set([...(state?.domains ?? []), ...guests.map((g) => g.domain)])];
  const links = [...new Set([...(state?.rootLinks ?? []), ...guests.map((g) => g.tap), GUEST_UPLINK, GUEST_BRIDGE])];
  const availability = await runProgramStatus('virsh', ['-c', LIBVIRT_URI, 'version'], { timeoutMs: 15_000 }).catch(() => null);
  if (availability?.exitCode === 0) {
    const kvm = new VirshKvm({ uri: LIBVIRT_URI });
    for (const name of domains) {
      if ((await kvm.domstate(name)) === 'absent') continue;
      await kvm.destroy(name);
      await kvm.undefine(name);
      log(`removed libvirt domain ${name}`);
    }
  } else if (state !== null && state.domains.length > 0) {
    log(`cannot reach libvirtd to remove ${state.domains.join(', ')}; start libvirtd and run down again`);
  }
  for (const link of links) {
    if (!(await linkExists(link))) continue;
    await ip(['link', 'delete', 'dev', link]);
    log(`removed host link ${link}`);
  }
}

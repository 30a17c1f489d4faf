// The lab's virtual server (Sec. 3.1, original server method: a virtual server on a management
// server, kept suspended and resumed on a failure) as a tiny libvirt domain on the service
// network. QEMU runs in the host's root namespace, so its tap joins a bridge there (dbss-vbr0)
// that has no address, no route and no IPv6, and whose only other port is a veth into dbss-infra's
// service bridge: the guest's packets reach the lab and nothing else, never the host's interfaces.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VirshKvm } from '../drivers/kvm.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { runProgramStatus } from '../drivers/exec.ts';
import { probeFromInfra } from './in-namespace.ts';
import { kvmAvailability, LIBVIRT_URI } from './kvm-availability.ts';
import type { ProbeTarget } from './lab-helper.ts';
import { INFRA_NS, PREFIX_LEN, SERVICE_BRIDGE, SERVICE_PREFIX, type LabPaths } from './layout.ts';
import { writeLabState, type LabState } from './lab-state.ts';
import { IP_TIMEOUT_MS, ip, ipIn } from './netns.ts';
import { buildInitramfs, domainXml, type GuestDomain } from './tiny-guest.ts';

/** The root-namespace links: the guest bridge, the veth end on it, and the guest's tap. */
export const GUEST_BRIDGE = 'dbss-vbr0';
export const GUEST_UPLINK = 'dbss-vh0';
const GUEST_UPLINK_IN_INFRA = 'vmup0';
/** LAB_DOMAIN is the lab's one virtual server; its address is 198.18.0.101. */
export const LAB_DOMAIN = 'dbss-lab-vs1';
export const LAB_DOMAIN_ADDRESS = `${SERVICE_PREFIX}.101`;
const LAB_DOMAIN_TAP = 'dbss-vn1';
const LAB_DOMAIN_MAC = '02:db:55:02:00:01';
/** GUEST_MEMORY_MIB is enough for a kernel and a busybox initramfs. */
export const GUEST_MEMORY_MIB = 128;

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

/** prepareGuest writes the initramfs into dir and describes the domain, or says what is missing for one. */
export async function prepareGuest(dir: string, name: string, accel: 'kvm' | 'qemu', address: string, nic: GuestDomain['nic']): Promise<GuestDomain | { missing: string[] }> {
  const availability = await kvmAvailability();
  if (!availability.usable) return { missing: availability.missing };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const initrdPath = join(dir, 'initrd.gz');
  await writeFileAtomic(initrdPath, await buildInitramfs(availability.kernel));
  return {
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
    nic,
  };
}

/** defineAndStart writes the domain XML next to the guest files, defines it and starts it. */
export async function defineAndStart(kvm: VirshKvm, dir: string, guest: GuestDomain): Promise<void> {
  const xmlPath = join(dir, `${guest.name}.xml`);
  await writeFileAtomic(xmlPath, domainXml(guest));
  await kvm.define(xmlPath);
  await kvm.start(guest.name);
}

/** VmAccel is how the guest runs: KVM, TCG ("qemu"), or KVM with a fall-back to TCG when the guest does not come up. */
export type VmAccel = 'kvm' | 'qemu' | 'auto';

/** GUEST_BOOT_WAIT_MS bounds the wait for the guest's web server; TCG boots it in about 10 s on 2 cores. */
export const GUEST_BOOT_WAIT_MS = 45_000;
/** KVM_BOOT_WAIT_MS is how long "auto" gives KVM before it falls back to TCG. */
const KVM_BOOT_WAIT_MS = 20_000;

/** virtualServerTarget is the guest's web server as the client probes it. */
export function virtualServerTarget(): ProbeTarget {
  return { name: LAB_DOMAIN, address: LAB_DOMAIN_ADDRESS, service: 'http', port: 80 };
}

/** waitForGuest probes the guest's web server from dbss-infra until it answers or waitMs passes. */
export async function waitForGuest(waitMs: number): Promise<boolean> {
  const deadlineMs = Date.now() + waitMs;
  do {
    const [report] = await probeFromInfra([virtualServerTarget()], 1000);
    if (report?.service.ok === true) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } while (Date.now() < deadlineMs);
  return false;
}

/**
 * startVirtualServers defines and starts the lab's virtual server, recording the domain and the
 * root-namespace links in lab.json before making them, and waits until its web server answers.
 * With "auto", a guest that KVM cannot bring up (some nested KVMs fail to emulate instructions
 * a Linux kernel uses early) is restarted under TCG, and the log says so. Without KVM or
 * libvirtd it says what is missing and returns: the rest of the lab works without virtual servers.
 */
export async function startVirtualServers(paths: LabPaths, state: LabState, accel: VmAccel, log: (line: string) => void): Promise<void> {
  const first = accel === 'qemu' ? 'qemu' : 'kvm';
  const guest = await prepareGuest(paths.kvmDir, LAB_DOMAIN, first, LAB_DOMAIN_ADDRESS, { bridge: GUEST_BRIDGE, tap: LAB_DOMAIN_TAP, mac: LAB_DOMAIN_MAC });
  if ('missing' in guest) {
    log(`virtual servers: skipped, missing ${guest.missing.join('; ')}`);
    return;
  }
  state.rootLinks = [GUEST_BRIDGE, GUEST_UPLINK, LAB_DOMAIN_TAP];
  state.domains = [LAB_DOMAIN];
  await writeLabState(paths.stateFile, state);
  await buildGuestBridge();
  const kvm = new VirshKvm({ uri: LIBVIRT_URI });
  await defineAndStart(kvm, paths.kvmDir, guest);
  await disableIpv6(LAB_DOMAIN_TAP);
  let up = await waitForGuest(accel === 'auto' ? KVM_BOOT_WAIT_MS : GUEST_BOOT_WAIT_MS);
  if (!up && accel === 'auto') {
    const state = await kvm.domstate(LAB_DOMAIN);
    log(`virtual server ${LAB_DOMAIN}: no answer under KVM within ${KVM_BOOT_WAIT_MS} ms (domain ${state}; this host's KVM cannot boot the guest kernel); restarting it under TCG`);
    await kvm.destroy(LAB_DOMAIN);
    guest.accel = 'qemu';
    await defineAndStart(kvm, paths.kvmDir, guest);
    await disableIpv6(LAB_DOMAIN_TAP);
    up = await waitForGuest(GUEST_BOOT_WAIT_MS);
  }
  const how = guest.accel === 'kvm' ? 'KVM' : 'TCG';
  if (!up) throw new Error(`virtual server ${LAB_DOMAIN} (${how}) does not answer at ${LAB_DOMAIN_ADDRESS}; see ${guest.consoleLogPath}`);
  log(`virtual server ${LAB_DOMAIN}: ${how} domain ${await kvm.domstate(LAB_DOMAIN)}, web server answering at ${LAB_DOMAIN_ADDRESS}`);
}

/** removeVirtualServers destroys and undefines the lab's domains and deletes its root-namespace links. */
export async function removeVirtualServers(state: LabState | null, log: (line: string) => void): Promise<void> {
  const domains = [...new Set([...(state?.domains ?? []), LAB_DOMAIN])];
  const links = [...new Set([...(state?.rootLinks ?? []), LAB_DOMAIN_TAP, GUEST_UPLINK, GUEST_BRIDGE])];
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

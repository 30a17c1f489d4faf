// The tiny guest that stands in for a virtual server (Sec. 3.1: the virtual servers wait
// suspended on a management server and are resumed to take over a failed target's function).
// It is the host's Debian kernel with an initramfs of busybox: /init brings eth0 up with the
// address given on the kernel command line and serves its target's protocol (busybox httpd for
// HTTP; for FTP and SMTP a 220 greeting, as vsftpd and postfix give, through busybox nc), so the
// lab and the agents' service examination see it serve, and takes VIPs on and off when told over
// a serial line (a stand-in for the manager's SSH into the virtual server).
import { access, readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { isIpv4 } from '../core/model/validate.ts';
import { cpioArchive, type CpioEntry } from './cpio.ts';

/** BUSYBOX_PATH is where Debian's busybox-static installs its one static binary. */
export const BUSYBOX_PATH = '/bin/busybox';

/** GuestServiceKind is a protocol the guest can serve with busybox alone (not ssh, not a proxy). */
export type GuestServiceKind = 'http' | 'ftp' | 'smtp';
export const GUEST_SERVICE_KINDS: ReadonlySet<string> = new Set<GuestServiceKind>(['http', 'ftp', 'smtp']);

/** GuestKernel is a bootable kernel and the NIC driver module built for it. */
export interface GuestKernel {
  kernelPath: string;
  nicModulePath: string;
}

/**
 * findGuestKernel picks the newest /boot/vmlinuz-<version> whose e1000 module exists: the guest's
 * NIC is an emulated e1000, whose driver is one module with no dependencies in Debian's kernel.
 */
export async function findGuestKernel(): Promise<GuestKernel | null> {
  const versions = (await readdir('/boot').catch(() => [] as string[]))
    .filter((n) => /^vmlinuz-[0-9][A-Za-z0-9._+-]*$/.test(n))
    .map((n) => n.slice('vmlinuz-'.length))
    .sort()
    .reverse();
  for (const version of versions) {
    const nicModulePath = `/lib/modules/${version}/kernel/drivers/net/ethernet/intel/e1000/e1000.ko`;
    const found = await access(nicModulePath).then(
      () => true,
      () => false,
    );
    if (found) return { kernelPath: `/boot/vmlinuz-${version}`, nicModulePath };
  }
  return null;
}

/** GUEST_INIT is /init: mount, load the NIC driver, take the address and service from dbss.*=, serve, obey the control line. */
const GUEST_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /lib/modules/e1000.ko
SERVICE=http
PORT=80
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    dbss.ip=*) ADDR="\${arg#dbss.ip=}" ;;
    dbss.name=*) NAME="\${arg#dbss.name=}" ;;
    dbss.service=*) SERVICE="\${arg#dbss.service=}" ;;
    dbss.port=*) PORT="\${arg#dbss.port=}" ;;
  esac
done
ip link set lo up
ip link set eth0 up
ip addr add "$ADDR" dev eth0
mkdir -p /www /etc
echo "<p>dbss lab virtual server $NAME</p>" > /www/index.html
echo "$SERVICE $NAME" > /etc/dbss-service
case "$SERVICE" in
  ftp|smtp) nc -ll -p "$PORT" -e /bin/dbss-greeter & ;;
  *) httpd -p "$PORT" -h /www ;;
esac
echo "dbss guest $NAME: eth0 $ADDR, $SERVICE on $PORT"
# The control line (second serial port, a Unix socket on the host): "TAG vip-add A/24", "TAG vip-del
# A/24", "TAG vip-list" or "TAG vip-flush" (every address but the guest's own), one per line, answered
# "TAG ok ..." or "TAG err ...". The tag (hex) lets a client skip an answer meant for another, and a
# line garbled by the UART (written while the guest was paused) is dropped. Only lab addresses pass.
stty -F /dev/ttyS1 raw -echo
exec 3<>/dev/ttyS1
while read -r tag verb vip <&3; do
  case "$tag" in *[!0-9a-f]*|'') continue ;; esac
  case "$verb" in
    vip-list) echo "$tag ok vip-list $(ip -o -4 addr show dev eth0 | awk '{print $4}' | tr '\\n' ' ')" >&3; continue ;;
    vip-flush)
      for a in $(ip -o -4 addr show dev eth0 | awk '{print $4}'); do [ "$a" = "$ADDR" ] || ip addr del "$a" dev eth0; done
      echo "$tag ok vip-flush" >&3; continue ;;
  esac
  case "$vip" in
    *[!0-9./]*|'') echo "$tag err bad address" >&3; continue ;;
    198.18.*/*|198.19.*/*) ;;
    *) echo "$tag err not a lab address" >&3; continue ;;
  esac
  case "$verb" in
    vip-add) ip addr add "$vip" dev eth0 && arping -U -c 1 -I eth0 "\${vip%/*}" >/dev/null 2>&1; echo "$tag ok $verb $vip" >&3 ;;
    vip-del) ip addr del "$vip" dev eth0 && echo "$tag ok $verb $vip" >&3 || echo "$tag err $verb $vip" >&3 ;;
    *) echo "$tag err unknown command" >&3 ;;
  esac
done
while true; do sleep 3600; done
`;

/**
 * GUEST_GREETER answers one FTP or SMTP connection (nc -ll runs it per connection): the 220
 * greeting, 250 to HELO/EHLO (SMTP), 221 to QUIT, 502 to the rest, as the lab's banner server
 * (src/lab/services/banner-server.ts) does for the real servers.
 */
const GUEST_GREETER = `#!/bin/busybox sh
read -r SERVICE NAME < /etc/dbss-service
if [ "$SERVICE" = smtp ]; then printf '220 %s.lab ESMTP dbss lab guest\\r\\n' "$NAME"; else printf '220 %s dbss lab guest FTP ready\\r\\n' "$NAME"; fi
while read -r line; do
  case "$line" in
    QUIT*|quit*) printf '221 Bye\\r\\n'; exit 0 ;;
    HELO*|EHLO*|helo*|ehlo*) printf '250 %s.lab\\r\\n' "$NAME" ;;
    *) printf '502 Command not implemented\\r\\n' ;;
  esac
done
`;

/** buildInitramfs returns the gzip-compressed newc archive with busybox, /init, the NIC module and /dev/console. */
export async function buildInitramfs(kernel: GuestKernel): Promise<Buffer> {
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'lib', 'lib/modules', 'www'].map((path): CpioEntry => ({ kind: 'dir', path })),
    // The kernel opens /dev/console before /init runs, so it must exist in the archive itself.
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: await readFile(BUSYBOX_PATH), mode: 0o755 },
    { kind: 'file', path: 'lib/modules/e1000.ko', data: await readFile(kernel.nicModulePath) },
    { kind: 'file', path: 'init', data: Buffer.from(GUEST_INIT, 'utf8'), mode: 0o755 },
    { kind: 'file', path: 'bin/dbss-greeter', data: Buffer.from(GUEST_GREETER, 'utf8'), mode: 0o755 },
  ];
  return gzipSync(cpioArchive(entries));
}

/** GuestDomain describes one tiny guest for libvirt. */
export interface GuestDomain {
  name: string;
  uuid: string;
  /** accel is "kvm" where /dev/kvm can run the guest, "qemu" (TCG) otherwise. */
  accel: 'kvm' | 'qemu';
  memoryMiB: number;
  kernelPath: string;
  initrdPath: string;
  consoleLogPath: string;
  /** controlSocketPath is the host end of the guest's control line (its ttyS1), or null for none. */
  controlSocketPath: string | null;
  address: string;
  prefixLen: number;
  /** service is what the guest serves on its port (its target's protocol). */
  service: { kind: GuestServiceKind; port: number };
  /** nic is absent for a guest without network (the KVM driver test); bridge and tap are root-namespace links. */
  nic: { bridge: string; tap: string; mac: string } | null;
}

function xmlText(text: string): string {
  if (!/^[A-Za-z0-9._\/:@+-]*$/.test(text)) throw new TypeError(`refusing ${JSON.stringify(text)} in domain XML`);
  return text;
}

/**
 * domainXml writes the libvirt definition. The CPU is qemu64 without cx16 and xsave: the nested
 * KVM of some cloud machines cannot emulate cmpxchg16b or xrstor on guest page tables. The UUID
 * is fixed, so that defining the same guest again updates it instead of failing.
 */
export function domainXml(d: GuestDomain): string {
  if (!isIpv4(d.address)) throw new TypeError(`invalid guest address ${JSON.stringify(d.address)}`);
  if (!GUEST_SERVICE_KINDS.has(d.service.kind) || !Number.isInteger(d.service.port) || d.service.port < 1 || d.service.port > 65535) throw new TypeError(`invalid guest service ${JSON.stringify(d.service)}`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(d.uuid)) throw new TypeError(`invalid UUID ${d.uuid}`);
  const nic =
    d.nic === null
      ? ''
      : `    <interface type='bridge'>
      <source bridge='${xmlText(d.nic.bridge)}'/>
      <target dev='${xmlText(d.nic.tap)}'/>
      <mac address='${xmlText(d.nic.mac)}'/>
      <model type='e1000'/>
    </interface>
`;
  return `<domain type='${d.accel}'>
  <name>${xmlText(d.name)}</name>
  <uuid>${d.uuid}</uuid>
  <memory unit='MiB'>${Math.trunc(d.memoryMiB)}</memory>
  <vcpu>1</vcpu>
  <cpu mode='custom' match='exact' check='none'>
    <model fallback='allow'>qemu64</model>
    <feature policy='disable' name='cx16'/>
    <feature policy='disable' name='xsave'/>
  </cpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${xmlText(d.kernelPath)}</kernel>
    <initrd>${xmlText(d.initrdPath)}</initrd>
    <cmdline>console=ttyS0 panic=-1 dbss.ip=${d.address}/${d.prefixLen} dbss.name=${xmlText(d.name)} dbss.service=${d.service.kind} dbss.port=${Math.trunc(d.service.port)}</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_crash>destroy</on_crash>
  <devices>
${nic}    <serial type='file'>
      <source path='${xmlText(d.consoleLogPath)}'/>
      <target port='0'/>
    </serial>
${
  d.controlSocketPath === null
    ? ''
    : `    <serial type='unix'>
      <source mode='bind' path='${xmlText(d.controlSocketPath)}'/>
      <target port='1'/>
    </serial>
`
}
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

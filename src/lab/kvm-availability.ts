// Whether this machine can run the lab's virtual servers as KVM domains through libvirtd, and if
// not, what exactly is missing, so that `dbss lab up` can say so in one line and go on without
// them (issue 5: "a clear message naming what is missing").
import { access, open } from 'node:fs/promises';
import { runProgramStatus } from '../drivers/exec.ts';
import { findProgram } from './prerequisites.ts';
import { BUSYBOX_PATH, findGuestKernel, type GuestKernel } from './tiny-guest.ts';

export const LIBVIRT_URI = 'qemu:///system';
const VIRSH_TIMEOUT_MS = 15_000;

export type KvmAvailability = { usable: true; kernel: GuestKernel } | { usable: false; missing: string[] };

async function isFile(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function canOpenKvm(): Promise<boolean> {
  try {
    const handle = await open('/dev/kvm', 'r+');
    await handle.close();
    return true;
  } catch {
    return false;
  }
}

/** kvmAvailability checks /dev/kvm, virsh, a libvirtd that answers on qemu:///system, a Debian kernel and busybox. */
export async function kvmAvailability(): Promise<KvmAvailability> {
  const missing: string[] = [];
  if (!(await canOpenKvm())) missing.push('/dev/kvm (no hardware virtualisation here)');
  if ((await findProgram('virsh')) === null) {
    missing.push('virsh (Debian: libvirt-clients)');
  } else {
    const version = await runProgramStatus('virsh', ['-c', LIBVIRT_URI, 'version'], { timeoutMs: VIRSH_TIMEOUT_MS }).catch(() => null);
    if (version === null || version.exitCode !== 0) missing.push(`libvirtd answering on ${LIBVIRT_URI} (start virtlogd and libvirtd; see test/lab/setup-host.sh)`);
  }
  if ((await findProgram('qemu-system-x86_64')) === null) missing.push('qemu-system-x86_64 (Debian: qemu-system-x86)');
  if (!(await isFile(BUSYBOX_PATH))) missing.push(`${BUSYBOX_PATH} (Debian: busybox-static)`);
  const kernel = await findGuestKernel();
  if (kernel === null) missing.push('a kernel in /boot with its e1000 module (Debian: linux-image-amd64)');
  if (missing.length > 0 || kernel === null) return { usable: false, missing };
  return { usable: true, kernel };
}

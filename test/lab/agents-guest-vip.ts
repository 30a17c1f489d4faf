// Sets, removes or clears VIPs inside a target's virtual server (a tiny libvirt domain of the lab,
// Sec. 2.1: "the VIP is set on the virtual server"), over the guest's control line, for the agents'
// virtualVipClaim / virtualVipRelease / vsSuspend templates:
//   agents-guest-vip.ts add|del <vs> <vip> <lab-dir>
//   agents-guest-vip.ts flush <vs> <lab-dir>      (before a suspend: drop every VIP it holds)
// The paper's manager does this over SSH into the virtual server; the tiny guest has no sshd
// (src/lab/guest-control.ts). A release of a VIP the guest does not hold succeeds, as the agents'
// other releases do, and so does one from a guest that is not running (a paused guest answers for
// nothing, and was flushed when it was suspended): a manager or a fenced host that retries must not
// fail here. A flush that fails is reported and lets the suspend go on: stopping the guest matters more.
import { isHostName, isIpv4 } from '../../src/core/model/validate.ts';
import { VirshKvm } from '../../src/drivers/kvm.ts';
import { guestAddresses, guestFlush, guestVip } from '../../src/lab/guest-control.ts';
import { LIBVIRT_URI } from '../../src/lab/kvm-availability.ts';
import { labPaths } from '../../src/lab/layout.ts';
import { controlSocketOf, guestDomainOf } from '../../src/lab/virtual-servers.ts';

const [op = '', vs = '', ...rest] = process.argv.slice(2);
const fail = (message: string): never => {
  process.stderr.write(`agents-guest-vip: ${message}\n`);
  process.exit(2);
};

const running = async (): Promise<boolean> => (await new VirshKvm({ uri: LIBVIRT_URI }).domstate(guestDomainOf(vs))) === 'running';

if (!isHostName(vs)) fail('usage: agents-guest-vip.ts add|del VS VIP LABDIR | flush VS LABDIR');
if (op === 'flush') {
  const socket = controlSocketOf(labPaths(rest[0] ?? '').kvmDir, guestDomainOf(vs));
  try {
    if (await running()) await guestFlush(socket);
  } catch (error) {
    process.stderr.write(`agents-guest-vip: ${vs}: flush failed, suspending anyway: ${(error as Error).message}\n`);
  }
} else if (op === 'add' || op === 'del') {
  const [vip = '', labDir = ''] = rest;
  if (!isIpv4(vip)) fail('usage: agents-guest-vip.ts add|del VS VIP LABDIR');
  const socket = controlSocketOf(labPaths(labDir).kvmDir, guestDomainOf(vs));
  try {
    if (op === 'del' && !(await running())) process.exit(0);
    const held = (await guestAddresses(socket)).includes(vip);
    if (op === 'add' ? !held : held) await guestVip(socket, op, vip);
  } catch (error) {
    fail(`${vs}: ${(error as Error).message}`);
  }
} else {
  fail('usage: agents-guest-vip.ts add|del VS VIP LABDIR | flush VS LABDIR');
}

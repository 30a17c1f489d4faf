// Sets or removes a VIP inside a target's virtual server (a tiny libvirt domain of the lab, Sec. 2.1:
// "the VIP is set on the virtual server"), over the guest's control line, for the agents'
// virtualVipClaim / virtualVipRelease templates:
//   agents-guest-vip.ts add|del <vs> <vip> <lab-dir>
// The paper's manager does this over SSH into the virtual server; the tiny guest has no sshd
// (src/lab/guest-control.ts). A release of a VIP the guest does not hold succeeds, as the agents'
// other releases do: a manager that retries must not fail here.
import { isHostName, isIpv4 } from '../../src/core/model/validate.ts';
import { guestAddresses, guestVip } from '../../src/lab/guest-control.ts';
import { labPaths } from '../../src/lab/layout.ts';
import { controlSocketOf, guestDomainOf } from '../../src/lab/virtual-servers.ts';

const [op = '', vs = '', vip = '', labDir = ''] = process.argv.slice(2);
const fail = (message: string): never => {
  process.stderr.write(`agents-guest-vip: ${message}\n`);
  process.exit(2);
};

if ((op !== 'add' && op !== 'del') || !isHostName(vs) || !isIpv4(vip)) fail('usage: agents-guest-vip.ts add|del VS VIP LABDIR');
const socket = controlSocketOf(labPaths(labDir).kvmDir, guestDomainOf(vs));
try {
  if (op === 'del' && !(await guestAddresses(socket)).includes(vip)) process.exit(0);
  if (op === 'add' && (await guestAddresses(socket)).includes(vip)) process.exit(0);
  await guestVip(socket, op as 'add' | 'del', vip);
} catch (error) {
  fail(`${vs}: ${(error as Error).message}`);
}

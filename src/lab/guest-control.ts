// Telling the lab's virtual server to take a VIP or give it up (Sec. 2.1: the VIP is set on the
// virtual server to recover the target's function, Fig. 14 "Virtual_IP: VIP (IPR->IPV)"). The
// paper's manager does this over SSH; the tiny guest has no sshd, so it reads one command per
// line on its second serial port, which libvirt exposes as a Unix socket on the host.
import { connect } from 'node:net';
import { isIpv4 } from '../core/model/validate.ts';
import { assertSafeAbsolutePath } from '../drivers/paths.ts';
import { PREFIX_LEN } from './layout.ts';

/** GUEST_CONTROL_TIMEOUT_MS bounds one command: ip addr and one gratuitous ARP in the guest. */
export const GUEST_CONTROL_TIMEOUT_MS = 5000;

/** guestVip sends "vip-add|vip-del VIP/24" and resolves with the guest's "ok ..." line, or throws with its "err ..." line. */
export async function guestVip(socketPath: string, action: 'add' | 'del', vip: string, timeoutMs = GUEST_CONTROL_TIMEOUT_MS): Promise<string> {
  assertSafeAbsolutePath(socketPath, 'guest control socket');
  if (!isIpv4(vip) || !(vip.startsWith('198.18.') || vip.startsWith('198.19.'))) throw new TypeError(`not a lab VIP: ${JSON.stringify(vip)}`);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(socketPath);
    let received = '';
    const timer = setTimeout(() => finish(new Error(`guest did not answer vip-${action} ${vip} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | null, line?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else resolve(line ?? '');
    };
    socket.on('connect', () => socket.write(`vip-${action} ${vip}/${PREFIX_LEN}\n`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // Only whole lines: the serial line delivers the answer in pieces.
      const lines = received.split('\n').slice(0, -1).map((l) => l.trim());
      const answer = lines.find((l) => l.startsWith('ok ') || l.startsWith('err '));
      if (answer === undefined) return;
      finish(answer.startsWith('ok ') ? null : new Error(`guest refused vip-${action} ${vip}: ${answer}`), answer);
    });
    socket.on('error', (error) => finish(error));
  });
}

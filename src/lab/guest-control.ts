// Telling the lab's virtual server to take a VIP or give it up (Sec. 2.1: the VIP is set on the
// virtual server to recover the target's function, Fig. 14 "Virtual_IP: VIP (IPR->IPV)"). The
// paper's manager does this over SSH; the tiny guest has no sshd, so it reads one command per
// line on its second serial port, which libvirt exposes as a Unix socket on the host (tiny-guest.ts).
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { isIpv4 } from '../core/model/validate.ts';
import { assertSafeAbsolutePath } from '../drivers/paths.ts';
import { PREFIX_LEN } from './layout.ts';

/** GUEST_CONTROL_TIMEOUT_MS bounds one command: ip addr and one gratuitous ARP in the guest. */
export const GUEST_CONTROL_TIMEOUT_MS = 5000;

/** guestVip sends "vip-add|vip-del VIP/24" and resolves with the guest's "ok ..." line, or throws with its "err ..." line. */
export async function guestVip(socketPath: string, action: 'add' | 'del', vip: string, timeoutMs = GUEST_CONTROL_TIMEOUT_MS): Promise<string> {
  if (!isIpv4(vip) || !(vip.startsWith('198.18.') || vip.startsWith('198.19.'))) throw new TypeError(`not a lab VIP: ${JSON.stringify(vip)}`);
  return guestCommand(socketPath, `vip-${action} ${vip}/${PREFIX_LEN}`, timeoutMs);
}

/** guestAddresses asks the guest ("vip-list") which IPv4 addresses eth0 holds: its own and any VIP. */
export async function guestAddresses(socketPath: string, timeoutMs = GUEST_CONTROL_TIMEOUT_MS): Promise<string[]> {
  const answer = await guestCommand(socketPath, 'vip-list', timeoutMs);
  return answer
    .slice('ok vip-list'.length)
    .trim()
    .split(/\s+/)
    .map((a) => a.split('/')[0] ?? '')
    .filter(isIpv4);
}

/** CONNECT_RETRY_MS is the pause before connecting again: QEMU's socket takes one client at a time. */
const CONNECT_RETRY_MS = 50;

/** guestFlush asks the guest to drop every address but its own ("vip-flush"): a VIP it held when it was suspended. */
export async function guestFlush(socketPath: string, timeoutMs = GUEST_CONTROL_TIMEOUT_MS): Promise<void> {
  await guestCommand(socketPath, 'vip-flush', timeoutMs);
}

/**
 * guestCommand sends "TAG line" on the control line and resolves with the guest's "ok ..." answer
 * to that tag, or throws with its "err ..." one. QEMU's socket serves one client at a time, so a
 * connection refused while another helper talks to the guest (EAGAIN, ECONNREFUSED) is tried again
 * until timeoutMs; answers with another tag (left by a client that gave up) are skipped.
 */
async function guestCommand(socketPath: string, line: string, timeoutMs: number): Promise<string> {
  assertSafeAbsolutePath(socketPath, 'guest control socket');
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await exchange(socketPath, line, Math.max(1, deadlineMs - Date.now()));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'EAGAIN' && code !== 'ECONNREFUSED') || Date.now() + CONNECT_RETRY_MS >= deadlineMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
    }
  }
}

function exchange(socketPath: string, line: string, timeoutMs: number): Promise<string> {
  const tag = randomBytes(4).toString('hex');
  return new Promise<string>((resolve, reject) => {
    const socket = connect(socketPath);
    let received = '';
    const timer = setTimeout(() => finish(new Error(`guest did not answer ${line} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | null, answer?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else resolve(answer ?? '');
    };
    socket.on('connect', () => socket.write(`${tag} ${line}\n`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // Only whole lines: the serial line delivers the answer in pieces.
      const lines = received.split('\n').slice(0, -1).map((l) => l.trim());
      const mine = lines.find((l) => l.startsWith(`${tag} ok `) || l === `${tag} ok` || l.startsWith(`${tag} err `));
      if (mine === undefined) return;
      const answer = mine.slice(tag.length + 1);
      finish(answer.startsWith('ok') ? null : new Error(`guest refused ${line}: ${answer}`), answer);
    });
    socket.on('error', (error) => finish(error));
  });
}

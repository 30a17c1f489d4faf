// The virtual IP address (VIP) through which clients reach a service (Sec. 2.1): set on the
// virtual server to recover the function, moved back to the repaired target later (Fig. 14).
// Claiming it is `ip addr add` plus a gratuitous ARP so that neighbours update their caches at
// once, after a duplicate-address check so that two hosts never answer for one VIP.
import { isIpv4 } from '../core/model/validate.ts';
import { ExecError, type ExecOptions, runProgramStatus } from './exec.ts';

/** ArpingFlavor is which arping is installed: iputils' and BusyBox's share flags, Habets' differs. */
export type ArpingFlavor = 'iputils' | 'habets' | 'busybox';

const IFACE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/** isInterfaceName accepts a Linux interface name: at most 15 characters, no slash, space or leading dash. */
export function isInterfaceName(name: string): boolean {
  return IFACE_RE.test(name);
}

/** VipConflictError says that another host already answers for the address. */
export class VipConflictError extends Error {
  override readonly name = 'VipConflictError';
}

export interface VipCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface VipDriverOptions {
  env?: NodeJS.ProcessEnv;
  /** arping skips detection when the flavour is known from configuration. */
  arping?: ArpingFlavor;
}

/** VIP_DEFAULT_TIMEOUT_MS bounds one ip or arping call; the duplicate check sends two probes a second apart. */
export const VIP_DEFAULT_TIMEOUT_MS = 5000;

/**
 * classifyArping reads the version or help text of arping. iputils prints "iputils", Habets'
 * prints "ARPing 2.x, by Thomas Habets" (its -V takes a VLAN argument, so -V shows the usage),
 * BusyBox prints "BusyBox".
 */
export function classifyArping(text: string): ArpingFlavor | null {
  if (/iputils/i.test(text)) return 'iputils';
  if (/Habets/.test(text)) return 'habets';
  if (/BusyBox/.test(text)) return 'busybox';
  return null;
}

/** VipDriver sets and removes VIPs on the interfaces of this host. */
export class VipDriver {
  private readonly env: NodeJS.ProcessEnv | undefined;
  private flavorPromise: Promise<ArpingFlavor> | null;

  constructor(opts: VipDriverOptions = {}) {
    this.env = opts.env;
    this.flavorPromise = opts.arping === undefined ? null : Promise.resolve(opts.arping);
  }

  /** arpingFlavor runs arping -V (then --help) once and remembers the answer. */
  arpingFlavor(opts: VipCallOptions = {}): Promise<ArpingFlavor> {
    this.flavorPromise ??= this.detect(opts).catch((error: unknown) => {
      this.flavorPromise = null;
      throw error;
    });
    return this.flavorPromise;
  }

  /** addresses lists the IPv4 addresses on iface as "address/prefix". */
  async addresses(iface: string, opts: VipCallOptions = {}): Promise<string[]> {
    assertInterface(iface);
    const result = await this.run('ip', ['-o', '-4', 'addr', 'show', 'dev', iface], opts);
    if (result.exitCode !== 0) throw this.failure('ip', ['-o', '-4', 'addr', 'show', 'dev', iface], result);
    return [...result.stdout.matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})\b/g)].map((m) => m[1] ?? '');
  }

  /**
   * isInUse runs a duplicate-address probe: ARP requests from 0.0.0.0 for vip (RFC 5227), which
   * any host holding vip answers. iputils and BusyBox exit 1 on an answer (-D); Habets' exits 0
   * when it received replies, so its statistics line is read to tell "no reply" from an error.
   */
  async isInUse(vip: string, iface: string, opts: VipCallOptions = {}): Promise<boolean> {
    assertVip(vip);
    assertInterface(iface);
    const flavor = await this.arpingFlavor(opts);
    if (flavor === 'habets') {
      const args = ['-0', '-c', '2', '-i', iface, vip];
      const result = await this.run('arping', args, opts);
      const stats = /(\d+) packets transmitted, (\d+) packets received/.exec(result.stdout);
      if (stats === null || (result.exitCode !== 0 && result.exitCode !== 1)) throw this.failure('arping', args, result);
      return Number(stats[2]) > 0;
    }
    const args = ['-D', '-c', '2', '-I', iface, vip];
    const result = await this.run('arping', args, opts);
    if (result.exitCode === 0) return false;
    if (result.exitCode === 1) return true;
    throw this.failure('arping', args, result);
  }

  /** announce sends one gratuitous ARP for vip from iface, so neighbours map vip to this host's MAC now. */
  async announce(vip: string, iface: string, opts: VipCallOptions = {}): Promise<void> {
    assertVip(vip);
    assertInterface(iface);
    const flavor = await this.arpingFlavor(opts);
    if (flavor === 'habets') {
      // Habets' arping exits 1 when nobody replies, which is normal for an unsolicited ARP.
      const args = ['-U', '-c', '1', '-i', iface, '-S', vip, vip];
      const result = await this.run('arping', args, opts);
      if ((result.exitCode !== 0 && result.exitCode !== 1) || !/[1-9]\d* packets transmitted/.test(result.stdout)) {
        throw this.failure('arping', args, result);
      }
      return;
    }
    const args = ['-U', '-c', '1', '-I', iface, vip];
    const result = await this.run('arping', args, opts);
    if (result.exitCode !== 0) throw this.failure('arping', args, result);
  }

  /**
   * claim sets vip/prefixLen on iface. When this host already holds it, it only announces it
   * again (idempotent). Otherwise it first checks that no other host answers for vip and
   * refuses with a VipConflictError if one does: the old holder must release it first.
   */
  async claim(vip: string, prefixLen: number, iface: string, opts: VipCallOptions = {}): Promise<{ added: boolean }> {
    assertVip(vip);
    assertPrefix(prefixLen);
    const cidr = `${vip}/${prefixLen}`;
    if ((await this.addresses(iface, opts)).some((a) => a.startsWith(`${vip}/`))) {
      await this.announce(vip, iface, opts);
      return { added: false };
    }
    if (await this.isInUse(vip, iface, opts)) {
      throw new VipConflictError(`${vip} already answers on the network of ${iface}; refusing to claim it`);
    }
    const args = ['addr', 'add', cidr, 'dev', iface];
    const result = await this.run('ip', args, opts);
    if (result.exitCode !== 0 && !/File exists/.test(result.stderr)) throw this.failure('ip', args, result);
    await this.announce(vip, iface, opts);
    return { added: result.exitCode === 0 };
  }

  /** release removes vip/prefixLen from iface; an address that is not there is already released. */
  async release(vip: string, prefixLen: number, iface: string, opts: VipCallOptions = {}): Promise<{ removed: boolean }> {
    assertVip(vip);
    assertPrefix(prefixLen);
    assertInterface(iface);
    const args = ['addr', 'del', `${vip}/${prefixLen}`, 'dev', iface];
    const result = await this.run('ip', args, opts);
    if (result.exitCode === 0) return { removed: true };
    // Not there: older iproute2 says "Cannot assign requested address", Linux 6.1's extended ack "Address not found".
    if (/Cannot assign requested address|Address not found/.test(result.stderr)) return { removed: false };
    throw this.failure('ip', args, result);
  }

  private async detect(opts: VipCallOptions): Promise<ArpingFlavor> {
    const seen: string[] = [];
    for (const args of [['-V'], ['--help']]) {
      const result = await this.run('arping', args, opts);
      const text = `${result.stdout}\n${result.stderr}`;
      const flavor = classifyArping(text);
      if (flavor !== null) return flavor;
      seen.push(text.trim().slice(0, 200));
    }
    throw new Error(`cannot tell which arping is installed (iputils, Habets or BusyBox); it said: ${JSON.stringify(seen)}`);
  }

  private async run(program: string, args: string[], opts: VipCallOptions): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const execOpts: ExecOptions = {
      timeoutMs: opts.timeoutMs ?? VIP_DEFAULT_TIMEOUT_MS,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(this.env === undefined ? {} : { env: this.env }),
    };
    try {
      return await runProgramStatus(program, args, execOpts);
    } catch (error) {
      if (error instanceof ExecError && error.failure === 'missing') {
        const pkg = program === 'ip' ? 'iproute2' : 'iputils-arping or arping';
        throw new ExecError(program, args, 'missing', null, '', '', `${program} is not installed (Debian: ${pkg})`);
      }
      throw error;
    }
  }

  private failure(program: string, args: string[], result: { exitCode: number; stdout: string; stderr: string }): ExecError {
    return new ExecError(program, args, 'exit', result.exitCode, result.stdout, result.stderr, `exit status ${result.exitCode}`);
  }
}

function assertVip(vip: string): void {
  if (!isIpv4(vip)) throw new TypeError(`invalid virtual IP address ${JSON.stringify(vip)}`);
}

function assertPrefix(prefixLen: number): void {
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > 32) throw new RangeError(`invalid prefix length ${prefixLen}`);
}

function assertInterface(iface: string): void {
  if (!isInterfaceName(iface)) throw new TypeError(`invalid interface name ${JSON.stringify(iface)}`);
}

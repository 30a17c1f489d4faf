// Safety invariants, checked at every change of the world: a VIP answered by two live holders,
// two virtual servers running for one target, and a virtual server left running for a target
// that has its VIP back (given one monitoring interval to be suspended, as A6 takes a moment).
import type { World } from '../world/world.ts';
import type { Checker, ViolationLog } from './violation.ts';

export const VIP_UNIQUE = 'vip-unique';
export const SINGLE_VIRTUAL_SERVER = 'single-virtual-server';
export const NO_STALE_VIRTUAL_SERVER = 'no-stale-virtual-server';

export class SafetyChecker implements Checker {
  /** staleSinceUs[target] is when a virtual server started to run beside the target's own VIP (and its host could be told to stop). */
  private readonly staleSinceUs = new Map<string, number>();

  constructor(
    private readonly log: ViolationLog,
    private readonly graceUs: number,
  ) {}

  onChange(world: World): void {
    const nowUs = world.kernel.nowUs;
    const live = (h: Parameters<World['holderLive']>[0]): boolean => world.holderLive(h);
    for (const s of world.servers.values()) {
      const holders = world.vips.holders(s.data.vip).filter(live);
      if (holders.length > 1) {
        this.log.record(VIP_UNIQUE, nowUs, `${s.data.vip} (${s.name}) held by ${holders.map((h) => (h.kind === 'real' ? h.server : `${h.vsName}@${h.host}`)).join(' and ')}`);
      }
    }
    const hostsOf = new Map<string, string[]>();
    for (const host of world.servers.values()) {
      if (host.power !== 'on' && host.power !== 'shuttingDown') continue;
      for (const target of host.runningVs.values()) hostsOf.set(target, [...(hostsOf.get(target) ?? []), host.name]);
    }
    for (const [target, hosts] of hostsOf) {
      if (hosts.length > 1) this.log.record(SINGLE_VIRTUAL_SERVER, nowUs, `${target} has virtual servers on ${hosts.join(' and ')}`);
    }
    this.checkStale(world, hostsOf, nowUs);
  }

  onEnd(world: World): void {
    this.onChange(world);
  }

  private checkStale(world: World, hostsOf: Map<string, string[]>, nowUs: number): void {
    for (const s of world.servers.values()) {
      const holder = world.vips.effective(s.data.vip, (h) => world.holderLive(h));
      const back = holder !== null && holder.kind === 'real' && holder.server === s.name;
      const hosts = hostsOf.get(s.name);
      if (!back || hosts === undefined) {
        this.staleSinceUs.delete(s.name);
        continue;
      }
      // A host cut off the management network cannot be told to suspend: the grace counts from
      // when it can be again (as sem-agreement.ts counts from when replicas hear each other again).
      // Meanwhile no grace runs (Infinity): the heal is itself a change, so the first check that
      // finds every host told again is at the heal, however long no other change came in the cut.
      const untold = hosts.some((h) => world.servers.get(h)?.managementLinkUp === false);
      const earlier = this.staleSinceUs.get(s.name);
      const since = untold ? Infinity : earlier === undefined || earlier === Infinity ? nowUs : earlier;
      this.staleSinceUs.set(s.name, since);
      if (nowUs - since > this.graceUs) {
        this.log.record(NO_STALE_VIRTUAL_SERVER, since + this.graceUs, `${s.name} has its VIP back but its virtual server still runs on ${hosts.join(', ')}`);
      }
    }
  }
}

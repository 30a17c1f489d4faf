// Safety invariants, checked at every change of the world: a VIP answered by two live holders,
// two virtual servers running for one target, and a virtual server left running for a target
// that has its VIP back (given one monitoring interval to be suspended, as A6 takes a moment).
// A change looks again only at what it touched (world-change.ts): the services whose reach it may
// have changed and the hosts whose state changed. Each standing violation is counted at every
// change, as a check of the whole world would count it (ViolationLog keeps the first and a count).
import type { SimServer } from '../world/server.ts';
import type { World } from '../world/world.ts';
import type { WorldChange } from '../world/world-change.ts';
import type { Checker, ViolationLog } from './violation.ts';

export const VIP_UNIQUE = 'vip-unique';
export const SINGLE_VIRTUAL_SERVER = 'single-virtual-server';
export const NO_STALE_VIRTUAL_SERVER = 'no-stale-virtual-server';

export class SafetyChecker implements Checker {
  /** staleSinceUs[target] is when a virtual server started to run beside the target's own VIP (and its host could be told to stop). */
  private readonly staleSinceUs = new Map<string, number>();
  /** duplicated holds the services whose VIP two live holders answer now, with what the violation says. */
  private readonly duplicated = new Map<SimServer, string>();
  /** vsHosts holds, per target, the live hosts running a virtual server for it (once per virtual server), in ring order. */
  private readonly vsHosts = new Map<string, SimServer[]>();
  /** targetsOn holds, per host, the targets it was last found running virtual servers for. */
  private readonly targetsOn = new Map<SimServer, string[]>();
  private order = new Map<SimServer, number>();

  constructor(
    private readonly log: ViolationLog,
    private readonly graceUs: number,
  ) {}

  onChange(world: World, change: WorldChange | null = null): void {
    const nowUs = world.kernel.nowUs;
    if (this.order.size !== world.servers.size) this.order = new Map([...world.servers.values()].map((s, i) => [s, i]));
    const services = change === null ? [...world.servers.values()] : change.services;
    for (const s of services) this.checkDuplicate(world, s);
    for (const s of this.inRingOrder(this.duplicated.keys())) this.log.record(VIP_UNIQUE, nowUs, this.duplicated.get(s) as string);
    const touchedTargets = this.recountVirtualServers(change === null ? [...world.servers.values()] : change.hosts, change === null);
    // In the order a look at every host in ring order would meet the targets (its first host's, then that host's own order).
    const doubled = [...this.vsHosts]
      .filter(([, hosts]) => hosts.length > 1)
      .map(([target, hosts]) => ({ target, hosts, host: this.order.get(hosts[0] as SimServer) ?? 0, at: [...(hosts[0] as SimServer).runningVs.values()].indexOf(target) }))
      .sort((a, b) => a.host - b.host || a.at - b.at);
    for (const { target, hosts } of doubled) this.log.record(SINGLE_VIRTUAL_SERVER, nowUs, `${target} has virtual servers on ${hosts.map((h) => h.name).join(' and ')}`);
    const stale = new Set<SimServer>(services);
    for (const name of [...touchedTargets, ...this.staleSinceUs.keys()]) {
      const s = world.servers.get(name);
      if (s !== undefined) stale.add(s);
    }
    for (const s of this.inRingOrder(stale)) this.checkStale(world, s, nowUs);
  }

  onEnd(world: World): void {
    this.onChange(world, null);
  }

  private checkDuplicate(world: World, s: SimServer): void {
    const holders = world.vips.holders(s.data.vip).filter((h) => world.holderLive(h));
    if (holders.length > 1) this.duplicated.set(s, `${s.data.vip} (${s.name}) held by ${holders.map((h) => (h.kind === 'real' ? h.server : `${h.vsName}@${h.host}`)).join(' and ')}`);
    else this.duplicated.delete(s);
  }

  /** recountVirtualServers takes the hosts' virtual servers anew (all of them: from scratch) and returns the targets whose hosts may have changed. */
  private recountVirtualServers(hosts: readonly SimServer[], all: boolean): Set<string> {
    if (all) {
      this.vsHosts.clear();
      this.targetsOn.clear();
    }
    const touched = new Set<string>();
    for (const host of hosts) {
      for (const target of this.targetsOn.get(host) ?? []) {
        touched.add(target);
        const kept = (this.vsHosts.get(target) ?? []).filter((h) => h !== host);
        if (kept.length > 0) this.vsHosts.set(target, kept);
        else this.vsHosts.delete(target);
      }
      const targets = host.power === 'on' || host.power === 'shuttingDown' ? [...host.runningVs.values()] : [];
      this.targetsOn.set(host, targets);
      for (const target of targets) {
        touched.add(target);
        const list = this.vsHosts.get(target) ?? [];
        const at = list.findIndex((h) => (this.order.get(h) ?? 0) > (this.order.get(host) ?? 0));
        list.splice(at < 0 ? list.length : at, 0, host);
        this.vsHosts.set(target, list);
      }
    }
    return touched;
  }

  private checkStale(world: World, s: SimServer, nowUs: number): void {
    const holder = world.vips.effective(s.data.vip, (h) => world.holderLive(h));
    const back = holder !== null && holder.kind === 'real' && holder.server === s.name;
    const hosts = this.vsHosts.get(s.name);
    if (!back || hosts === undefined) {
      this.staleSinceUs.delete(s.name);
      return;
    }
    // A host cut off the management network cannot be told to suspend: the grace counts from
    // when it can be again (as sem-agreement.ts counts from when replicas hear each other again).
    // Meanwhile no grace runs (Infinity): the heal is itself a change, so the first check that
    // finds every host told again is at the heal, however long no other change came in the cut.
    const untold = hosts.some((h) => h.managementLinkUp === false);
    const earlier = this.staleSinceUs.get(s.name);
    const since = untold ? Infinity : earlier === undefined || earlier === Infinity ? nowUs : earlier;
    this.staleSinceUs.set(s.name, since);
    if (nowUs - since > this.graceUs) {
      this.log.record(NO_STALE_VIRTUAL_SERVER, since + this.graceUs, `${s.name} has its VIP back but its virtual server still runs on ${hosts.map((h) => h.name).join(', ')}`);
    }
  }

  private inRingOrder(servers: Iterable<SimServer>): SimServer[] {
    return [...servers].sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }
}

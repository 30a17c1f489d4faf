// WorldChange says what a change of the simulated world can have touched, so that the services'
// reach (availability.ts) and the safety checker look again only there: in a ring of K servers a
// failure changes the world about a dozen times, and looking at every service each time would cost
// K per change (docs/scale.md). A service's reach depends only on the claims on its VIP and on the
// hosts of those claims (World.reachOf), so a change of one host touches the services whose VIP it
// or a virtual server on it claims, and a change of claims touches the services of those VIPs.
import type { SimServer } from './server.ts';
import type { VipTable } from './vip-table.ts';

export interface WorldChange {
  /** hosts are the servers whose own state changed: power, links, service, virtual servers. */
  hosts: readonly SimServer[];
  /** services are the servers whose service's reach may have changed, in ring order. */
  services: readonly SimServer[];
}

/** ChangeScopes finds what changes touched (changeOf), knowing each VIP's services and the servers' ring order. */
export class ChangeScopes {
  /** incremental false has every change touch everything (tests compare both ways). */
  incremental = true;
  private readonly order = new Map<SimServer, number>();
  private readonly ownersOf = new Map<string, SimServer[]>();

  constructor(servers: readonly SimServer[]) {
    servers.forEach((s, i) => {
      this.order.set(s, i);
      this.ownersOf.set(s.data.vip, [...(this.ownersOf.get(s.data.vip) ?? []), s]);
    });
  }

  /** of is what a change of host touched (null: claims only; undefined: anything, returned as null). */
  of(host: SimServer | null | undefined, vips: VipTable): WorldChange | null {
    const touched = vips.takeTouched();
    return host === undefined || !this.incremental ? null : changeOf(host, touched, vips, this.ownersOf, this.order);
  }
}

/** changeOf is what a change of host (null: of VIP claims only) touched, given the VIPs whose claims changed. */
export function changeOf(host: SimServer | null, touchedVips: ReadonlySet<string>, vips: VipTable, ownersOf: ReadonlyMap<string, readonly SimServer[]>, order: ReadonlyMap<SimServer, number>): WorldChange {
  const affected = new Set<SimServer>();
  const addVip = (vip: string): void => {
    for (const s of ownersOf.get(vip) ?? []) affected.add(s);
  };
  for (const vip of touchedVips) addVip(vip);
  if (host !== null) {
    for (const vip of vips.vipsInvolving(host.name)) addVip(vip);
    addVip(host.data.vip);
  }
  return { hosts: host === null ? [] : [host], services: [...affected].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) };
}

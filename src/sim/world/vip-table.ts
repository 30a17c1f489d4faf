// VipTable records who claims each virtual IP. Clients follow the last gratuitous ARP, so the
// effective holder of a VIP is its latest claimant that is still alive; two live claimants at
// once is the duplicate the safety checker looks for.
import type { VipHolder } from '../../core/program/commands.ts';

/** holderKey names a holder in traces and checkers: `real:FTP` or `vs:FTPb@Web2`. */
export function holderKey(h: VipHolder): string {
  return h.kind === 'real' ? `real:${h.server}` : `vs:${h.vsName}@${h.host}`;
}

export class VipTable {
  private readonly claims = new Map<string, VipHolder[]>();
  /** byHost counts, per host, the claims of each VIP whose holder is that host or a virtual server on it. */
  private readonly byHost = new Map<string, Map<string, number>>();
  /** touched are the VIPs whose claims changed since takeTouched. */
  private touched = new Set<string>();

  /** claim makes holder the latest claimant of vip. */
  claim(vip: string, holder: VipHolder): void {
    const key = holderKey(holder);
    const before = this.claims.get(vip) ?? [];
    const list = before.filter((h) => holderKey(h) !== key);
    if (list.length === before.length) this.count(vip, holder, 1);
    list.push(holder);
    this.claims.set(vip, list);
    this.touched.add(vip);
  }

  /** release removes holder's claim on vip, if it has one. */
  release(vip: string, holder: VipHolder): void {
    const key = holderKey(holder);
    const list = this.claims.get(vip);
    if (list === undefined) return;
    const kept = list.filter((h) => holderKey(h) !== key);
    if (kept.length === list.length) return;
    this.claims.set(vip, kept);
    this.count(vip, holder, -1);
    this.touched.add(vip);
  }

  /** releaseWhere drops every claim whose holder matches (a server powered off takes its addresses with it). */
  releaseWhere(match: (h: VipHolder) => boolean): void {
    for (const [vip, list] of this.claims) {
      const kept = list.filter((h) => !match(h));
      if (kept.length === list.length) continue;
      for (const h of list) if (match(h)) this.count(vip, h, -1);
      this.claims.set(vip, kept);
      this.touched.add(vip);
    }
  }

  holders(vip: string): readonly VipHolder[] {
    return this.claims.get(vip) ?? [];
  }

  /** effective is the latest live claimant: the holder a client reaches. */
  effective(vip: string, live: (h: VipHolder) => boolean): VipHolder | null {
    const list = this.claims.get(vip) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const h = list[i] as VipHolder;
      if (live(h)) return h;
    }
    return null;
  }

  vips(): string[] {
    return [...this.claims.keys()];
  }

  /** vipsInvolving lists the VIPs claimed by host itself or by a virtual server on it: those whose holders change with the host. */
  vipsInvolving(host: string): Iterable<string> {
    return this.byHost.get(host)?.keys() ?? [];
  }

  /** takeTouched returns the VIPs whose claims changed since the last call, and starts afresh. */
  takeTouched(): ReadonlySet<string> {
    const touched = this.touched;
    this.touched = new Set();
    return touched;
  }

  private count(vip: string, holder: VipHolder, by: 1 | -1): void {
    const host = holder.kind === 'real' ? holder.server : holder.host;
    let vips = this.byHost.get(host);
    if (vips === undefined) this.byHost.set(host, (vips = new Map()));
    const n = (vips.get(vip) ?? 0) + by;
    if (n > 0) vips.set(vip, n);
    else vips.delete(vip);
  }
}

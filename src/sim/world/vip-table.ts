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

  /** claim makes holder the latest claimant of vip. */
  claim(vip: string, holder: VipHolder): void {
    const key = holderKey(holder);
    const list = (this.claims.get(vip) ?? []).filter((h) => holderKey(h) !== key);
    list.push(holder);
    this.claims.set(vip, list);
  }

  /** release removes holder's claim on vip, if it has one. */
  release(vip: string, holder: VipHolder): void {
    const key = holderKey(holder);
    const list = this.claims.get(vip);
    if (list !== undefined) this.claims.set(vip, list.filter((h) => holderKey(h) !== key));
  }

  /** releaseWhere drops every claim whose holder matches (a server powered off takes its addresses with it). */
  releaseWhere(match: (h: VipHolder) => boolean): void {
    for (const [vip, list] of this.claims) this.claims.set(vip, list.filter((h) => !match(h)));
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
}

// The management network of the simulated cluster (Fig. 13: the management switch): it carries SEM
// records (Sec. 3.1) and the P2P method's S.file from one management program to every other, each
// after the switch's delivery time, delayed or lost while a SemDelay or SemLoss fault holds.
import type { NodeEvent } from '../../core/program/events.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { SimServer } from './server.ts';

/** SemWindow is a SemLoss (delayUs null) or SemDelay fault on the records to and from a server. */
export interface SemWindow {
  server: string;
  fromUs: number;
  toUs: number;
  delayUs: number | null;
}

export class ManagementNetwork {
  /** semWindows are the SEM loss and delay faults in force or past (few: a linear scan is fine). */
  readonly semWindows: SemWindow[] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly servers: ReadonlyMap<string, SimServer>,
    private readonly deliveryUs: number,
  ) {}

  /** deliverToOthers sends one message from a server to every other live program on the management network. */
  deliverToOthers(from: SimServer, event: NodeEvent): void {
    if (!from.managementLinkUp) return;
    for (const to of this.servers.values()) {
      if (to === from || to.runner === null || !to.managementLinkUp) continue;
      const extraUs = this.semExtraUs(from.name, to.name);
      if (extraUs === null) continue;
      to.runner.later(this.deliveryUs + extraUs, event);
    }
  }

  /** semExtraUs is the delay the SEM faults add to a record now between two servers, or null when it is lost. */
  private semExtraUs(from: string, to: string): number | null {
    let extraUs = 0;
    const nowUs = this.kernel.nowUs;
    for (const w of this.semWindows) {
      if (nowUs < w.fromUs || nowUs >= w.toUs || (w.server !== from && w.server !== to)) continue;
      if (w.delayUs === null) return null;
      extraUs = Math.max(extraUs, w.delayUs);
    }
    return extraUs;
  }
}

// The management network of the simulated cluster (Fig. 13: the management switch): it carries SEM
// records (Sec. 3.1) and the P2P method's S.file from one management program to every other, each
// after the switch's delivery time, delayed or lost while a SemDelay or SemLoss fault holds.
import type { NodeEvent } from '../../core/program/events.ts';
import type { ProtocolNode } from '../../core/program/ports.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { SimServer } from './server.ts';
import type { NodeRunner } from './node-runner.ts';
import { Traffic } from './traffic.ts';

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
  /** cutUntilUs holds, per server, when its last cut off the management network ended (or will end). */
  private readonly cutUntilUs = new Map<string, number>();

  /** traffic counts the messages sent on it (traffic.ts). */
  readonly traffic = new Traffic();

  constructor(
    private readonly kernel: Kernel,
    private readonly servers: ReadonlyMap<string, SimServer>,
    private readonly deliveryUs: number,
  ) {}

  /** cut records that a server is off the management network until untilUs (ManagementPartition). */
  cut(server: string, untilUs: number): void {
    this.cutUntilUs.set(server, Math.max(untilUs, this.cutUntilUs.get(server) ?? -Infinity));
  }

  /**
   * impairedUntilUs is until when a server's SEM feed is (or was last) impaired: cut off the
   * management network, or in a SEM loss or delay window (a delayed record lands delayUs after
   * the window). The SEM agreement checker counts a replica's convergence from there.
   */
  impairedUntilUs(server: string): number {
    let untilUs = this.cutUntilUs.get(server) ?? -Infinity;
    for (const w of this.semWindows) if (w.server === server) untilUs = Math.max(untilUs, w.toUs + (w.delayUs ?? 0));
    return untilUs;
  }

  /**
   * deliverToOthers sends one message from a server to every other live program on the management
   * network; it tells whether the message reached one of them, or there was none to reach.
   */
  deliverToOthers(from: SimServer, event: NodeEvent): boolean {
    let others = 0;
    let sent = 0;
    let reached = 0;
    // The copies that take the switch's time alone arrive together: one kernel event hands them out
    // in the order they were sent, as their own events with consecutive sequence numbers would run.
    let together: NodeRunner[] | null = null;
    for (const to of this.servers.values()) {
      if (to === from || to.runner === null) continue;
      others++;
      if (!from.managementLinkUp) continue;
      sent++; // sent, whether or not it arrives
      if (!to.managementLinkUp) continue;
      const extraUs = this.semExtraUs(from.name, to.name);
      if (extraUs === null) continue;
      if (extraUs === 0) (together ??= []).push(to.runner);
      else to.runner.later(this.deliveryUs + extraUs, event);
      reached++;
    }
    if (together !== null) this.kernel.afterWith(this.deliveryUs, deliverAll, { runners: together, event });
    if (event.type === 'semEdits') this.traffic.addSem(event.edits, sent);
    else this.traffic.add('syncFiles', sent);
    return reached > 0 || others === 0;
  }

  /**
   * ask sends a request from one program to a peer's and carries the answer back, each way taking
   * a SEM record's time; nothing comes back when either way is cut or lost, or the peer has no answer.
   */
  ask<A>(from: SimServer, to: SimServer, answer: (peer: ProtocolNode) => A | null, event: (answer: A) => NodeEvent): void {
    if (from.managementLinkUp) this.traffic.add('semResync', 1);
    const thereUs = this.wayUs(from, to);
    if (thereUs === null) return;
    this.kernel.after(thereUs, () => {
      const a = to.runner !== null && to.runner.node.running ? answer(to.runner.node) : null;
      const backUs = this.wayUs(to, from);
      if (a === null || backUs === null || from.runner === null) return;
      this.traffic.add('semResync', 1);
      from.runner.later(backUs, event(a));
    });
  }

  /** wayUs is how long one message takes from one server to another now, or null when it is lost. */
  private wayUs(from: SimServer, to: SimServer): number | null {
    if (!from.managementLinkUp || !to.managementLinkUp || from.runner === null || to.runner === null) return null;
    const extraUs = this.semExtraUs(from.name, to.name);
    return extraUs === null ? null : this.deliveryUs + extraUs;
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

/** deliverAll hands one message to each runner in turn; a runner whose program died meanwhile drops it (NodeRunner.deliver). */
function deliverAll(copies: { runners: readonly NodeRunner[]; event: NodeEvent }): void {
  for (const runner of copies.runners) runner.deliver(copies.event);
}

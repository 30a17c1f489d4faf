// The management network of the simulated cluster (Fig. 13: the management switch): it carries SEM
// records (Sec. 3.1) and the P2P method's S.file from one management program to every other, each
// after the switch's delivery time, delayed or lost while a SemDelay or SemLoss fault holds.
import type { NodeEvent } from '../../core/program/events.ts';
import type { ProtocolNode } from '../../core/program/ports.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Trace } from '../kernel/trace.ts';
import type { SimServer } from './server.ts';
import { NodeRunner } from './node-runner.ts';
import { Traffic } from './traffic.ts';
import type { SharedHeartbeat, SharedRecord } from './shared-heartbeat.ts';
import type { Replica } from '../../core/program/replica.ts';
import type { SemEdit } from '../../core/model/sem.ts';

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

  /** shared is the heartbeat file the replicas share, with the replicas that left it (shared-heartbeat.ts), or null: each replica its own files. */
  shared: SharedHeartbeat | null = null;
  /** impairable are the servers ever cut off or in a SEM fault, in ring order: the only ones a record may miss or reach late. */
  private impairable: SimServer[] = [];
  /** live holds the servers' runners in ring order, rebuilt after a power event (runnersChanged). */
  private live: NodeRunner[] | null = null;

  constructor(
    private readonly kernel: Kernel,
    private readonly servers: ReadonlyMap<string, SimServer>,
    private readonly deliveryUs: number,
    private readonly handled: { eventsHandled: number; readonly trace: Trace },
  ) {}

  /** cut records that a server is off the management network until untilUs (ManagementPartition). */
  cut(server: string, untilUs: number): void {
    this.cutUntilUs.set(server, Math.max(untilUs, this.cutUntilUs.get(server) ?? -Infinity));
    this.mayImpair(server);
  }

  /** addSemWindow starts a SEM loss or delay fault. */
  addSemWindow(window: SemWindow): void {
    this.semWindows.push(window);
    this.mayImpair(window.server);
  }

  private mayImpair(server: string): void {
    const s = this.servers.get(server);
    if (s === undefined || this.impairable.includes(s)) return;
    this.impairable = [...this.servers.values()].filter((x) => x === s || this.impairable.includes(x));
  }

  /** runnersChanged: a program started or stopped (World's power events). */
  runnersChanged(): void {
    this.live = null;
  }

  private liveRunners(): NodeRunner[] {
    if (this.live === null) this.live = [...this.servers.values()].flatMap((s) => (s.runner === null ? [] : [s.runner]));
    return this.live;
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
    if (this.shared !== null && event.type === 'semEdits') {
      const replica = from.runner?.node.replicaHandle() ?? null;
      if (this.sharable(from)) return this.deliverShared(from, replica, event);
      // The record will not reach the shared file with the others: the sender keeps its stamp in a copy of its own.
      if (replica !== null && replica.pendingCount > 0) {
        replica.fork('heartbeat.file');
        this.shared.observe(from.runner as NodeRunner);
      }
    }
    let others = 0;
    let sent = 0;
    let reached = 0;
    // The copies that take the switch's time alone arrive together: one kernel event hands them out
    // in the order they were sent, as their own events with consecutive sequence numbers would run.
    let together: NodeRunner[] | null = null;
    let longestExtraUs = 0;
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
      longestExtraUs = Math.max(longestExtraUs, extraUs);
      reached++;
    }
    if (together !== null) this.kernel.afterWith(this.deliveryUs, deliverAll, { runners: together, event });
    if (event.type === 'semEdits') {
      this.traffic.addSem(event.edits, sent);
      if (reached > 0) this.traffic.addSpread(event.edits, this.deliveryUs + longestExtraUs);
    } else this.traffic.add('syncFiles', sent);
    return reached > 0 || others === 0;
  }

  /** sharable tells whether a SEM record from this server reaches at one instant every replica not impaired (so the shared files can take it). */
  private sharable(from: SimServer): boolean {
    if (!from.managementLinkUp) return false;
    const nowUs = this.kernel.nowUs;
    return !this.semWindows.some((w) => w.server === from.name && nowUs >= w.fromUs && nowUs < w.toUs);
  }

  /**
   * deliverShared is deliverToOthers for a SEM record that replicas sharing their files take at one
   * instant (shared-heartbeat.ts): only the impairable servers are looked at one by one. The
   * messages counted are those deliverToOthers counts, one per other live program.
   */
  private deliverShared(from: SimServer, sender: Replica | null, event: NodeEvent & { type: 'semEdits' }): boolean {
    const live = this.liveRunners();
    // Nearly every record reaches every replica and holds one heartbeat stamp: then nothing here is
    // made for it but its copy (one per stamp, K per interval; docs/scale.md).
    let excluded = NOBODY;
    let delayed = 0;
    let longestExtraUs = 0;
    for (const to of this.impairable) {
      if (to === from || to.runner === null) continue;
      const extraUs = to.managementLinkUp ? this.semExtraUs(from.name, to.name) : null;
      if (extraUs === 0) continue;
      if (excluded === NOBODY) excluded = [];
      excluded.push(to.runner);
      if (extraUs === null) continue;
      to.runner.later(this.deliveryUs + extraUs, event);
      longestExtraUs = Math.max(longestExtraUs, extraUs);
      delayed++;
    }
    const others = live.length - 1;
    const together = others - excluded.length;
    if (together + delayed > 0) this.traffic.addSpread(event.edits, this.deliveryUs + longestExtraUs);
    const edits = event.edits;
    const onlyHeartbeat = edits.every(isHeartbeatEdit);
    // With a trace, each copy is recorded in ring order as deliverAll would hand it out.
    const list = this.handled.trace.enabled ? live.filter((r) => r !== from.runner && !excluded.includes(r)) : null;
    const copy: SharedCopy = {
      heartbeat: onlyHeartbeat ? edits : edits.filter(isHeartbeatEdit),
      others: onlyHeartbeat ? NO_EDITS : edits.filter((e) => !isHeartbeatEdit(e)),
      sender,
      excluded,
      keys: undefined,
      pendingAt: undefined,
      event,
      list,
      together,
      bornBy: NodeRunner.lastSerial(),
      from: from.runner,
    };
    (this.shared as SharedHeartbeat).sent(copy);
    this.kernel.afterWith(this.deliveryUs, takeShared, this, copy);
    this.traffic.addSem(edits, others);
    return together + delayed > 0 || others === 0;
  }

  /**
   * tookShared hands a shared record to the replicas it reaches: the shared heartbeat file takes
   * its stamps once; a detached replica gets the record as its own event; the others apply its
   * other edits (rare: a failure's records), and are counted as the events they stand for.
   */
  tookShared(copy: SharedCopy): void {
    const shared = this.shared as SharedHeartbeat;
    shared.take(copy);
    const otherEdits = copy.others;
    if (copy.list !== null) {
      for (const runner of copy.list) {
        if (shared.detached.has(runner)) runner.deliver(copy.event);
        else if (runner.tookShared(copy.event)) runner.node.replicaHandle()?.applyEach(otherEdits);
      }
      return;
    }
    const reached = (runner: NodeRunner): boolean => runner.alive && runner !== copy.from && runner.serial <= copy.bornBy && !copy.excluded.includes(runner);
    let individual = 0;
    for (const runner of [...shared.detached]) {
      if (!reached(runner)) continue;
      runner.deliver(copy.event);
      individual++;
    }
    this.handled.eventsHandled += copy.together - individual;
    if (otherEdits.length === 0) return;
    for (const runner of this.liveRunners()) if (reached(runner) && !shared.detached.has(runner)) runner.node.replicaHandle()?.applyEach(otherEdits);
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

/** SharedCopy is a stamp on its way to the shared heartbeat file (the record it takes) and to the replicas it reaches (deliverShared): one object per record. */
interface SharedCopy extends SharedRecord {
  event: NodeEvent;
  /** list holds the runners it reaches in ring order when the run keeps a trace, else null (only counted). */
  list: NodeRunner[] | null;
  together: number;
  /** bornBy is the last runner's serial at sending: a runner started later was not there to be reached. */
  bornBy: number;
  from: NodeRunner | null;
}

function takeShared(network: ManagementNetwork, copy: SharedCopy): void {
  network.tookShared(copy);
}

/** NOBODY is the excluded list of a record that reaches every replica: shared by all such records, never added to. */
const NOBODY: NodeRunner[] = [];
/** NO_EDITS is the other edits of a record of heartbeat stamps only. */
const NO_EDITS: readonly SemEdit[] = [];

function isHeartbeatEdit(edit: SemEdit): boolean {
  return edit.file === 'heartbeat.file';
}

/** deliverAll hands one message to each runner in turn; a runner whose program died meanwhile drops it (NodeRunner.deliver). */
function deliverAll(copies: { runners: readonly NodeRunner[]; event: NodeEvent }): void {
  for (const runner of copies.runners) runner.deliver(copies.event);
}

// FunctionRecovery recovers a failed server's function on a virtual server (Sec. 2.1, Fig. 12
// A3 and A5): choose the host with the largest selection value (Sec. 3.3), record the virtual
// server in the problem file, resume a suspended original server there (original server method,
// Sec. 3.1) and set the service's virtual IP on it.
import { beingHandedBack } from './stand-in.ts';
import { TargetWatch } from './target-watch.ts';
import type { CommandResult, LoadReport } from '../program/commands.ts';
import { selectHost } from '../model/host-selection.ts';
import type { HostCandidate } from '../model/host-selection.ts';
import { problemEntries, problemLine, separationEntries } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { assert } from '../program/assert.ts';
import type { TimerOwner } from '../program/timer-list.ts';
import { loadsOf, okOf } from '../program/results.ts';
import { retireVirtualServer } from '../program/retried-command.ts';

/** virtualServerName names the virtual server that stands in for target ("FTPb", Fig. 10; "Loginb", Fig. 4). */
export function virtualServerName(target: string): string {
  return `${target}b`;
}

export type FunctionRecoveryState = 'created' | 'collectingLoads' | 'committingLine' | 'suspendingOld' | 'pingingOld' | 'resuming' | 'awaitingFence' | 'settingVip' | 'retiring' | 'done';

/** FunctionRecoveryDone is told where the virtual server runs, or null when none could be made. */
export type FunctionRecoveryDone = (host: string | null) => void;

export class FunctionRecovery implements CommandOwner, TimerOwner {
  state: FunctionRecoveryState = 'created';
  host: string | null = null;
  private awaitId = -1;
  /** resumed is set once the virtual server runs: a recovery that fails after it suspends it again. */
  private resumed = false;
  /** targetBack is set when the target answers again before its VIP was claimed (targetIsBack). */
  private targetBack = false;
  /** old is the virtual server A5 replaces, suspended before the new one is resumed. */
  private old: { host: string; vsName: string } | null = null;
  /** oldHostUp is set (hardened, fencing) when the host of the virtual server replaced is known to be up (oldHostIsUp). */
  private oldHostUp = false;
  private oldFencedAtUs: number | null = null; // hardened (fencing): afterOldFenced's wait, reckoned once

  constructor(
    private readonly ctx: ProgramContext,
    readonly target: string,
    private readonly onDone: FunctionRecoveryDone,
    /** relocation is set for A5's relocation of a virtual server off a host judged failed, by a server that does not manage its target. */
    private readonly relocation = false,
  ) {}

  /**
   * reassert makes sure the virtual server the problem file records on host really runs and holds
   * the VIP (both steps are idempotent). A server that takes over a failed manager's target uses
   * it: the problem line is written before the resume, so the manager may have died in between.
   */
  reassert(host: string): void {
    assert(this.state === 'created', () => `function recovery of ${this.target}: reassert in state ${this.state}`);
    this.host = host;
    // Hardened (fencing): the failed manager's resume may have gone through, so a reassert that
    // fails retires the virtual server before a new one is made (retire).
    this.resumed = this.ctx.hardened('fencing');
    this.resume('checkVirtualServer');
  }

  /**
   * start uses loads already collected (A3 ran before the re-examination), or collects them.
   * oldHostUp tells that the host of a virtual server this one replaces was judged failed by its
   * service while its network answered (St): it is up, so its virtual server runs until told (waitForOld).
   */
  start(loads: readonly LoadReport[] | null, oldHostUp = false): void {
    assert(this.state === 'created', () => `function recovery of ${this.target}: start in state ${this.state}`);
    this.oldHostUp = oldHostUp && this.ctx.hardened('fencing');
    // Hardened (readmission): a relocation's target may come back meanwhile, and no job of this server would say so (target-watch.ts).
    if (this.relocation && this.ctx.hardened('readmission')) new TargetWatch(this.ctx, this.target, () => !this.targetBack && this.state !== 'done' && this.state !== 'retiring', () => this.targetIsBack()).start();
    if (loads !== null) return this.select(loads);
    this.state = 'collectingLoads';
    this.awaitId = this.ctx.issue({ type: 'collectLoads' }, this);
  }

  onResult(id: number, result: CommandResult): void {
    const what = `function recovery of ${this.target} in ${this.state}`;
    assert(id === this.awaitId, () => `${what}: result for command ${id}, waiting for ${this.awaitId}`);
    this.awaitId = -1;
    if (this.state === 'collectingLoads') {
      const loads = loadsOf(result, what);
      if (loads !== null) return this.select(loads);
      return this.fail(); // no loads, no selection: the next tick retries
    }
    const ok = okOf(result, what);
    if (this.state === 'committingLine') return ok ? this.afterLine() : this.unheardLine();
    if (this.state === 'retiring') return ok ? this.forget() : this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'retire');
    if (this.state === 'suspendingOld') {
      if (!ok && this.oldHostUp) return this.waitOld();
      if (ok && this.oldMayStillStart()) return;
      if (!ok && this.ctx.hardened('fencing')) return this.pingOld();
      if (this.handedBack || this.targetBack) return this.forget();
      return this.resume('createVirtualServer');
    }
    if (this.state === 'pingingOld') {
      if (ok) return this.waitOld();
      // Hardened (fencing): a host cut off the management network keeps the replaced virtual server
      // running, with the VIP, and unrecorded once the Del spreads: its suspend is retried (retried-command.ts).
      retireVirtualServer(this.ctx, this.oldVs.host, this.oldVs.vsName);
      return this.afterOldFenced();
    }
    if (this.state === 'resuming') {
      if (!ok) return this.fail();
      this.resumed = true;
      this.ctx.log({ event: 'virtualServerReady', target: this.target, virtualServer: this.vsName, host: this.chosenHost });
      return this.claimVipWhenSafe();
    }
    assert(this.state === 'settingVip', () => `${what}: result ${JSON.stringify(result)} in a state that waits for none`);
    if (!ok) return this.fail();
    this.ctx.log({ event: 'virtualIpSet', target: this.target, vip: this.ctx.dataOf(this.target).vip, virtualServer: this.vsName, host: this.chosenHost });
    this.state = 'done';
    this.onDone(this.host);
  }

  /**
   * claimVipWhenSafe sets the VIP on the virtual server at once, or, in the hardened ring, once the
   * servers that might still hold it (the target, and the hosts of the virtual servers replaced)
   * must have fenced themselves (ring/fencing.ts).
   */
  private claimVipWhenSafe(): void {
    if (this.targetBack || this.handedBack) return this.fail();
    if (this.replaced) return this.withdraw();
    const safeAtUs = this.ctx.claimSafeAtUs(this.target, [this.chosenHost]);
    if (safeAtUs <= this.ctx.nowUs) return this.claimVip();
    this.state = 'awaitingFence';
    this.ctx.addTimer(safeAtUs, this, 'fence');
  }

  onTimer(tag: string): void {
    if (tag === 'retire' && this.state === 'retiring') return this.retire();
    if (tag === 'old' && this.state === 'suspendingOld') return this.waitForOld();
    if (tag === 'oldFenced' && this.state === 'pingingOld') return this.replaced ? this.forget() : this.afterOldFenced();
    assert(tag === 'fence' && this.state === 'awaitingFence', () => `function recovery of ${this.target} in ${this.state}: timer ${tag}`);
    if (this.replaced) return this.withdraw();
    if (this.handedBack) return this.fail();
    this.claimVip();
  }

  /** handedBack (hardened ring, readmission): a relocation's target was handed back meanwhile (beingHandedBack): no virtual server is made, or the one made is retired. */
  private get handedBack(): boolean {
    return this.relocation && beingHandedBack(this.ctx, this.target);
  }

  /** replaced (hardened ring, fencing): the problem file no longer records this virtual server, as another server relocated the target meanwhile (its host judged failed during the resume): it must not serve too. */
  private get replaced(): boolean {
    if (!this.ctx.hardened('fencing')) return false;
    const host = this.chosenHost;
    return !problemEntries(this.ctx.files).some((p) => p.trouble === this.target && p.host === host && p.virtualServer === this.vsName);
  }

  /**
   * withdraw suspends a virtual server that was replaced before it got the VIP. Its line is gone
   * here already, but its Del is still sent: a replica that took this server's Add after the
   * other server's Del must drop the line too, or the replicas would never agree.
   */
  private withdraw(): void {
    retireVirtualServer(this.ctx, this.chosenHost, this.vsName);
    this.ctx.commit([{ file: 'problem.file', op: 'Del', line: problemLine(this.vsName, this.target, this.chosenHost) }], null);
    this.ctx.log({ event: 'virtualServerFailed', target: this.target, virtualServer: this.vsName, host: this.host });
    this.host = null;
    this.state = 'done';
    this.onDone(null);
  }

  /**
   * waitForOld (hardened ring, fencing) asks again, each poll interval, the host that is up but could
   * not be told (cut off the management network) to suspend the virtual server replaced, and makes
   * the new one only once it did: made at once, both would run when the cut heals (the explorer's
   * single-virtual-server 417e60a2: Web1 relocated Mailb off Web2, its service stopped and its
   * management link cut). The function waits unserved meanwhile, as retire. A recovery replaced
   * meanwhile gives up, leaving the suspend to be retried (retried-command.ts).
   */
  private waitForOld(): void {
    if (this.replaced) {
      retireVirtualServer(this.ctx, this.oldVs.host, this.oldVs.vsName);
      return this.withdraw();
    }
    this.suspendOld();
  }

  /**
   * oldMayStillStart (hardened ring, fencing): the host answered the suspend, so it is up, but the
   * replaced line is young and its maker's resume may still be in flight, to land after the
   * suspend (the explorer's single-virtual-server 813955ec: FTP relocated Proxyb off Web1 while
   * Web2's resume of it ran; it landed as Web1's management link was cut, so Web2's suspend waited
   * and FTP's Proxyb@Web2 came up beside it). The suspend is sent again once that resume must have
   * landed, and retried as waitForOld's until the host hears; only then is the new one made.
   */
  private oldMayStillStart(): boolean {
    if (!this.ctx.hardened('fencing')) return false;
    const old = this.oldVs;
    const landsByUs = this.ctx.resumeLandsByUs(problemLine(old.vsName, this.target, old.host));
    if (landsByUs <= this.ctx.nowUs) return false;
    this.oldHostUp = true;
    this.ctx.addTimer(landsByUs, this, 'old');
    return true;
  }

  /**
   * pingOld (hardened ring, fencing): the host of the virtual server replaced could not be told to
   * suspend it and was judged failed by its network (or not at all), so it is taken to be down. A
   * host that answers a ping on the service network now is up: its service partition healed, its
   * management link is still cut, and the virtual server runs until told (the explorer's
   * single-virtual-server: FTP relocated Proxyb off Web1, judged failed by its service partition,
   * while Web1, back on the service network, was cut off the management network; Proxyb@Login came
   * up beside it). So the relocation waits for it as for a host judged failed by its service
   * (waitForOld), pinging again at each failed suspend; a host that does not answer is down or cut
   * off both networks, and the new one is made once it must have fenced (afterOldFenced; A6 pings too).
   */
  private pingOld(): void {
    const host = this.oldVs.host;
    this.state = 'pingingOld';
    this.awaitId = this.ctx.issue({ type: 'probeNetwork', target: host, address: this.ctx.dataOf(host).ipr, timeoutUs: this.ctx.params.networkExamTimeoutUs, extra: true }, this);
  }

  /** afterOldFenced makes the new virtual server once the old host, silent on both networks (cut off between two checks, it still runs the old one), must have fenced, suspending it (claimSafeAtUs, reckoned once as the claim's: a live holder stamping on moves one reckoned anew past each wait, for ever; explorer's function-served/vip-back b35e6e29: Web1, fenced, its clock untrusted). */
  // Hardened (fencing): a target back (targetIsBack) never fences, so none is made; its up.file waited behind for ever, VIP nowhere (explorer's function-served/vip-back: Mailb relocated off Web2, down, as Mail's partition healed).
  private afterOldFenced(): void {
    if (this.handedBack || this.targetBack) return this.forget();
    const safeAtUs = (this.oldFencedAtUs ??= this.ctx.claimSafeAtUs(this.target, [this.chosenHost]));
    if (safeAtUs <= this.ctx.nowUs) return this.resume('createVirtualServer');
    this.ctx.addTimer(safeAtUs, this, 'oldFenced');
  }

  /** waitOld asks again, a poll interval from now, for the suspend of the virtual server replaced (waitForOld). */
  private waitOld(): void {
    this.state = 'suspendingOld';
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'old');
  }

  /** suspendOld asks the host of the virtual server A5 replaces to suspend it. */
  private suspendOld(): void {
    this.state = 'suspendingOld';
    this.awaitId = this.ctx.issue({ type: 'suspendVirtualServer', host: this.oldVs.host, vsName: this.oldVs.vsName }, this);
  }

  /** oldVs is the virtual server A5 replaces; every step from suspendingOld on has one. */
  private get oldVs(): { host: string; vsName: string } {
    const old = this.old;
    assert(old !== null, () => `function recovery of ${this.target} in ${this.state}: no virtual server to replace`);
    return old;
  }

  private claimVip(): void {
    const vip = this.ctx.dataOf(this.target).vip;
    this.state = 'settingVip';
    this.awaitId = this.ctx.issue({ type: 'setVip', vip, to: { kind: 'virtual', vsName: this.vsName, host: this.chosenHost }, from: null }, this);
  }

  /** chosenHost is the host of the virtual server once selected (A5); every step after the selection has one. */
  private get chosenHost(): string {
    const host = this.host;
    assert(host !== null, () => `function recovery of ${this.target} in ${this.state}: no host chosen`);
    return host;
  }

  private get vsName(): string {
    return virtualServerName(this.target);
  }

  /** select is A5: rank the hosts that answered, skipping failed servers, those this server found failing (Sec. 5.3) and the target. */
  private select(loads: readonly LoadReport[]): void {
    if (this.targetBack) return this.forget();
    const files = this.ctx.files;
    const separated = new Set(separationEntries(files).map((e) => e.server));
    const failing = new Set(this.ctx.failingTargets?.() ?? []);
    // How many virtual servers each host runs, counted once: a large ring has a load report per server.
    const problems = problemEntries(files);
    const vmCounts = new Map<string, number>();
    for (const p of problems) vmCounts.set(p.host, (vmCounts.get(p.host) ?? 0) + 1);
    const candidates: HostCandidate[] = loads
      .filter((r) => r.server !== this.target && !separated.has(r.server) && !failing.has(r.server))
      .map((r) => ({
        server: r.server,
        predicted: r.predicted,
        spec: r.spec,
        vmCapacity: r.vmCapacity,
        vmCount: vmCounts.get(r.server) ?? 0,
      }));
    // Another manager may have made this virtual server while the loads were being collected
    // (a relocation after its host failed): adopt it rather than make a second (Sec. 3.1).
    const existing = problems.find((p) => p.trouble === this.target && !separated.has(p.host));
    if (existing !== undefined) {
      this.host = existing.host;
      this.state = 'done';
      return this.onDone(existing.host);
    }
    const host = selectHost(candidates, this.ctx.dataOf(this.target).serverType);
    if (host === null) {
      this.ctx.log({ event: 'noHostForVirtualServer', target: this.target });
      this.state = 'done';
      this.onDone(null);
      return;
    }
    this.host = host;
    // The problem line is written before the resume so that a selection running at the same
    // time elsewhere already counts this virtual server against the host (VM term, Sec. 3.3).
    const replaced = problems.filter((p) => p.trouble === this.target);
    const edits: SemEdit[] = replaced.map((p) => ({ file: 'problem.file', op: 'Del', line: problemLine(p.virtualServer, p.trouble, p.host) }));
    edits.push({ file: 'problem.file', op: 'Add', line: problemLine(this.vsName, this.target, host) });
    // Hardened (heartbeatTrust): the virtual server is made only once another server heard its line (unheardLine).
    const untilHeard = this.ctx.hardened('heartbeatTrust');
    const commitId = this.ctx.commit(edits, untilHeard ? this : null);
    const old = replaced[0];
    if (old !== undefined) this.old = { host: old.host, vsName: old.virtualServer };
    // Hardened (fencing): lines that concurrent recoveries wrote (the merge keeps both) name virtual servers that may run too.
    if (this.ctx.hardened('fencing')) for (const p of replaced.slice(1)) retireVirtualServer(this.ctx, p.host, p.virtualServer);
    if (!untilHeard) return this.afterLine();
    this.state = 'committingLine';
    this.awaitId = commitId;
  }

  /**
   * afterLine goes on once the problem line is written. A virtual server being replaced ran on a
   * host judged failed; that host may still be up (a service problem, St), its virtual server still
   * answering. Suspend it first, so that two never serve the same target and VIP at once; on a host
   * that is down the suspend just fails.
   */
  private afterLine(): void {
    if (this.old !== null) return this.suspendOld();
    this.resume();
  }

  /**
   * unheardLine (hardened ring, heartbeatTrust, as unheardFailure for A4): no other management
   * server got A5's line, so none knows of a virtual server made now; a manager that takes the
   * target over meanwhile (this server cut off and stale) would make a second one beside it (the
   * explorer's single-virtual-server 7bbdffba: Web1, cut off 2 ms before, made Web2b on itself;
   * FTP, taking Web2 over, made it on Login). So none is made: the line is withdrawn (its Del
   * follows the Add wherever SEM carries them) and the next tick tries again. The virtual server
   * replaced is suspended anyway, as its line's Del will spread.
   */
  private unheardLine(): void {
    const old = this.old;
    if (old !== null) {
      if (this.ctx.hardened('fencing')) retireVirtualServer(this.ctx, old.host, old.vsName);
      else this.ctx.issue({ type: 'suspendVirtualServer', host: old.host, vsName: old.vsName }, null);
    }
    this.forget();
  }

  private resume(event: 'createVirtualServer' | 'checkVirtualServer' = 'createVirtualServer'): void {
    const host = this.chosenHost;
    this.ctx.log({ event, target: this.target, virtualServer: this.vsName, host });
    this.state = 'resuming';
    this.awaitId = this.ctx.issue({ type: 'resumeVirtualServer', host, vsName: this.vsName, target: this.target }, this);
  }

  /**
   * targetIsBack (hardened ring) tells the recovery that the target answers again (its background
   * job, or a relocation's watch, found it normal): its VIP is not to be taken, so a claim still
   * waiting for the target to fence is given up, now or when the virtual server is ready.
   */
  targetIsBack(): void {
    this.targetBack = true;
    if (this.state !== 'awaitingFence') return;
    this.ctx.removeTimers(this);
    this.fail();
  }

  /**
   * fail withdraws the problem line of a virtual server that could not be made, so a later tick
   * retries; one that was resumed (or, hardened, found recorded) but did not get the VIP is
   * suspended first, so it never runs unrecorded.
   */
  private fail(): void {
    if (this.host !== null && this.resumed && this.ctx.hardened('fencing')) return this.retire();
    if (this.host !== null && this.resumed) this.ctx.issue({ type: 'suspendVirtualServer', host: this.host, vsName: this.vsName }, null);
    this.forget();
  }

  /**
   * retire (hardened ring, fencing) suspends a virtual server that ran but did not get the VIP
   * before the recovery ends, again each poll interval while its host cannot be told; the next
   * tick's recovery would otherwise make a second one beside it (the explorer's single-virtual-server:
   * a claim failed because the host was cut off the management network). A host judged failed
   * (separated) meanwhile took its virtual server down with it.
   */
  private retire(): void {
    this.state = 'retiring';
    const host = this.chosenHost;
    if (separationEntries(this.ctx.files).some((e) => e.server === host)) return this.forget();
    this.awaitId = this.ctx.issue({ type: 'suspendVirtualServer', host, vsName: this.vsName }, this);
  }

  /** forget withdraws the problem line of a virtual server that does not run (any more) and ends the recovery. */
  private forget(): void {
    if (this.host !== null) {
      const line = problemLine(this.vsName, this.target, this.host);
      this.ctx.commit([{ file: 'problem.file', op: 'Del', line }], null);
    }
    this.ctx.log({ event: 'virtualServerFailed', target: this.target, virtualServer: this.vsName, host: this.host });
    this.host = null;
    this.state = 'done';
    this.onDone(null);
  }
}

// P2pNode is a management program of the P2P method that the paper compares the ring with
// (Sec. 2.3, Fig. 2(a), Fig. 3, and the P2P parts of Sec. 5.3): every server manages the running
// server after it with priority 1 and the one before it with priority 2. The S.file, broadcast
// every interval, synchronises the monitoring times (Sec. 2.3): it sets the schedule, and each
// server monitors at every tick of that schedule whether or not this interval's S.file came
// (Sec. 5.3: Login detects the failed Mail, which would send it, at its normal time). It shares
// the executor, files, load and DBSS steps with the ring method.
import { Dbss } from '../dbss/dbss.ts';
import type { ProblemKind } from '../dbss/recovery-job.ts';
import { assert, unexpected } from '../program/assert.ts';
import type { CommandResult } from '../program/commands.ts';
import type { NodeEvent } from '../program/events.ts';
import { ManagementProgram } from '../program/management-program.ts';
import { ringPosition } from '../model/management-files.ts';
import { P2Monitor } from './p2-monitor.ts';
import { P2pRecovery } from './p2p-recovery.ts';
import type { P2pNodeActions } from './p2p-recovery.ts';

export class P2pNode extends ManagementProgram implements P2pNodeActions {
  private readonly p1 = new Map<string, Dbss>();
  private readonly p2 = new Map<string, P2Monitor>();
  private readonly recovery = new P2pRecovery(this, this);
  /** manages counts the P1 role only: P2 watches by design, P1 is the manager that acts. */
  manages(target: string): boolean {
    return this.p1.has(target);
  }

  managedTargets(): string[] {
    return [...this.p1.keys()];
  }

  recoveringTargets(): string[] {
    return [...this.p1.values()].filter((d) => d.recovering).map((d) => d.target);
  }

  /** p1Targets and p2Targets list what this program manages with each priority. */
  p1Targets(): string[] {
    return [...this.p1.keys()];
  }

  p2Targets(): string[] {
    return [...this.p2.keys()];
  }

  protected onStart(): void {}

  protected onStop(): void {
    for (const d of this.p1.values()) d.stop();
    for (const m of this.p2.values()) m.stop();
    this.p1.clear();
    this.p2.clear();
    this.recovery.clear();
  }

  /**
   * onMeasured: the first running server of the group file broadcasts the S.file (Sec. 2.3), and
   * every server monitors at once, on the synchronised schedule: a missing S.file (its sender has
   * failed) does not move a tick, since the schedule it set stays the servers' own (UNIX time
   * multiples of the interval, Sec. 3.2, which all simulated clocks keep alike).
   */
  protected onMeasured(): void {
    if (this.runningServers()[0] === this.name) this.issue({ type: 'broadcastSync' }, null);
    this.monitor();
  }

  protected onOwnTimer(tag: string): never {
    throw unexpected(`P2P program timer`, tag);
  }

  protected onOwnResult(id: number, result: CommandResult): never {
    throw unexpected(`P2P program result for command ${id}`, result);
  }

  protected onMethodEvent(event: NodeEvent): void {
    switch (event.type) {
      case 'syncFile':
        // The schedule it carries is the one this server already ticks on: nothing to adjust.
        return;
      case 'jobResult':
        // U.file and D.file go to the target's P2 as its P1 sees the files (Sec. 2.3); a server
        // that holds no P2 role for the target (it ended, or the roles moved) has nobody to tell.
        this.p2.get(event.target)?.onJobResult(event.result);
        return;
      case 'startRole':
        if (event.role === 'P2') this.ensureP2(event.target);
        else this.ensureP1(event.target)?.onTick();
        return;
      default:
        throw unexpected(`event for the P2P method`, event);
    }
  }

  /** monitor reconciles both roles with the group file and runs this interval's examinations. */
  private monitor(): void {
    const running = this.runningServers();
    const at = ringPosition(running, this.name);
    const p1Target = at < 0 || running.length < 2 ? null : (running[(at + 1) % running.length] as string);
    const p2Target = at < 0 || running.length < 3 ? null : (running[(at - 1 + running.length) % running.length] as string);
    for (const [target, d] of this.p1) if (d.monitoring && target !== p1Target) this.endP1(d);
    for (const [target, m] of this.p2) if (m.idle && target !== p2Target) this.endP2(m);
    if (p1Target !== null) this.ensureP1(p1Target);
    if (p2Target !== null) this.ensureP2(p2Target);
    for (const d of [...this.p1.values()]) d.onTick();
    for (const m of [...this.p2.values()]) m.onTick();
  }

  /** startLocalP1 makes this program manage target as P1 now and examine it at once (p2p-recovery.ts). */
  startLocalP1(target: string): void {
    this.ensureP1(target)?.onTick();
  }

  /**
   * adoptHere is the end of a P2's take-over (Sec. 2.3: "S3, rather than S1, performs an operation
   * with P1"): the P1 program started here for the target goes straight to the recovery the P2
   * examinations have already confirmed.
   */
  adoptHere(target: string, kind: ProblemKind): boolean {
    const d = this.ensureP1(target);
    if (d === null || !d.monitoring) return false;
    d.adopt(kind);
    return true;
  }

  /** startLocalP2 makes this program manage target as P2 now (a take-over's program start, p2p-recovery.ts). */
  startLocalP2(target: string): void {
    this.ensureP2(target);
  }

  private ensureP1(target: string): Dbss | null {
    if (target === this.name) return null;
    const existing = this.p1.get(target);
    if (existing !== undefined) return existing;
    this.log({ event: 'startDbss', target, role: 'P1' });
    const recovery = this.recovery;
    const hooks = {
      prepareFunctionRecovery: (d: Dbss) => recovery.prepareFunctionRecovery(d),
      announceResult: (d: Dbss, r: 'up' | 'down') => recovery.announceResult(d, r),
      cancel: (d: Dbss) => recovery.cancel(d),
      separated: () => undefined,
      ended: (x: Dbss) => this.endP1(x),
    };
    const d = new Dbss(this, hooks, target);
    this.p1.set(target, d);
    return d;
  }

  private ensureP2(target: string): void {
    if (target === this.name || this.p2.has(target)) return;
    this.log({ event: 'startDbss', target, role: 'P2' });
    // A P2 whose P1 failed starts a P1 program for the target here first (Sec. 2.3).
    const m = new P2Monitor(this, { adoptAsP1: (t, k, failedP1) => this.recovery.startProgramHere(t, k, failedP1), ended: (x) => this.endP2(x) }, target);
    this.p2.set(target, m);
  }

  private endP1(d: Dbss): void {
    assert(this.p1.get(d.target) === d, () => `ending a P1 DBSS for ${d.target} that is not the one it runs`);
    this.log({ event: 'endDbss', target: d.target, role: 'P1' });
    d.stop();
    this.p1.delete(d.target);
  }

  private endP2(m: P2Monitor): void {
    assert(this.p2.get(m.target) === m, () => `ending a P2 monitor for ${m.target} that is not the one it runs`);
    this.log({ event: 'endDbss', target: m.target, role: 'P2' });
    m.stop();
    this.p2.delete(m.target);
  }
}

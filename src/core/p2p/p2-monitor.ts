// P2Monitor is the priority-2 side of the P2P method (Sec. 2.3, Fig. 3). It examines its target
// at every tick like P1 does; when it finds the target failed it does not recover it, but
// waits for P1's U.file or D.file while examining P1 itself, and takes over as P1 when P1 is
// found abnormal. It re-examines the target and examines P1 at the same time.
import { networkProbe, serviceProbe } from '../dbss/probes.ts';
import type { JobResult, ProblemKind } from '../dbss/recovery-job.ts';
import { runningLineOf } from '../model/management-files.ts';
import { assert, unexpected } from '../program/assert.ts';
import type { CommandResult } from '../program/commands.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { okOf } from '../program/results.ts';
import { p1Of } from './roles.ts';

/**
 * P2State: 'examining' the target at a tick; 're-examining' it and examining P1 at once after a
 * failed examination; 'waiting' for P1's U.file or D.file (examining P1 at each tick meanwhile).
 */
export type P2State = 'idle' | 'examining' | 'reexamining' | 'waiting' | 'ended';

/** P2Hooks let the monitor hand the target to its program's P1 role when P1 has failed. */
export interface P2Hooks {
  /** adoptAsP1 hands target over; failedP1 is the P1 found failed, null when no other server was P1. */
  adoptAsP1(target: string, kind: ProblemKind, failedP1: string | null): void;
  ended(monitor: P2Monitor): void;
}

/** A probe of one server: network first, then service. */
interface Probe {
  server: string;
  step: 'network' | 'service';
  id: number;
  /** ok is the re-examination's verdict, null until it is in. */
  ok: boolean | null;
  /** underWay is true while a command of the probe has not answered. */
  underWay: boolean;
}

export class P2Monitor implements CommandOwner {
  state: P2State = 'idle';
  problem: ProblemKind | null = null;
  private target_: Probe | null = null;
  private p1: Probe | null = null;
  private reexam = false;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly hooks: P2Hooks,
    readonly target: string,
  ) {}

  get idle(): boolean {
    return this.state === 'idle';
  }

  /** onTick examines the target when idle, and P1 when waiting for its U.file or D.file. */
  onTick(): void {
    if (this.state === 'idle') {
      this.state = 'examining';
      this.reexam = false;
      this.target_ = this.replace(this.target_, this.target);
    } else if (this.state === 'waiting' && this.p1 === null) {
      // The target is back in the group file: its U.file went to another P2 (Sec. 2.3 sends it to
      // the target's P2 of the moment), so stop waiting as if it had come here.
      if (runningLineOf(this.ctx.files, this.target) !== undefined) return this.onJobResult('up');
      const p1 = p1Of(this.ctx.files, this.target);
      if (p1 === null || p1 === this.ctx.self) return this.adopt(null);
      this.p1 = this.probe(p1);
    }
  }

  /** onJobResult is P1's U.file (examine the target again at the next tick) or D.file (stop managing it). */
  onJobResult(result: JobResult): void {
    assert(this.state !== 'ended', () => `P2 monitor of ${this.target}: ${result === 'up' ? 'U' : 'D'}.file after it ended`);
    this.ctx.log({ event: result === 'up' ? 'receiveUpFile' : 'receiveDownFile', target: this.target });
    // P1 answered for itself: an examination of it under way no longer matters.
    this.forget(this.p1);
    this.p1 = null;
    if (result === 'up') this.state = 'idle';
    else this.end();
  }

  stop(): void {
    this.state = 'ended';
    this.ctx.release(this);
  }

  onResult(id: number, result: CommandResult): void {
    const what = `P2 monitor of ${this.target} in ${this.state}`;
    assert(this.state !== 'ended', () => `${what}: result for command ${id}`);
    const ok = okOf(result, what);
    const target = this.target_;
    if (target !== null && target.underWay && id === target.id) {
      target.underWay = false;
      return this.onTargetProbe(target, ok);
    }
    const p1 = this.p1;
    if (p1 !== null && p1.underWay && id === p1.id) {
      p1.underWay = false;
      return this.onP1Probe(p1, ok);
    }
    throw unexpected(`${what}: result for command ${id}, which neither the target's probe (${target?.id}) nor P1's (${p1?.id}) is`, result);
  }

  /** probe starts the network examination of server; nextStep follows with its service. */
  private probe(server: string): Probe {
    const id = this.ctx.issue(networkProbe(this.ctx, server), this);
    return { server, step: 'network', id, ok: null, underWay: true };
  }

  /** replace starts a new probe of server in place of old, whose result, if still under way, no longer matters. */
  private replace(old: Probe | null, server: string): Probe {
    this.forget(old);
    return this.probe(server);
  }

  /** forget stops waiting for a probe's answer: the command goes on, its result is ignored. */
  private forget(p: Probe | null): void {
    if (p === null || !p.underWay) return;
    p.underWay = false;
    this.ctx.drop(p.id);
  }

  private nextStep(p: Probe, retry: boolean): void {
    p.step = 'service';
    p.underWay = true;
    p.id = this.ctx.issue(serviceProbe(this.ctx, p.server, retry), this);
  }

  private onTargetProbe(p: Probe, ok: boolean): void {
    if (ok && p.step === 'network') return this.nextStep(p, this.reexam);
    const kind: ProblemKind = p.step === 'network' ? 'network' : 'service';
    if (!this.reexam) {
      if (ok) {
        this.state = 'idle';
        return;
      }
      // First failed examination: re-examine the target and examine P1 at the same time.
      this.ctx.log({ event: kind === 'network' ? 'networkProblemDetected' : 'serviceProblemDetected', target: this.target, address: null });
      this.problem = kind;
      this.reexam = true;
      this.state = 'reexamining';
      this.target_ = this.probe(this.target);
      const p1 = p1Of(this.ctx.files, this.target);
      this.forget(this.p1);
      // With no other running P1 there is nobody to wait for: count P1 as failed.
      this.p1 = p1 === null || p1 === this.ctx.self ? { server: '', step: 'service', id: -1, ok: false, underWay: false } : this.probe(p1);
      return;
    }
    p.ok = ok;
    if (ok) this.problem = null;
    else this.problem = kind;
    this.settle();
  }

  private onP1Probe(p: Probe, ok: boolean): void {
    if (ok && p.step === 'network') return this.nextStep(p, false);
    p.ok = ok;
    if (this.state === 'waiting') {
      this.p1 = null;
      if (!ok) this.adopt(p.server);
      return;
    }
    this.settle();
  }

  /** settle decides once both the re-examination and the P1 examination are in. */
  private settle(): void {
    if (this.state !== 'reexamining' || this.target_?.ok === null || this.p1?.ok === null) return;
    if (this.target_?.ok === true) {
      this.state = 'idle';
      this.p1 = null;
      return;
    }
    if (this.p1?.ok === false) return this.adopt(this.p1.server === '' ? null : this.p1.server);
    this.ctx.log({ event: 'waitJobResult', target: this.target });
    this.state = 'waiting';
    this.p1 = null;
  }

  /** adopt hands the target to this server's P1 role: "S3, rather than S1, performs an operation with P1". */
  private adopt(failedP1: string | null): void {
    this.ctx.log({ event: 'takeOverAsP1', target: this.target });
    this.hooks.adoptAsP1(this.target, this.problem ?? 'network', failedP1);
    this.end();
  }

  private end(): void {
    this.state = 'ended';
    this.hooks.ended(this);
  }
}

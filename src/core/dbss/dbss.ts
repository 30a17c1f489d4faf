// Dbss is one DBSS: the foreground job with which a management server manages one target
// (Sec. 2.1, Fig. 1, with the ring additions A3-A6 of Fig. 12). Several run side by side on a
// server when dynamic management extension (Sec. 4.2) gives it more than one target. Both methods
// use it: the ring as its one manager per target, the P2P method as the target's P1 (Sec. 2.3).
import type { CommandResult, LoadReport } from '../program/commands.ts';
import { problemEntries, runningLineOf, separationEntries } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';
import { assert, unexpected } from '../program/assert.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { loadsOf, okOf } from '../program/results.ts';
import { FunctionRecovery } from './function-recovery.ts';
import { HandBack } from './hand-back.ts';
import { StandInHandBack } from './stand-in.ts';
import { ProbedTarget } from './probes.ts';
import type { HandBackCaller } from './hand-back.ts';
import type { DbssHooks } from './recovery-hooks.ts';
import { RecoveryJob } from './recovery-job.ts';
import type { JobResult, ProblemKind } from './recovery-job.ts';

export type DbssState =
  | 'idle' // normal monitoring (M1 of Fig. 10): waiting for the next tick
  | 'examNetwork'
  | 'examService'
  | 'checkingSelf' // hardened ring (fencing): the manager checks itself before it trusts a failed examination
  | 'collectingLoads' // A3
  | 'reexamNetwork'
  | 'reexamService'
  | 'committingFailure' // A4
  | 'recovering' // (M1) of Fig. 10: the background job runs, the function is or is being recovered
  | 'handingBack' // A6 after up.file (hand-back.ts)
  | 'watching' // hardened ring (readmission): the job gave up; the target is examined at every tick
  | 'watchingNetwork'
  | 'watchingService'
  | 'ended';

export class Dbss extends ProbedTarget implements CommandOwner, HandBackCaller {
  state: DbssState = 'idle';
  problem: ProblemKind | null = null;
  /** detectedAtUs is when the first failed examination ended (Sec. 5.2's failure detection time). */
  detectedAtUs: number | null = null;
  private awaitId = -1;
  private loads: readonly LoadReport[] | null = null;
  private job: RecoveryJob | null = null;
  private recovery: FunctionRecovery | null = null;
  private handBack: HandBack | null = null;
  private failedBack: HandBack | null = null; // the last failed hand-back, whose restore the next one follows
  private pendingJobResult: JobResult | null = null;
  private takeover = false;
  private standIn: StandInHandBack | null = null;
  /** describe names this DBSS and its state in an assertion's message: made once, called only when one fails (results.ts What). */
  private readonly describe = (): string => `DBSS ${this.target} in ${this.state}`;

  constructor(
    ctx: ProgramContext,
    private readonly hooks: DbssHooks,
    target: string,
  ) {
    super(ctx, target);
  }

  /** monitoring tells whether this DBSS is in normal monitoring, the only state automatic connection selection may end. */
  get monitoring(): boolean {
    return this.state === 'idle';
  }

  /** watching tells whether the job gave the target up and this DBSS watches for it to come back (hardened ring, readmission). */
  get watching(): boolean {
    return this.state === 'watching' || this.state === 'watchingNetwork' || this.state === 'watchingService';
  }

  /**
   * yieldable tells whether this DBSS may be ended and leave its target to another manager
   * (hardened ring, readmission.ts): it watches, or its background job runs with no virtual
   * server being made; never halfway through the files of A4 or a hand-back.
   */
  get yieldable(): boolean {
    return this.watching || (this.state === 'recovering' && this.recovery === null);
  }

  /** recovering tells whether this DBSS is past detection and not back to normal monitoring: (M1) of Fig. 10. */
  get recovering(): boolean {
    return this.state === 'committingFailure' || this.state === 'recovering' || this.state === 'handingBack';
  }

  /**
   * onTick runs external monitoring at a tick; a recovering DBSS with no virtual server retries
   * making one. A DBSS busy with an examination or a hand-back lets the tick pass.
   */
  onTick(): void {
    if (this.state === 'idle') return this.examine(false);
    if (this.state === 'watching') return this.watch();
    if (this.state !== 'recovering' || this.recovery !== null) return;
    // Another manager has returned the target meanwhile (it is back in the group file, e.g. after
    // taking over from this server while it was judged failed): this recovery is stale, so end it.
    if (runningLineOf(this.ctx.files, this.target) !== undefined) {
      this.ctx.log({ event: 'alreadyHandled', target: this.target });
      this.job?.stop();
      return this.end();
    }
    if (this.liveVirtualHost() === null) this.recoverFunction(null);
  }

  /**
   * takeOver adopts a target that is already separated but whose manager has failed (Fig. 10(d)):
   * examine it once now; if it still fails, recover its function and restart it from here.
   */
  takeOver(): void {
    assert(this.state === 'idle', () => `DBSS ${this.target}: take-over in state ${this.state}`);
    this.takeover = true;
    this.examine(false);
  }

  /** adopt takes over a target another manager's partner has already confirmed failed (P2P, Sec. 2.3): no further examination. */
  adopt(kind: ProblemKind): void {
    assert(this.state === 'idle', () => `DBSS ${this.target}: adopted in state ${this.state}`);
    this.takeover = true;
    this.confirmed(kind);
  }

  /**
   * stop ends this DBSS at once (it ended, or its program stops): its background job and hand-back
   * go with it and no result it waited for reaches it. A function recovery under way finishes what
   * it started (a virtual server half made must not stay unrecorded).
   */
  stop(): void {
    this.job?.stop();
    this.ctx.release(this);
    if (this.handBack !== null) {
      this.ctx.release(this.handBack);
      this.ctx.removeTimers(this.handBack);
    }
    this.hooks.cancel(this);
    this.state = 'ended';
  }

  onResult(id: number, result: CommandResult): void {
    assert(id === this.awaitId, () => `DBSS ${this.target} in ${this.state}: result for command ${id}, waiting for ${this.awaitId}`);
    this.awaitId = -1;
    const what = this.describe;
    switch (this.state) {
      case 'examNetwork':
      case 'reexamNetwork':
        if (okOf(result, what)) return this.examineService(this.state === 'reexamNetwork');
        return this.state === 'examNetwork' ? this.detected('network') : this.confirmed('network');
      case 'examService':
        if (okOf(result, what)) return this.normal();
        return this.detected('service');
      case 'reexamService':
        if (okOf(result, what)) return this.normal();
        return this.confirmed('service');
      case 'checkingSelf':
        if (okOf(result, what)) return this.afterDetection(this.problem ?? 'network');
        // This manager's own check failed: the failed examination may be its own; the next tick examines again.
        this.state = 'idle';
        return;
      case 'collectingLoads':
        this.loads = loadsOf(result, what);
        return this.examine(true);
      case 'committingFailure':
        // A4's edits are applied locally already; in the paper's method SEM carries them on either way.
        if (!okOf(result, what) && this.ctx.hardened('heartbeatTrust')) return this.unheardFailure();
        return this.startRecovery();
      case 'watchingNetwork':
        if (!okOf(result, what)) return void (this.state = 'watching');
        this.state = 'watchingService';
        this.awaitId = this.ctx.issue(this.serviceProbe(false), this);
        return;
      case 'watchingService':
        // A virtual server being made meanwhile (onHostFailed) is finished first; a later tick hands back.
        if (!okOf(result, what) || this.recovery !== null) return void (this.state = 'watching');
        this.ctx.log({ event: 'ipIsNormal', target: this.target, address: this.ipr });
        return this.returnTarget();
      case 'idle':
      case 'recovering':
      case 'handingBack':
      case 'watching':
      case 'ended':
        throw unexpected(`result ${id} for ${what()}`, result);
    }
  }

  private examine(reexam: boolean): void {
    this.state = reexam ? 'reexamNetwork' : 'examNetwork';
    this.awaitId = this.ctx.issue(this.networkProbe(), this);
  }

  /** examineService waits up to Table 1's maximum; a re-examination keeps retrying for that long. */
  private examineService(reexam: boolean): void {
    this.state = reexam ? 'reexamService' : 'examService';
    this.awaitId = this.ctx.issue(this.serviceProbe(reexam), this);
  }

  /**
   * watch is readmission (hardened ring, program/hardening.ts): a target its background job gave
   * up on (down.file) may come back by itself, so it is examined at every tick (network, then
   * service) and handed back (A6) once it answers again. Its function stays served meanwhile, as
   * a recovering DBSS keeps it: a virtual server lost is made again (here, or onHostFailed).
   */
  private watch(): void {
    if (this.recovery === null && this.liveVirtualHost() === null) this.recoverFunction(null);
    if (this.recovery !== null) return;
    this.state = 'watchingNetwork';
    this.awaitId = this.ctx.issue(this.networkProbe(), this);
  }

  private normal(): void {
    this.ctx.log({ event: 'ipIsNormal', target: this.target, address: this.ipr });
    if (this.takeover) return this.returnTarget();
    this.state = 'idle';
    // Hardened (readmission): a virtual server still standing in is a hand-back left unfinished (stand-in.ts).
    if (this.ctx.hardened('readmission')) (this.standIn ??= new StandInHandBack(this.ctx, this.target, () => this.state === 'idle', () => this.returnTarget())).check();
  }

  /** detected is the first failed examination; A3 collects the predicted loads before the re-examination. */
  private detected(kind: ProblemKind): void {
    this.detectedAtUs = this.ctx.nowUs;
    this.loads = null; // never choose a host from an earlier false alarm's loads
    this.ctx.log({ event: kind === 'network' ? 'networkProblemDetected' : 'serviceProblemDetected', target: this.target, address: this.ipr });
    this.ctx.verifyManagement(this.target);
    if (this.ctx.hardened('fencing')) {
      // A manager cut off the service network finds every target failed: before it acts on a failed
      // examination it checks itself (internal monitoring, Fig. 9(b)); only a sound manager goes on.
      this.problem = kind;
      this.state = 'checkingSelf';
      this.awaitId = this.ctx.issue({ type: 'probeInternal', extra: true }, this);
      return;
    }
    this.afterDetection(kind);
  }

  /** afterDetection is A3 before the re-examination, or straight to A4 on a take-over. */
  private afterDetection(kind: ProblemKind): void {
    if (this.takeover) return this.confirmed(kind);
    this.state = 'collectingLoads';
    this.awaitId = this.ctx.issue({ type: 'collectLoads' }, this);
  }

  /** confirmed is the failed re-examination: A4 moves the target from the group to the separation file. */
  private confirmed(kind: ProblemKind): void {
    this.problem = kind;
    if (!this.takeover) {
      this.ctx.log({ event: kind === 'network' ? 'networkProblemConfirmed' : 'serviceProblemConfirmed', target: this.target, address: this.ipr });
    }
    const running = runningLineOf(this.ctx.files, this.target);
    // Hardened: a server between this one and the target answered meanwhile (verifyManagement); it manages the target.
    if (!this.takeover && !this.ctx.stillManages(this.target)) {
      this.ctx.log({ event: 'alreadyHandled', target: this.target });
      return this.end();
    }
    // Hardened: no neighbour answered since the tick, so the others may not hear this server's
    // edits either; the next tick examines again (a server cut off must not recover unseen).
    if (!this.ctx.heardSinceTick()) {
      this.ctx.log({ event: 'notHeard', target: this.target });
      return this.end();
    }
    if (running === undefined) {
      if (!this.takeover) {
        // Another manager separated it first; it owns the recovery.
        this.ctx.log({ event: 'alreadyHandled', target: this.target });
        return this.end();
      }
      return this.startRecovery();
    }
    const edits: SemEdit[] = [
      { file: 'group.file', op: 'Del', line: running },
      { file: 'separation.file', op: 'Add', line: running },
    ];
    this.state = 'committingFailure';
    this.awaitId = this.ctx.commit(edits, this);
  }

  /**
   * unheardFailure (hardened ring, heartbeatTrust): no other management server got A4's edits, so
   * this server may be cut off, and its manager may be taking over its targets unseen. It ends without
   * recovering anything; the edits stay (taking them back would race the same edits of the manager
   * that takes over); SEM resynchronisation delivers them once heard, then readmission adopts the target.
   */
  private unheardFailure(): void {
    this.ctx.log({ event: 'notHeard', target: this.target });
    this.end();
  }

  /** startRecovery runs the background job, then recovers the function unless a live virtual server already serves it. */
  private startRecovery(): void {
    this.state = 'recovering';
    this.startJob();
    this.hooks.separated(this.target);
    this.hooks.prepareFunctionRecovery(this);
  }

  private startJob(): void {
    this.job = new RecoveryJob(this.ctx, this.target, this.problem ?? 'network', (r) => this.onJobResult(r));
    this.job.start();
  }

  /**
   * onPrepared: the method's steps before the virtual server are done (recovery-hooks.ts). A tick may
   * have started the function recovery meanwhile, or the job's result moved the DBSS on: nothing to do.
   */
  onPrepared(): void {
    assert(this.state !== 'ended', () => `DBSS ${this.target}: prepared after it ended`);
    if (this.state !== 'recovering' || this.recovery !== null) return;
    const host = this.liveVirtualHost();
    if (host === null) this.recoverFunction(this.loads);
    else if (this.takeover) this.reassertFunction(host);
  }

  /** reassertFunction checks, on a take-over, that the recorded virtual server runs and has the VIP. */
  private reassertFunction(host: string): void {
    this.recovery = new FunctionRecovery(this.ctx, this.target, () => this.afterRecovery());
    this.recovery.reassert(host);
  }

  /** afterRecovery: the function recovery finished; a job result that came meanwhile is handled now. */
  private afterRecovery(): void {
    this.recovery = null;
    // The DBSS may have ended while its function recovery finished what it had started.
    if (this.state === 'ended') return;
    const pending = this.pendingJobResult;
    this.pendingJobResult = null;
    if (pending !== null) this.onJobResult(pending);
  }

  private recoverFunction(loads: readonly LoadReport[] | null, oldHostUp = false): void {
    this.recovery = new FunctionRecovery(this.ctx, this.target, () => this.afterRecovery());
    this.recovery.start(loads, oldHostUp);
    this.loads = null;
  }

  /** liveVirtualHost is the host of this target's virtual server from the problem file, if that host is not itself separated. */
  liveVirtualHost(): string | null {
    const separated = new Set(separationEntries(this.ctx.files).map((e) => e.server));
    const entry = problemEntries(this.ctx.files).find((p) => p.trouble === this.target && !separated.has(p.host));
    return entry?.host ?? null;
  }

  /** onHostFailed drops a virtual server that died with its host, so the next step makes a new one (Fig. 10(d)); hardened, a watching DBSS too. */
  onHostFailed(host: string, hostUp = false): void {
    if (this.recovery !== null || (this.state !== 'recovering' && !(this.watching && this.ctx.hardened('readmission')))) return;
    const lost = problemEntries(this.ctx.files).some((p) => p.trouble === this.target && p.host === host);
    if (lost) this.recoverFunction(null, hostUp);
  }

  /** onJobResult is the foreground job finding up.file or down.file (Fig. 1, Fig. 14). */
  private onJobResult(result: JobResult): void {
    assert(this.state === 'recovering', () => `DBSS ${this.target}: ${result} file found in state ${this.state}`);
    if (this.recovery !== null) {
      this.pendingJobResult = result; // handled when the virtual server is ready
      // Hardened (fencing): a target that answers again keeps its VIP; a claim not made yet is given up.
      if (result === 'up' && this.ctx.hardened('fencing')) this.recovery.targetIsBack();
      return;
    }
    this.ctx.log({ event: result === 'down' ? 'findDownFile' : 'findUpFile', target: this.target });
    this.hooks.announceResult(this, result);
  }

  /** onAnnounced: the method's partners know the result (recovery-hooks.ts); down.file ends the DBSS, up.file hands the target back. */
  onAnnounced(result: JobResult): void {
    assert(this.state === 'recovering', () => `DBSS ${this.target}: ${result} announced in state ${this.state}`);
    if (result === 'up') return this.returnTarget();
    // Hardened (readmission): a target given up is watched rather than forgotten (closes vip-back).
    if (this.ctx.hardened('readmission')) this.state = 'watching';
    else this.end();
  }

  /** returnTarget is A6 (Fig. 11): edit the files back, move the VIP, suspend the virtual server, send files and flag. */
  private returnTarget(): void {
    this.takeover = false;
    this.state = 'handingBack';
    this.handBack = new HandBack(this.ctx, this.target, this, this.failedBack);
    this.handBack.start();
  }

  onHandedBack(): void {
    assert(this.state === 'handingBack', () => `DBSS ${this.target}: handed back in state ${this.state}`);
    this.handBack = null;
    this.state = 'idle';
  }

  /**
   * onVipNotBack undoes A6 when the VIP could not be moved back: the target is separated again,
   * the virtual server keeps (or gets back) the VIP and stays, and a new background job watches
   * the target until it really answers; hardened, a server unfit to manage leaves it (hand-back.ts).
   */
  onVipNotBack(back: HandBack): void {
    assert(this.state === 'handingBack' && back === this.handBack, () => `DBSS ${this.target}: VIP not back in state ${this.state}`);
    this.handBack = null;
    this.ctx.log({ event: 'virtualIpBackFailed', target: this.target });
    if (back.restartedUnseen) return void (this.state = 'idle');
    this.failedBack = back.undo();
    if (back.leftToManager) return this.end();
    this.state = 'recovering';
    this.startJob();
  }

  private end(): void {
    this.state = 'ended';
    this.hooks.ended(this);
  }
}

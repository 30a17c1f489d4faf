// Dbss is one DBSS: the foreground job with which a management server manages one target
// (Sec. 2.1, Fig. 1, with the ring additions A3-A6 of Fig. 12). Several run side by side on a
// server when dynamic management extension (Sec. 4.2) gives it more than one target.
import type { CommandResult, LoadReport, VipHolder } from '../program/commands.ts';
import { groupLine, problemEntries, problemLine, runningLineOf, separationEntries } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';
import type { CommandOwner, RingContext } from '../program/context.ts';
import { FunctionRecovery } from './function-recovery.ts';
import { RecoveryJob } from './recovery-job.ts';
import type { JobResult, ProblemKind } from './recovery-job.ts';

export type DbssState =
  | 'idle' // normal monitoring (M1 of Fig. 10): waiting for the next tick
  | 'examNetwork'
  | 'examService'
  | 'collectingLoads' // A3
  | 'reexamNetwork'
  | 'reexamService'
  | 'committingFailure' // A4
  | 'recovering' // (M1) of Fig. 10: the background job runs, the function is or is being recovered
  | 'returningFiles' // A6 after up.file
  | 'returningVip'
  | 'suspending'
  | 'sendingFiles'
  | 'sendingFlag'
  | 'ended';

/**
 * RecoveryHooks are the steps in which the methods differ. The ring method goes straight on;
 * the P2P method starts the programs of its new roles before the virtual server (Sec. 2.3:
 * "S1 executes a new program that manages S3 with P1 ... a separate program that manages S1
 * with P2") and tells P2 the result with U.file or D.file before acting on it.
 */
export interface RecoveryHooks {
  prepareFunctionRecovery(target: string, done: () => void): void;
  announceResult(target: string, result: JobResult, done: () => void): void;
}

/** RING_RECOVERY: the ring method has no extra steps (Sec. 2.2(b): one manager per target). */
export const RING_RECOVERY: RecoveryHooks = {
  prepareFunctionRecovery: (_target, done) => done(),
  announceResult: (_target, _result, done) => done(),
};

/** DbssHooks are the management-program level reactions a DBSS triggers. */
export interface DbssHooks extends RecoveryHooks {
  /** separated is called once a target has been moved to the separation file by this DBSS (Fig. 10(d) take-over). */
  separated(target: string): void;
  ended(dbss: Dbss): void;
}

export class Dbss implements CommandOwner {
  state: DbssState = 'idle';
  problem: ProblemKind | null = null;
  /** detectedAtUs is when the first failed examination ended (Sec. 5.2's failure detection time). */
  detectedAtUs: number | null = null;
  private awaitId = -1;
  private loads: readonly LoadReport[] | null = null;
  private job: RecoveryJob | null = null;
  private recovery: FunctionRecovery | null = null;
  private pendingJobResult: JobResult | null = null;
  private takeover = false;

  constructor(
    private readonly ctx: RingContext,
    private readonly hooks: DbssHooks,
    readonly target: string,
  ) {}

  /** monitoring tells whether this DBSS is in normal monitoring, the only state automatic connection selection may end. */
  get monitoring(): boolean {
    return this.state === 'idle';
  }

  /** recovering tells whether this DBSS is past detection and not back to normal monitoring: (M1) of Fig. 10. */
  get recovering(): boolean {
    return this.state !== 'idle' && this.state !== 'ended' && !this.state.startsWith('exam') && !this.state.startsWith('reexam') && this.state !== 'collectingLoads';
  }

  /** onTick runs external monitoring at a tick; a recovering DBSS with no virtual server retries making one. */
  onTick(): void {
    if (this.state === 'idle') return this.examine(false);
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
    this.takeover = true;
    this.examine(false);
  }

  /** adopt takes over a target another manager's partner has already confirmed failed (P2P, Sec. 2.3): no further examination. */
  adopt(kind: ProblemKind): void {
    this.takeover = true;
    this.confirmed(kind);
  }

  /** stop ends this DBSS at once because its program stops; its background job goes with it. */
  stop(): void {
    this.job?.stop();
    this.state = 'ended';
  }

  onResult(id: number, result: CommandResult): void {
    if (id !== this.awaitId || this.state === 'ended') return;
    const ok = result.kind === 'done' && result.ok;
    switch (this.state) {
      case 'examNetwork':
      case 'reexamNetwork':
        if (ok) return this.examineService(this.state === 'reexamNetwork');
        return this.state === 'examNetwork' ? this.detected('network') : this.confirmed('network');
      case 'examService':
        if (ok) return this.normal();
        return this.detected('service');
      case 'reexamService':
        if (ok) return this.normal();
        return this.confirmed('service');
      case 'collectingLoads':
        if (result.kind === 'loads') this.loads = result.reports;
        return this.examine(true);
      case 'committingFailure':
        return this.startRecovery();
      case 'returningFiles':
        return this.moveVipBack();
      case 'returningVip':
        if (!ok) return this.revertReturn();
        this.ctx.log({ event: 'virtualIpBack', target: this.target, vip: this.data.vip });
        return this.suspendVirtualServer();
      case 'suspending':
        this.ctx.log({ event: 'suspendVirtualServer', target: this.target });
        return this.sendFiles();
      case 'sendingFiles':
        this.ctx.log({ event: 'sendFiles', target: this.target });
        this.state = 'sendingFlag';
        this.awaitId = this.ctx.issue({ type: 'sendFlag', to: this.target }, this);
        return;
      case 'sendingFlag':
        this.ctx.log({ event: 'sendFlag', target: this.target });
        this.state = 'idle';
        return;
      default:
        return;
    }
  }

  private get data() {
    return this.ctx.dataOf(this.target);
  }

  private examine(reexam: boolean): void {
    this.state = reexam ? 'reexamNetwork' : 'examNetwork';
    this.awaitId = this.ctx.issue(
      { type: 'probeNetwork', target: this.target, address: this.data.ipr, timeoutUs: this.ctx.params.networkExamTimeoutUs },
      this,
    );
  }

  /** examineService waits up to Table 1's maximum; a re-examination keeps retrying for that long. */
  private examineService(reexam: boolean): void {
    this.state = reexam ? 'reexamService' : 'examService';
    const { ipr, daemons } = this.data;
    const waitMaxUs = this.ctx.params.serviceExamWaitMaxUs;
    this.awaitId = this.ctx.issue(
      { type: 'probeService', target: this.target, address: ipr, daemons, waitMaxUs, retry: reexam },
      this,
    );
  }

  private normal(): void {
    this.ctx.log({ event: 'ipIsNormal', target: this.target, address: this.data.ipr });
    if (this.takeover) return this.returnTarget();
    this.state = 'idle';
  }

  /** detected is the first failed examination; A3 collects the predicted loads before the re-examination. */
  private detected(kind: ProblemKind): void {
    this.detectedAtUs = this.ctx.nowUs;
    this.loads = null; // never choose a host from an earlier false alarm's loads
    this.ctx.log({ event: kind === 'network' ? 'networkProblemDetected' : 'serviceProblemDetected', target: this.target, address: this.data.ipr });
    if (this.takeover) return this.confirmed(kind);
    this.state = 'collectingLoads';
    this.awaitId = this.ctx.issue({ type: 'collectLoads' }, this);
  }

  /** confirmed is the failed re-examination: A4 moves the target from the group to the separation file. */
  private confirmed(kind: ProblemKind): void {
    this.problem = kind;
    if (!this.takeover) {
      this.ctx.log({ event: kind === 'network' ? 'networkProblemConfirmed' : 'serviceProblemConfirmed', target: this.target, address: this.data.ipr });
    }
    const files = this.ctx.files;
    const running = runningLineOf(files, this.target);
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

  /** startRecovery runs the background job, then recovers the function unless a live virtual server already serves it. */
  private startRecovery(): void {
    this.state = 'recovering';
    this.job = new RecoveryJob(this.ctx, this.target, this.problem ?? 'network', (r) => this.onJobResult(r));
    this.job.start();
    this.hooks.separated(this.target);
    this.hooks.prepareFunctionRecovery(this.target, () => {
      if (this.state !== 'recovering' || this.recovery !== null) return;
      const host = this.liveVirtualHost();
      if (host === null) this.recoverFunction(this.loads);
      else if (this.takeover) this.reassertFunction(host);
    });
  }

  /** reassertFunction checks, on a take-over, that the recorded virtual server runs and has the VIP. */
  private reassertFunction(host: string): void {
    this.recovery = new FunctionRecovery(this.ctx, this.target, () => this.afterRecovery());
    this.recovery.reassert(host);
  }

  private afterRecovery(): void {
    this.recovery = null;
    const pending = this.pendingJobResult;
    this.pendingJobResult = null;
    if (pending !== null) this.onJobResult(pending);
  }

  private recoverFunction(loads: readonly LoadReport[] | null): void {
    this.recovery = new FunctionRecovery(this.ctx, this.target, () => this.afterRecovery());
    this.recovery.start(loads);
    this.loads = null;
  }

  /** liveVirtualHost is the host of this target's virtual server from the problem file, if that host is not itself separated. */
  liveVirtualHost(): string | null {
    const separated = new Set(separationEntries(this.ctx.files).map((e) => e.server));
    const entry = problemEntries(this.ctx.files).find((p) => p.trouble === this.target && !separated.has(p.host));
    return entry?.host ?? null;
  }

  /** onHostFailed drops a virtual server that died with its host, so the next step makes a new one (Fig. 10(d)). */
  onHostFailed(host: string): void {
    if (this.state !== 'recovering' || this.recovery !== null) return;
    const lost = problemEntries(this.ctx.files).some((p) => p.trouble === this.target && p.host === host);
    if (lost) this.recoverFunction(null);
  }

  private onJobResult(result: JobResult): void {
    if (this.state === 'ended') return;
    if (this.recovery !== null) {
      this.pendingJobResult = result; // handled when the virtual server is ready
      return;
    }
    this.ctx.log({ event: result === 'down' ? 'findDownFile' : 'findUpFile', target: this.target });
    this.hooks.announceResult(this.target, result, () => {
      if (this.state === 'ended') return;
      if (result === 'down') this.end();
      else this.returnTarget();
    });
  }

  /** returnTarget is A6 (Fig. 11): edit the files back, move the VIP, suspend the virtual server, send files and flag. */
  private returnTarget(): void {
    this.takeover = false;
    const files = this.ctx.files;
    const edits: SemEdit[] = problemEntries(files)
      .filter((p) => p.trouble === this.target)
      .map((p) => ({ file: 'problem.file', op: 'Del', line: problemLine(p.virtualServer, p.trouble, p.host) }));
    const separated = separationEntries(files).find((e) => e.server === this.target);
    this.returnedLine = null;
    if (separated !== undefined) {
      const line = groupLine(separated.no, separated.server, separated.dataFile);
      edits.push({ file: 'separation.file', op: 'Del', line }, { file: 'group.file', op: 'Add', line });
      this.returnedLine = line;
    }
    this.returningFrom = this.virtualHolder();
    this.state = 'returningFiles';
    this.awaitId = this.ctx.commit(edits, this);
  }

  private returningFrom: (VipHolder & { kind: 'virtual' }) | null = null;
  private returnedLine: string | null = null;

  /**
   * revertReturn undoes A6 when the VIP could not be moved back: the target is separated again,
   * the virtual server keeps (or gets back) the VIP and stays, and a new background job watches
   * the target until it really answers.
   */
  private revertReturn(): void {
    this.ctx.log({ event: 'virtualIpBackFailed', target: this.target });
    const edits: SemEdit[] = [];
    if (this.returnedLine !== null) {
      edits.push({ file: 'group.file', op: 'Del', line: this.returnedLine }, { file: 'separation.file', op: 'Add', line: this.returnedLine });
    }
    const vs = this.returningFrom;
    if (vs !== null) edits.push({ file: 'problem.file', op: 'Add', line: problemLine(vs.vsName, this.target, vs.host) });
    this.ctx.commit(edits, null);
    if (vs !== null) this.ctx.issue({ type: 'setVip', vip: this.data.vip, to: vs, from: null }, this);
    this.state = 'recovering';
    this.job = new RecoveryJob(this.ctx, this.target, this.problem ?? 'network', (r) => this.onJobResult(r));
    this.job.start();
  }

  private virtualHolder(): (VipHolder & { kind: 'virtual' }) | null {
    const entry = problemEntries(this.ctx.files).find((p) => p.trouble === this.target);
    return entry === undefined ? null : { kind: 'virtual', vsName: entry.virtualServer, host: entry.host };
  }

  private moveVipBack(): void {
    this.state = 'returningVip';
    const to: VipHolder = { kind: 'real', server: this.target };
    this.awaitId = this.ctx.issue({ type: 'setVip', vip: this.data.vip, to, from: this.returningFrom }, this);
  }

  private suspendVirtualServer(): void {
    const from = this.returningFrom;
    if (from === null) return this.sendFiles();
    this.state = 'suspending';
    this.awaitId = this.ctx.issue({ type: 'suspendVirtualServer', host: from.host, vsName: from.vsName }, this);
  }

  private sendFiles(): void {
    this.state = 'sendingFiles';
    this.awaitId = this.ctx.issue({ type: 'sendFiles', to: this.target }, this);
  }

  private end(): void {
    this.state = 'ended';
    this.hooks.ended(this);
  }
}

// RecoveryJob is the background job of Sec. 2.1 that tries to bring a failed target back: the
// restart check, then a forced start by Wake-on-LAN, then up.file or down.file for the
// foreground job (Fig. 1, Fig. 14). It is its own small state machine with deadlines, never a sleep.
import type { CommandResult } from '../program/commands.ts';
import type { TimerOwner } from '../program/timer-list.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { assert } from '../program/assert.ts';
import { okOf } from '../program/results.ts';
import { serviceProbe } from './probes.ts';

/** ProblemKind is what the examination found: the network does not answer, or the service does not. */
export type ProblemKind = 'network' | 'service';

export type RecoveryPhase = 'restartCheck' | 'forcedStart' | 'handingOver' | 'done';

/** JobResult is what up.file / down.file tell the foreground job. */
export type JobResult = 'up' | 'down';

export class RecoveryJob implements CommandOwner, TimerOwner {
  phase: RecoveryPhase = 'restartCheck';
  private phaseStartUs = 0;
  private pollId = -1;
  private pollStep: 'network' | 'service' | null = null;
  private handoverId = -1;
  private restartId = -1;
  /** restarted is set once a restart command went through; until then a target that answers its network but not its service is restarted again. */
  private restarted = false;
  /** networkOnlySinceUs is when polls began to find the network answering without the service. */
  private networkOnlySinceUs: number | null = null;

  constructor(
    private readonly ctx: ProgramContext,
    readonly target: string,
    readonly problem: ProblemKind,
    private readonly onResultFile: (result: JobResult) => void,
  ) {}

  /**
   * start begins the restart check. A target whose network still answers (a service problem,
   * St) is restarted over the management network, its VIP released first so that the virtual
   * server can take it; a target that does not answer (Nt) may be restarting by itself, so the
   * job only watches it until the restart wait runs out (Sec. 2.1, Table 1).
   */
  start(): void {
    const data = this.ctx.dataOf(this.target);
    this.ctx.log({ event: 'restartCheck', target: this.target, address: data.ipr });
    if (this.problem === 'service') this.requestRestart();
    this.phaseStartUs = this.ctx.nowUs;
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'poll');
  }

  /** requestRestart releases the target's VIP and restarts it over the management network. */
  private requestRestart(): void {
    const data = this.ctx.dataOf(this.target);
    this.ctx.log({ event: 'restartRequested', target: this.target });
    this.restartId = this.ctx.issue({ type: 'restartServer', target: this.target, address: data.ipr, vip: data.vip }, this);
  }

  /** stop ends the job without a result file (its program stopped). */
  stop(): void {
    this.phase = 'done';
    this.ctx.removeTimers(this);
    this.ctx.release(this);
  }

  onTimer(tag: string): void {
    assert(tag === 'poll' && (this.phase === 'restartCheck' || this.phase === 'forcedStart'), () => `recovery job of ${this.target}: timer ${tag} in phase ${this.phase}`);
    // Polls keep a fixed one-second cadence; a poll still under way makes the next one skip.
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'poll');
    if (this.pollStep !== null) return;
    this.ctx.log({ event: 'wait', target: this.target });
    const data = this.ctx.dataOf(this.target);
    this.pollStep = 'network';
    this.pollId = this.ctx.issue(
      { type: 'probeNetwork', target: this.target, address: data.ipr, timeoutUs: this.ctx.params.recoveryProbeTimeoutUs },
      this,
    );
  }

  onResult(id: number, result: CommandResult): void {
    const what = `recovery job of ${this.target} in phase ${this.phase}`;
    assert(this.phase !== 'done', () => `${what}: result for command ${id}`);
    const ok = okOf(result, what);
    if (id === this.handoverId) {
      assert(this.phase === 'handingOver', () => `${what}: the ${this.resultFile}.file was written`);
      // The foreground job finds the file (Fig. 1); a restart command still under way no longer matters.
      this.phase = 'done';
      this.ctx.release(this);
      this.onResultFile(this.resultFile);
      return;
    }
    if (id === this.restartId) {
      this.restartId = -1;
      if (ok) this.restarted = true;
      return;
    }
    assert(id === this.pollId && this.pollStep !== null, () => `${what}: result for command ${id}, waiting for poll ${this.pollId} and restart ${this.restartId}`);
    this.pollId = -1;
    if (ok && this.pollStep === 'network') {
      this.pollStep = 'service';
      this.pollId = this.ctx.issue(serviceProbe(this.ctx, this.target, false), this);
      return;
    }
    const failedStep = this.pollStep;
    this.pollStep = null;
    if (ok) return this.handOver('up');
    // The network answers but the service does not. For a service problem whose restart command
    // failed (the management network was cut, say), ask again at once rather than wait for a
    // restart that never comes. A server found with a network problem may be booting, and a
    // booting server answers its network before its services start: restart it only when it has
    // stayed so for serviceStartGraceUs. Never after Wake-on-LAN, which is itself a boot.
    if (failedStep === 'service') this.networkOnlySinceUs ??= this.ctx.nowUs;
    else this.networkOnlySinceUs = null;
    const brokenUs = this.networkOnlySinceUs === null ? 0 : this.ctx.nowUs - this.networkOnlySinceUs;
    const stuck = this.problem === 'service' || brokenUs >= this.ctx.params.serviceStartGraceUs;
    if (failedStep === 'service' && stuck && this.phase === 'restartCheck' && !this.restarted && this.restartId === -1) {
      this.requestRestart();
    }
    this.afterFailedPoll();
  }

  private resultFile: JobResult = 'down';

  /** afterFailedPoll moves to Wake-on-LAN when the restart wait ran out, and to down.file after the start wait. */
  private afterFailedPoll(): void {
    const elapsedUs = this.ctx.nowUs - this.phaseStartUs;
    if (this.phase === 'restartCheck' && elapsedUs >= this.ctx.params.restartWaitMaxUs) {
      this.ctx.log({ event: 'startForcibly', target: this.target });
      this.ctx.issue({ type: 'sendWol', target: this.target, mac: this.ctx.dataOf(this.target).mac }, null);
      this.phase = 'forcedStart';
      this.phaseStartUs = this.ctx.nowUs;
      return;
    }
    if (this.phase === 'forcedStart' && elapsedUs >= this.ctx.params.startWaitMaxUs) this.handOver('down');
  }

  /** handOver writes up.file or down.file; the foreground job finds it when the write completes. */
  private handOver(result: JobResult): void {
    this.phase = 'handingOver';
    this.resultFile = result;
    this.ctx.removeTimers(this);
    if (result === 'up') this.ctx.log({ event: 'backgroundNormal', target: this.target });
    this.ctx.log({ event: result === 'up' ? 'makeUpFile' : 'makeDownFile', target: this.target });
    this.handoverId = this.ctx.issue({ type: 'writeJobFile', target: this.target, result }, this);
  }
}

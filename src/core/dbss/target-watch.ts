// TargetWatch (hardened ring, readmission) examines the target of a relocation each poll interval,
// as the background job examines a target it restarts (Fig. 14's "IPR is normal": the network,
// then the service). A relocation (A5 after Fig. 10(d)) is made by a server that does not manage
// the target, so no background job of its own tells it that the target runs again; it learns of
// the manager's hand-back (A6) only from SEM (stand-in.ts beingHandedBack). With the manager's
// records delayed, the relocation resumed a virtual server as the manager moved the VIP back, and
// it ran beside the returned VIP until the claim's wait ended (the explorer's
// no-stale-virtual-server 74029d7a: Mail relocated Web2b off FTP, down by St, to Web1 while Web1,
// its SEM records 10 s late, handed Web2 back; Web2b@Web1 ran 12.6 s). A target that answers both
// examinations is back: its manager hands it back, so the relocation gives up (targetIsBack).
import { assert } from '../program/assert.ts';
import type { CommandResult } from '../program/commands.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { okOf } from '../program/results.ts';
import { networkProbe, serviceProbe } from './probes.ts';
import type { TimerOwner } from '../program/timer-list.ts';

export class TargetWatch implements CommandOwner, TimerOwner {
  private step: 'network' | 'service' | null = null;
  private awaitId = -1;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly target: string,
    /** watching tells whether the relocation still needs to know (it has not ended or given up). */
    private readonly watching: () => boolean,
    private readonly onBack: () => void,
  ) {}

  /** start examines the target now and then each poll interval. */
  start(): void {
    this.onTimer();
  }

  onTimer(): void {
    if (!this.watching()) return this.stop();
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'watch');
    if (this.step !== null) return; // an examination still under way: this poll is skipped, as the job's
    this.step = 'network';
    this.awaitId = this.ctx.issue(networkProbe(this.ctx, this.target, true), this);
  }

  onResult(id: number, result: CommandResult): void {
    assert(id === this.awaitId, () => `watch of ${this.target}: result for command ${id}, waiting for ${this.awaitId}`);
    this.awaitId = -1;
    const ok = okOf(result, `watch of ${this.target} in ${this.step}`);
    if (!this.watching()) return this.stop();
    if (ok && this.step === 'network') {
      this.step = 'service';
      this.awaitId = this.ctx.issue(serviceProbe(this.ctx, this.target, false, true), this);
      return;
    }
    this.step = null;
    if (!ok) return;
    this.stop();
    this.onBack();
  }

  private stop(): void {
    this.ctx.removeTimers(this);
    this.ctx.release(this);
  }
}

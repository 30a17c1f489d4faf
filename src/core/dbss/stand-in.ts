// StandInHandBack is the readmission rule for a target found answering while a virtual server still
// stands in for it (hardened ring, docs/hardening.md): the rest of a hand-back (A6) its manager did
// not finish, which this DBSS finishes only as a sure manager (heartbeatTrust, as A4): one reached
// over servers that may manage it, or cut off, would race their hand-back.
// The doubt often ends within the tick: a server extended past whose first examination here is
// still under way counts as managing until it ends (RingNode.stillManages), and a neighbour may
// answer the tick's comparison late. So the rule is checked again each poll interval until the next
// tick's examination, not only at that one: a manager that died between moving the VIP and
// suspending the virtual server (the explorer's no-stale-virtual-server finding: FTP died 0.7 s
// before its VIP move landed on Web1) would otherwise leave the stand-in running an interval more.
// A target that runs no program (ProgramContext.runsNoProgram: shut down and back into standby,
// Fig. 7(a), before any manager confirmed its failure) waits for the files, flag and VIP of a
// hand-back nobody else would make: it is handed back by the same rule.
import { problemEntries } from '../model/management-files.ts';
import type { ProgramContext } from '../program/context.ts';
import type { TimerOwner } from '../program/timer-list.ts';

export class StandInHandBack implements TimerOwner {
  constructor(
    private readonly ctx: ProgramContext,
    private readonly target: string,
    /** waiting tells whether the DBSS is still in normal monitoring between two examinations. */
    private readonly waiting: () => boolean,
    private readonly handBack: () => void,
  ) {}

  /** check runs after an examination found the target answering: hand it back now, or check again later in the tick. */
  check(): void {
    this.cancel();
    if (!this.ctx.hardened('readmission')) return;
    const standIn = problemEntries(this.ctx.files).some((p) => p.trouble === this.target);
    const restarted = !standIn && this.ctx.runsNoProgram(this.target);
    if (!standIn && !restarted) return;
    if (this.ctx.stillManages(this.target) && this.ctx.heardSinceTick()) {
      if (restarted) this.ctx.log({ event: 'programNotRunning', target: this.target });
      return this.handBack();
    }
    if (this.ctx.hardened('heartbeatTrust')) this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'standIn');
  }

  /** onTimer checks again unless the next examination began (it checks afresh) or the DBSS moved on. */
  onTimer(_tag: string): void {
    if (this.waiting()) this.check();
  }

  cancel(): void {
    this.ctx.removeTimers(this);
  }
}

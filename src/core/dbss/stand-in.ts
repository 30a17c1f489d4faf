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
import { problemEntries, separationEntries } from '../model/management-files.ts';
import type { ProgramContext } from '../program/context.ts';
import type { TimerOwner } from '../program/timer-list.ts';

/**
 * beingHandedBack (hardened ring, readmission) tells that a target with a problem line is not
 * separated: its manager is handing it back (A6), which keeps the line until it suspended the virtual
 * server. Relocating that virtual server off a host judged failed (A5 after Fig. 10(d)) would make
 * a stand-in no hand-back suspends, running beside the returned VIP (the explorer's no-stale-virtual-server finding: FTP relocated Mailb off Web1 to Proxy
 * 0.6 s after Login, handing Mail back, had put it in the group file; Mailb ran there 13.7 s).
 */
export function beingHandedBack(ctx: ProgramContext, target: string): boolean {
  return ctx.hardened('readmission') && !separationEntries(ctx.files).some((e) => e.server === target);
}

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
    if (this.ctx.stillManages(this.target) && this.ctx.heardSinceTick() && this.otherHandBackOver()) {
      if (restarted) this.ctx.log({ event: 'programNotRunning', target: this.target });
      return this.handBack();
    }
    if (this.ctx.hardened('heartbeatTrust')) this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'standIn');
  }

  /**
   * otherHandBackOver: the problem line is kept until the suspend, so a hand-back another manager
   * still has under way (its group-file Add or its failed move's re-Add applied here lately) looks
   * unfinished too; finishing it beside that manager lets its failed move's resume land after this
   * one's suspend (the explorer's no-stale-virtual-server finding: Web2, cut off management, retried
   * Login's hand-back; Proxy's landed at 168.0 s, Web2's restore resumed Loginb on FTP after it).
   */
  private otherHandBackOver(): boolean {
    return this.ctx.nowUs >= this.ctx.handBackSettledUs(this.target);
  }

  /** onTimer checks again unless the next examination began (it checks afresh) or the DBSS moved on. */
  onTimer(_tag: string): void {
    if (this.waiting()) this.check();
  }

  cancel(): void {
    this.ctx.removeTimers(this);
  }
}

// Retirement suspends a virtual server that must not run any more, and tries again each poll
// interval while its host cannot be told (hardened ring, fencing). The explorer found a virtual
// server that a recovery gave up (its target answered again) left running for good: the one
// suspend command was sent while the host was cut off the management network, and nothing
// looked at its result.
import type { CommandResult } from './commands.ts';
import type { CommandOwner, ProgramContext } from './context.ts';
import { okOf } from './results.ts';
import type { TimerOwner } from './timer-list.ts';

/** RETIREMENT_TRIES bounds the attempts: a minute of poll intervals, longer than a host takes to answer again or be judged failed. */
export const RETIREMENT_TRIES = 60;

export class Retirement implements CommandOwner, TimerOwner {
  private tries = 0;

  constructor(
    private readonly ctx: ProgramContext,
    readonly host: string,
    readonly vsName: string,
  ) {}

  start(): void {
    this.tries++;
    this.ctx.issue({ type: 'suspendVirtualServer', host: this.host, vsName: this.vsName }, this);
  }

  onResult(_id: number, result: CommandResult): void {
    if (okOf(result, `suspend of ${this.vsName} on ${this.host}`) || this.tries >= RETIREMENT_TRIES) return;
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'retry');
  }

  onTimer(): void {
    this.start();
  }
}

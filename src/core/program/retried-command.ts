// RetriedCommand sends a host command that must take effect and sends it again each poll interval
// while it fails (hardened ring, fencing). The explorer found two such commands sent once and
// forgotten: the suspend of a virtual server that a recovery gave up, sent while its host was cut
// off the management network (the virtual server ran on for good), and a fenced server taking its
// VIP back while its own network could not carry the command (the VIP stayed nowhere).
import type { CommandResult } from './commands.ts';
import type { CommandOwner, IssuedCommand, ProgramContext } from './context.ts';
import { okOf } from './results.ts';
import type { TimerOwner } from './timer-list.ts';

/** RETRY_TRIES bounds the attempts: a minute of poll intervals, longer than a host takes to answer again or be judged failed. */
export const RETRY_TRIES = 60;

export class RetriedCommand implements CommandOwner, TimerOwner {
  private tries = 0;

  constructor(
    private readonly ctx: ProgramContext,
    readonly command: IssuedCommand,
  ) {}

  start(): void {
    this.tries++;
    this.ctx.issue(this.command, this);
  }

  onResult(_id: number, result: CommandResult): void {
    if (okOf(result, `${this.command.type} (try ${this.tries})`) || this.tries >= RETRY_TRIES) return;
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'retry');
  }

  onTimer(): void {
    this.start();
  }
}

/** retireVirtualServer suspends a virtual server that must not run any more, again and again while its host cannot be told. */
export function retireVirtualServer(ctx: ProgramContext, host: string, vsName: string): void {
  new RetriedCommand(ctx, { type: 'suspendVirtualServer', host, vsName }).start();
}

// RetriedCommand sends a host command that must take effect and sends it again each poll interval
// while it fails (hardened ring, fencing). The explorer found such commands sent once and
// forgotten: the suspend of a virtual server that a recovery gave up or that A5 replaced, sent while
// its host was cut off the management network (the virtual server ran on for good, unrecorded, and
// kept the VIP from every hand-back), and a fenced server taking its VIP back while its own network
// could not carry the command (the VIP stayed nowhere).
import { problemEntries } from '../model/management-files.ts';
import type { CommandResult } from './commands.ts';
import type { CommandOwner, IssuedCommand, ProgramContext } from './context.ts';
import { okOf } from './results.ts';
import type { TimerOwner } from './timer-list.ts';

/** RETRY_TRIES bounds the attempts by default: a minute of poll intervals, longer than a host takes to answer again or be judged failed. */
export const RETRY_TRIES = 60;

/** RetryPolicy says how long a command is retried: a number of tries, or until it lands or is moot. */
export type RetryPolicy = { tries: number } | { moot: () => boolean };

export class RetriedCommand implements CommandOwner, TimerOwner {
  private tries = 0;

  constructor(
    private readonly ctx: ProgramContext,
    readonly command: IssuedCommand,
    private readonly policy: RetryPolicy = { tries: RETRY_TRIES },
  ) {}

  start(): void {
    this.tries++;
    this.ctx.issue(this.command, this);
  }

  onResult(_id: number, result: CommandResult): void {
    if (okOf(result, `${this.command.type} (try ${this.tries})`)) return;
    if ('tries' in this.policy && this.tries >= this.policy.tries) return;
    // Each poll interval, however long it takes: the first try after the host hears again must come
    // well within an interval (a suspend retried each interval would leave a virtual server running
    // up to an interval beside the target it stood in for).
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'retry');
  }

  onTimer(): void {
    if ('moot' in this.policy && this.policy.moot()) return;
    this.start();
  }
}

/**
 * retireVirtualServer suspends a virtual server that must not run any more, again and again until
 * its host hears: a host cut off the management network longer than a bound would keep it running
 * with the VIP once no file records it. It stops when the problem file records it there again
 * (wanted again: a replica's newer Add won, or a recovery chose that host anew).
 */
export function retireVirtualServer(ctx: ProgramContext, host: string, vsName: string): void {
  const moot = (): boolean => problemEntries(ctx.files).some((p) => p.host === host && p.virtualServer === vsName);
  new RetriedCommand(ctx, { type: 'suspendVirtualServer', host, vsName }, { moot }).start();
}

// P2pRecovery adds the P2P method's steps to a P1's recovery (Sec. 2.3, Fig. 3): before the
// virtual server, start the program that manages the next server as P1 and have it start the
// program that manages this server as P2; before acting on up.file or down.file, send U.file or
// D.file to the target's P2 by inter-process communication.
import type { CommandResult } from '../program/commands.ts';
import type { CommandOwner, RingContext } from '../program/context.ts';
import type { RecoveryHooks } from '../dbss/dbss.ts';
import type { JobResult } from '../dbss/recovery-job.ts';
import { p2Of, runningNeighbour } from './roles.ts';

export class P2pRecovery implements RecoveryHooks, CommandOwner {
  private readonly waiting = new Map<number, () => void>();

  constructor(
    private readonly ctx: RingContext,
    /** startLocalP1 makes this program manage target as P1 now and examine it at once. */
    private readonly startLocalP1: (target: string) => void,
  ) {}

  prepareFunctionRecovery(target: string, done: () => void): void {
    const next = runningNeighbour(this.ctx.files, target, 1);
    if (next === null || next === this.ctx.self) return done();
    this.after({ type: 'startProgram', on: this.ctx.self, role: 'P1', target: next }, () => {
      this.startLocalP1(next);
      this.after({ type: 'startProgram', on: next, role: 'P2', target: this.ctx.self }, done);
    });
  }

  announceResult(target: string, result: JobResult, done: () => void): void {
    const p2 = p2Of(this.ctx.files, target);
    if (p2 === null || p2 === this.ctx.self) return done();
    this.ctx.log({ event: result === 'up' ? 'sendUpFile' : 'sendDownFile', target, to: p2 });
    this.after({ type: 'sendJobResult', to: p2, target, result }, done);
  }

  /** startProgramHere starts a P1 program for target on this server, then continues. */
  startProgramHere(target: string, then: () => void): void {
    this.after({ type: 'startProgram', on: this.ctx.self, role: 'P1', target }, then);
  }

  onResult(id: number, _result: CommandResult): void {
    const then = this.waiting.get(id);
    this.waiting.delete(id);
    then?.();
  }

  private after(command: Parameters<RingContext['issue']>[0], then: () => void): void {
    this.waiting.set(this.ctx.issue(command, this), then);
  }
}

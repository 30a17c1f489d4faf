// How the simulated world answers a management program's commands (DESIGN: every command with an
// id is answered exactly once, docs/architecture.md): after the time the command takes, with the
// result the world's state gives.
import type { CommandResult } from '../../core/program/commands.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { NodeRunner } from './node-runner.ts';

export const OK: CommandResult = { kind: 'done', ok: true };
export const FAIL: CommandResult = { kind: 'done', ok: false };

/** reply reports a command's result after delayUs (the world's state at issue decided it). */
export function reply(runner: NodeRunner, delayUs: number, id: number, result: CommandResult): void {
  runner.answer(delayUs, id, result);
}

/**
 * afterThen computes a command's effect when it completes (not when it is issued) and reports
 * it. A command already sent goes on even if its sender dies meanwhile (an SSH command runs on
 * the other host whatever becomes of the client); only the report is lost then.
 */
export function afterThen(kernel: Kernel, runner: NodeRunner, delayUs: number, id: number, effect: () => CommandResult): void {
  kernel.after(delayUs, () => {
    const result = effect();
    if (runner.alive) runner.deliver({ type: 'commandDone', id, result });
  });
}

// P2pRecovery adds the P2P method's steps to a P1's recovery (Sec. 2.3, Fig. 3): before the
// virtual server, start the program that manages the next server as P1 and have it start the
// program that manages this server as P2; before acting on up.file or down.file, send U.file or
// D.file to the target's P2 by inter-process communication. A P2 that takes over because the
// target's P1 failed too ("S3, rather than S1, performs an operation with P1", Sec. 2.3) makes the
// same two program starts before its virtual server, for the roles the two failed servers held:
// the server before the failed P1 manages this server with P1, and this server manages it with P2.
// Each step under way is a named state kept by the command it waits for; every command gets
// exactly one result (docs/architecture.md). When a DBSS ends, its steps are cancelled: they no
// longer call it back, but programs already being started are started (a command sent goes on).
import type { Dbss } from '../dbss/dbss.ts';
import type { RecoveryHooks } from '../dbss/recovery-hooks.ts';
import type { JobResult, ProblemKind } from '../dbss/recovery-job.ts';
import { assert } from '../program/assert.ts';
import type { CommandResult } from '../program/commands.ts';
import type { CommandOwner, IssuedCommand, ProgramContext } from '../program/context.ts';
import { okOf } from '../program/results.ts';
import { p2Of, runningNeighbour } from './roles.ts';

/** P2pStep is one step under way, named by what it waits for. */
type P2pStep =
  /** This server starts its own program that manages next as P1 (the server after the failed target); dbss is null once cancelled. */
  | { step: 'startingOwnP1'; dbss: Dbss | null; next: string }
  /** next starts a program that manages this server as P2; dbss is null once cancelled. */
  | { step: 'startingPeerP2'; dbss: Dbss | null }
  /** U.file or D.file on its way to the target's P2. */
  | { step: 'sendingJobResult'; dbss: Dbss; result: JobResult }
  /** This server starts a P1 program for a target whose P1 failed (a P2's take-over). */
  | { step: 'startingAdoptedP1'; target: string; kind: ProblemKind; failedP1: string | null }
  /** On a take-over: before (the server before the failed P1) starts a program that manages this server as P1; dbss is null once cancelled. */
  | { step: 'startingPeerP1'; dbss: Dbss | null; before: string }
  /** On a take-over: this server starts its own program that manages before as P2; dbss is null once cancelled. */
  | { step: 'startingOwnP2'; dbss: Dbss | null; before: string };

/** P2pNodeActions are what the steps do in their program once a command is through. */
export interface P2pNodeActions {
  /** startLocalP1 makes this program manage target as P1 now and examine it at once. */
  startLocalP1(target: string): void;
  /** startLocalP2 makes this program manage target as P2 now. */
  startLocalP2(target: string): void;
  /** adoptHere makes this program's new P1 for target go straight to its recovery; false when it could not (it is busy already). */
  adoptHere(target: string, kind: ProblemKind): boolean;
}

export class P2pRecovery implements RecoveryHooks, CommandOwner {
  private readonly steps = new Map<number, P2pStep>();
  /** takenOver maps a target this server adopted from its failed P1 to that P1 (null when none), until its recovery is prepared. */
  private readonly takenOver = new Map<string, string | null>();

  constructor(
    private readonly ctx: ProgramContext,
    private readonly node: P2pNodeActions,
  ) {}

  prepareFunctionRecovery(dbss: Dbss): void {
    const failedP1 = this.takenOver.get(dbss.target);
    if (failedP1 !== undefined) {
      this.takenOver.delete(dbss.target);
      return this.prepareTakeOver(dbss, failedP1);
    }
    const next = runningNeighbour(this.ctx.files, dbss.target, 1);
    if (next === null || next === this.ctx.self) return dbss.onPrepared();
    this.wait({ type: 'startProgram', on: this.ctx.self, role: 'P1', target: next }, { step: 'startingOwnP1', dbss, next });
  }

  announceResult(dbss: Dbss, result: JobResult): void {
    const p2 = p2Of(this.ctx.files, dbss.target);
    if (p2 === null || p2 === this.ctx.self) return dbss.onAnnounced(result);
    this.ctx.log({ event: result === 'up' ? 'sendUpFile' : 'sendDownFile', target: dbss.target, to: p2 });
    this.wait({ type: 'sendJobResult', to: p2, target: dbss.target, result }, { step: 'sendingJobResult', dbss, result });
  }

  /** startProgramHere starts a P1 program for target on this server, which then recovers it (P2 take-over, Sec. 2.3). */
  startProgramHere(target: string, kind: ProblemKind, failedP1: string | null): void {
    this.wait({ type: 'startProgram', on: this.ctx.self, role: 'P1', target }, { step: 'startingAdoptedP1', target, kind, failedP1 });
  }

  /**
   * prepareTakeOver: this server performs the operation with P1 "rather than S1" (Sec. 2.3), so it
   * makes the two program starts S1 would have made. In the P1 path they give the servers beside the
   * failed target their new partners (S3, whose P1 was S2, gets S1; S1, whose P2 was S2, gets S3).
   * Here S1 and S2 have both failed: this server (S3) lost its P1 (S2), and the server before S1
   * lost its P2 (S1). So that server is asked to start the program that manages this one with P1,
   * and this one starts the program that manages it with P2: one remote and one local start, as a
   * P1's. With no server before the failed P1 other than this one, nothing needs starting.
   */
  private prepareTakeOver(dbss: Dbss, failedP1: string | null): void {
    const before = failedP1 === null ? null : runningNeighbour(this.ctx.files, failedP1, -1);
    if (before === null || before === this.ctx.self || before === dbss.target) return dbss.onPrepared();
    this.wait({ type: 'startProgram', on: before, role: 'P1', target: this.ctx.self }, { step: 'startingPeerP1', dbss, before });
  }

  cancel(dbss: Dbss): void {
    this.takenOver.delete(dbss.target);
    for (const [id, s] of this.steps) {
      if (s.step === 'startingAdoptedP1' || s.dbss !== dbss) continue;
      if (s.step === 'sendingJobResult') {
        this.steps.delete(id);
        this.ctx.drop(id);
      } else {
        s.dbss = null;
      }
    }
  }

  /** clear forgets every step: the program stopped, and every result it waited for goes to nobody. */
  clear(): void {
    this.steps.clear();
    this.takenOver.clear();
  }

  onResult(id: number, result: CommandResult): void {
    const s = this.steps.get(id);
    assert(s !== undefined, () => `P2P recovery: result for command ${id}, which no step waits for`);
    this.steps.delete(id);
    // A program start or an IPC send that failed changes nothing: the method goes on as in Fig. 3.
    okOf(result, `P2P recovery step ${s.step}`);
    switch (s.step) {
      case 'startingOwnP1':
        this.node.startLocalP1(s.next);
        this.wait({ type: 'startProgram', on: s.next, role: 'P2', target: this.ctx.self }, { step: 'startingPeerP2', dbss: s.dbss });
        return;
      case 'startingPeerP2':
        return s.dbss?.onPrepared();
      case 'sendingJobResult':
        return s.dbss.onAnnounced(s.result);
      case 'startingAdoptedP1':
        this.takenOver.set(s.target, s.failedP1);
        if (!this.node.adoptHere(s.target, s.kind)) this.takenOver.delete(s.target);
        return;
      case 'startingPeerP1':
        this.wait({ type: 'startProgram', on: this.ctx.self, role: 'P2', target: s.before }, { step: 'startingOwnP2', dbss: s.dbss, before: s.before });
        return;
      case 'startingOwnP2':
        this.node.startLocalP2(s.before);
        return s.dbss?.onPrepared();
    }
  }

  private wait(command: IssuedCommand, step: P2pStep): void {
    this.steps.set(this.ctx.issue(command, this), step);
  }
}

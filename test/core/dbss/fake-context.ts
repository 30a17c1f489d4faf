// FakeContext is the smallest ProgramContext, for unit tests of the DBSS's parts that edit no files
// (the background job, a relocation's watch): it records commands and log lines, answers what a
// test tells it to, and fires timers when the test moves time.
import type { CommandResult, HostCommand } from '../../../src/core/program/commands.ts';
import type { ManagementData } from '../../../src/core/model/management-data.ts';
import { initialFiles } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { defaultParams } from '../../../src/paper/params.ts';
import type { Params } from '../../../src/core/model/params.ts';
import type { CommandOwner, IssuedCommand, ProgramContext } from '../../../src/core/program/context.ts';
import { renderLogEvent } from '../../../src/core/program/log-events.ts';
import type { LogEvent } from '../../../src/core/program/log-events.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { TimerList } from '../../../src/core/program/timer-list.ts';
import type { TimerOwner } from '../../../src/core/program/timer-list.ts';
import { dataOf, FAIL, PAPER_RING, START_US } from '../ring/harness.ts';

export type Sent = HostCommand & { id: number };

export class FakeContext implements ProgramContext {
  readonly self = 'Mail';
  readonly params: Params = defaultParams();
  nowUs = START_US;
  readonly files: ManagementFiles = initialFiles(PAPER_RING, START_US / 1_000_000);
  readonly dataVersion = 0;
  readonly sent: Sent[] = [];
  readonly logs: string[] = [];
  readonly events: LogEvent[] = [];
  private readonly owners = new Map<number, CommandOwner | null>();
  private readonly timers = new TimerList();
  private nextId = 1;

  hardened(): boolean {
    return false;
  }
  claimSafeAtUs(): number {
    return this.nowUs;
  }
  resumeLandsByUs(): number {
    return this.nowUs;
  }
  handBackSettledUs(): number {
    return this.nowUs;
  }
  verifyManagement(): void {}
  stillManages(): boolean {
    return true;
  }
  heardSinceTick(): boolean {
    return true;
  }
  mayManage(): boolean {
    return true;
  }
  runsNoProgram(): boolean {
    return false;
  }
  dataOf(server: string): ManagementData {
    return dataOf(server);
  }
  issue(command: IssuedCommand, owner: CommandOwner | null): number {
    const id = this.nextId++;
    this.sent.push({ ...command, id } as Sent);
    this.owners.set(id, owner);
    return id;
  }
  log(event: LogEvent): void {
    this.events.push(event);
    this.logs.push(renderLogEvent(event));
  }
  drop(id: number): void {
    if (this.owners.has(id)) this.owners.set(id, null);
  }
  release(owner: CommandOwner): void {
    for (const [id, o] of this.owners) if (o === owner) this.owners.set(id, null);
  }
  commit(edits: readonly SemEdit[], owner: CommandOwner | null): number {
    throw new Error(`a part under test edits no files, got ${JSON.stringify(edits)} for ${String(owner)}`);
  }
  addTimer(atUs: number, owner: TimerOwner, tag: string): void {
    this.timers.add(atUs, owner, tag);
  }
  removeTimers(owner: TimerOwner): void {
    this.timers.removeOwner(owner);
  }

  /** advanceTo fires every timer due up to atUs, each at its own time; failPolls answers each new network poll with FAIL at once. */
  advanceTo(atUs: number, failPolls = false): void {
    for (let next = this.timers.nextAtUs(); next !== null && next <= atUs; next = this.timers.nextAtUs()) {
      this.nowUs = next;
      this.timers.fireDue(next);
      if (failPolls) for (const c of this.openOf('probeNetwork')) this.answer(c, FAIL);
    }
    this.nowUs = atUs;
  }

  private answered = new Set<number>();
  openOf(type: HostCommand['type']): Sent[] {
    return this.sent.filter((c) => c.type === type && !this.answered.has(c.id));
  }
  answer(c: Sent, result: CommandResult): void {
    if (this.answered.has(c.id)) throw new Error(`command ${c.id} answered twice`);
    this.answered.add(c.id);
    const owner = this.owners.get(c.id);
    this.owners.delete(c.id);
    owner?.onResult(c.id, result);
  }
  only(type: HostCommand['type']): Sent {
    const open = this.openOf(type);
    if (open.length !== 1) throw new Error(`expected one open ${type}, found ${open.length}`);
    return open[0] as Sent;
  }
  count(type: HostCommand['type']): number {
    return this.sent.filter((c) => c.type === type).length;
  }
}

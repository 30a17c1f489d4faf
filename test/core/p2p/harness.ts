// P2pHarness drives one P2pNode of the paper's ring (Mail, FTP, Web1, Web2, Proxy, Login) by hand,
// as test/core/ring/harness.ts does for the ring: it keeps the time, hands the node its files and
// flag, delivers the S.file, SEM edits, U.file / D.file and program starts of the other servers,
// collects what the node asks for and lets a test answer each command. Only the routine commands
// a healthy world always answers the same way (load measurement, file commits, the S.file
// broadcast) are answered without the test, and those a test asks to have answered with autoAnswer.
import type { CommandResult, HostCommand, HostCommandType } from '../../../src/core/commands.ts';
import type { NodeEvent } from '../../../src/core/events.ts';
import { groupEntries, initialFiles } from '../../../src/core/management-files.ts';
import type { ManagementFiles } from '../../../src/core/management-files.ts';
import { P2pNode } from '../../../src/core/p2p/node.ts';
import { defaultParams } from '../../../src/core/params.ts';
import type { Params } from '../../../src/core/params.ts';
import type { SemEdit } from '../../../src/core/sem.ts';
import { nextMultipleUs, US_PER_S } from '../../../src/core/time.ts';
import type { Cmd } from '../ring/harness.ts';
import { HOST_SPEC, PAPER_DATA, PAPER_RING, START_US } from '../ring/harness.ts';

export { dataOf, FAIL, loadsFavouring, OK, PAPER_RING, ringLine, sec, separationEdits, START_US } from '../ring/harness.ts';
export type { Cmd } from '../ring/harness.ts';

const LOAD_SAMPLE: CommandResult = { kind: 'load', sample: { freeMemKb: 4_194_304, cpuIdlePct: 300, netBytesPerS: 1_000_000 } };

type IssuedType = Exclude<HostCommandType, 'log'>;
type Issued = Exclude<HostCommand, { type: 'log' }>;

interface Rule {
  type: IssuedType;
  match: Record<string, unknown>;
  result: CommandResult;
}

function matches(cmd: Issued, type: IssuedType, match: Record<string, unknown>): boolean {
  if (cmd.type !== type) return false;
  const fields = cmd as unknown as Record<string, unknown>;
  return Object.entries(match).every(([k, v]) => JSON.stringify(fields[k]) === JSON.stringify(v));
}

export interface P2pHarnessOptions {
  params?: Partial<Params>;
  /** files replaces the initial files (default: the paper's ring). */
  files?: ManagementFiles;
}

export interface TickOptions {
  /** sync false leaves out the S.file of the first running server (it has failed, or it is late). */
  sync?: boolean;
}

export class P2pHarness {
  readonly node: P2pNode;
  readonly params: Params;
  nowUs = START_US;
  /** sent lists every command the node returned, log lines and answered ones included, with the time it was returned. */
  readonly sent: { atUs: number; command: HostCommand }[] = [];
  /** log holds the node's system-log lines with the time they were written. */
  readonly log: { atUs: number; text: string }[] = [];
  /** wakeAtUs is the deadline the node last asked to be woken at. */
  wakeAtUs: number | null = null;
  private readonly open = new Map<number, Issued>();
  private readonly rules: Rule[] = [];

  constructor(
    readonly self: string,
    options: P2pHarnessOptions = {},
  ) {
    this.params = { ...defaultParams(), ...options.params };
    this.node = new P2pNode(self, this.params, HOST_SPEC, 3);
    const files = options.files ?? initialFiles(PAPER_RING, START_US / US_PER_S - 5);
    this.deliver({ type: 'filesReceived', files, data: PAPER_DATA });
    this.deliver({ type: 'flagFile', present: true });
  }

  get files(): ManagementFiles {
    return this.node.files;
  }

  /** firstRunning is the server that broadcasts the S.file: the first of the group file (Sec. 2.3). */
  firstRunning(): string {
    return groupEntries(this.files)[0]?.server as string;
  }

  /** deliver hands the node one event at the current time and answers the routine commands it returns. */
  deliver(event: NodeEvent): HostCommand[] {
    const out = this.node.handle(this.nowUs, event);
    this.wakeAtUs = out.wakeAtUs;
    const returned = [...out.commands];
    const auto: [number, CommandResult][] = [];
    for (const c of out.commands) {
      this.sent.push({ atUs: this.nowUs, command: c });
      if (c.type === 'log') {
        this.log.push({ atUs: this.nowUs, text: c.text });
        continue;
      }
      const result = this.autoResult(c);
      if (result === null) this.open.set(c.id, c);
      else auto.push([c.id, result]);
    }
    for (const [id, result] of auto) returned.push(...this.deliver({ type: 'commandDone', id, result }));
    return returned;
  }

  /** advanceTo moves the clock to atUs, waking the node at every deadline on the way. */
  advanceTo(atUs: number): void {
    if (atUs < this.nowUs) throw new Error(`harness: cannot go back from ${this.nowUs} to ${atUs}`);
    while (this.wakeAtUs !== null && this.wakeAtUs <= atUs) {
      this.nowUs = Math.max(this.nowUs, this.wakeAtUs);
      this.deliver({ type: 'wake' });
    }
    this.nowUs = atUs;
  }

  advanceBy(us: number): void {
    this.advanceTo(this.nowUs + us);
  }

  /**
   * tick moves to the next monitoring tick and returns it. Unless this node is the first running
   * server (which broadcasts it) or sync is false, the S.file of the first running server arrives
   * at the same instant, as it does on a management network that takes microseconds.
   */
  tick(options: TickOptions = {}): number {
    const tickUs = nextMultipleUs(this.nowUs, this.params.monitorIntervalUs);
    this.advanceTo(tickUs);
    const first = this.firstRunning();
    if ((options.sync ?? true) && first !== this.self) this.deliver({ type: 'syncFile', from: first });
    return tickUs;
  }

  /** peerEdits are SEM edits another management server committed (Sec. 3.1). */
  peerEdits(from: string, edits: SemEdit[]): void {
    this.deliver({ type: 'semEdits', from, edits });
  }

  /** jobResult is P1's U.file (up) or D.file (down) for target arriving here. */
  jobResult(from: string, target: string, result: 'up' | 'down'): HostCommand[] {
    return this.deliver({ type: 'jobResult', from, target, result });
  }

  /** openOf lists the unanswered commands of a type whose fields equal match. */
  openOf<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T>[] {
    return [...this.open.values()].filter((c) => matches(c, type, match)) as Cmd<T>[];
  }

  /** find is the one unanswered command of a type whose fields equal match; it throws unless there is exactly one. */
  find<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T> {
    const found = this.openOf(type, match);
    if (found.length !== 1) {
      const open = [...this.open.values()].map((c) => JSON.stringify(c)).join('\n  ');
      throw new Error(`expected one open ${type} ${JSON.stringify(match)}, found ${found.length}; open:\n  ${open}`);
    }
    return found[0] as Cmd<T>;
  }

  /** answer reports a command's result to the node now and returns what the node does next. */
  answer(cmd: Issued, result: CommandResult): HostCommand[] {
    if (!this.open.delete(cmd.id)) throw new Error(`command ${cmd.id} (${cmd.type}) is not open`);
    return this.deliver({ type: 'commandDone', id: cmd.id, result });
  }

  /** reply is answer(find(type, match), result). */
  reply<T extends IssuedType>(type: T, match: Partial<Cmd<T>>, result: CommandResult): HostCommand[] {
    return this.answer(this.find(type, match), result);
  }

  /** autoAnswer makes the world answer every command of a type matching match at once, until the returned function is called. */
  autoAnswer<T extends IssuedType>(type: T, match: Partial<Cmd<T>>, result: CommandResult): () => void {
    const rule: Rule = { type, match: match as Record<string, unknown>, result };
    this.rules.push(rule);
    for (const c of [...this.open.values()]) if (matches(c, type, rule.match)) this.answer(c, result);
    return () => {
      const i = this.rules.indexOf(rule);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  /** healthyTarget makes every examination of server succeed at once. */
  healthyTarget(server: string): void {
    this.autoAnswer('probeNetwork', { target: server }, { kind: 'done', ok: true });
    this.autoAnswer('probeService', { target: server }, { kind: 'done', ok: true });
  }

  /** issued lists every command of a type the node has returned so far, answered or not. */
  issued<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T>[] {
    return this.sent.map((s) => s.command).filter((c): c is Cmd<T> => c.type !== 'log' && matches(c, type, match as Record<string, unknown>));
  }

  /** issuedAt is when the node returned the command. */
  issuedAt(cmd: Issued): number {
    const s = this.sent.find((x) => x.command === cmd);
    if (s === undefined) throw new Error(`command ${cmd.id} was never issued`);
    return s.atUs;
  }

  /** indexOf is the command's position among everything the node returned (for order assertions). */
  indexOf(cmd: Issued): number {
    return this.sent.findIndex((x) => x.command === cmd);
  }

  /** edits lists the SEM edits the node committed, in order. */
  edits(): SemEdit[] {
    return this.issued('commitEdits').flatMap((c) => c.edits);
  }

  logTexts(): string[] {
    return this.log.map((l) => l.text);
  }

  /** logWords are the first word of each system-log line: the paper's vocabulary (Fig. 14). */
  logWords(): string[] {
    return this.log.map((l) => l.text.split(' ')[0] as string);
  }

  /** timeOf is when the first log line starting with prefix (a word, or a word and its target) was written. */
  timeOf(prefix: string): number {
    const line = this.log.find((l) => l.text === prefix || l.text.startsWith(`${prefix} `));
    if (line === undefined) throw new Error(`no log line ${prefix}; log:\n  ${this.logTexts().join('\n  ')}`);
    return line.atUs;
  }

  private autoResult(cmd: Issued): CommandResult | null {
    const rule = this.rules.find((r) => matches(cmd, r.type, r.match));
    if (rule !== undefined) return rule.result;
    if (cmd.type === 'measureLoad') return LOAD_SAMPLE;
    if (cmd.type === 'commitEdits' || cmd.type === 'broadcastSync') return { kind: 'done', ok: true };
    return null;
  }
}

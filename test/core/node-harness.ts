// NodeHarness is what the ring and P2P harnesses share: it drives one management program by hand,
// keeps the time, records every command and log line, and lets a test answer each command (or
// have the routine ones answered by the world at once). The method-specific harnesses add how the
// rest of the world behaves: heartbeats of the peers (ring), the S.file (P2P).
import type { CommandResult, HostCommand, HostCommandType } from '../../src/core/program/commands.ts';
import type { NodeEvent } from '../../src/core/program/events.ts';
import type { ManagementFiles } from '../../src/core/model/management-files.ts';
import type { Params } from '../../src/core/model/params.ts';
import type { ProtocolNode } from '../../src/core/program/ports.ts';
import type { SemEdit } from '../../src/core/model/sem.ts';
import { LOG_WORDS, renderLogEvent } from '../../src/core/program/log-events.ts';
import type { LogEvent } from '../../src/core/program/log-events.ts';

export type IssuedType = Exclude<HostCommandType, 'log'>;
export type Issued = Exclude<HostCommand, { type: 'log' }>;
export type Cmd<T extends IssuedType> = Extract<HostCommand, { type: T }>;

export const OK: CommandResult = { kind: 'done', ok: true };
export const FAIL: CommandResult = { kind: 'done', ok: false };
export const LOAD_SAMPLE: CommandResult = { kind: 'load', sample: { freeMemKb: 4_194_304, cpuIdlePct: 300, netBytesPerS: 1_000_000 } };

interface Rule {
  type: IssuedType;
  match: Record<string, unknown>;
  result: CommandResult;
}

/** matches tells whether a command is of a type and has every field of match (compared as JSON). */
export function matches(cmd: Issued, type: IssuedType, match: Record<string, unknown>): boolean {
  if (cmd.type !== type) return false;
  const fields = cmd as unknown as Record<string, unknown>;
  return Object.entries(match).every(([k, v]) => JSON.stringify(fields[k]) === JSON.stringify(v));
}

export abstract class NodeHarness<N extends ProtocolNode & { readonly files: ManagementFiles }> {
  /** sent lists every command the node returned, log lines and answered ones included, with the time it was returned. */
  readonly sent: { atUs: number; command: HostCommand }[] = [];
  /** log holds the node's system-log lines with the time they were written. */
  readonly log: { atUs: number; entry: LogEvent; text: string }[] = [];
  /** wakeAtUs is the deadline the node last asked to be woken at. */
  wakeAtUs: number | null = null;
  private readonly open = new Map<number, Issued>();
  private readonly rules: Rule[] = [];

  protected constructor(
    readonly self: string,
    readonly node: N,
    readonly params: Params,
    public nowUs: number,
  ) {}

  /** routineResult is how the world answers a routine command at once, or null when the test answers it. */
  protected abstract routineResult(cmd: Issued): CommandResult | null;

  get files(): ManagementFiles {
    return this.node.files;
  }

  /** commands lists every command the node returned, in order. */
  get commands(): HostCommand[] {
    return this.sent.map((s) => s.command);
  }

  /** deliver hands the node one event at the current time and answers the routine commands it returns. */
  deliver(event: NodeEvent): HostCommand[] {
    const out = this.node.handle(this.nowUs, event);
    this.wakeAtUs = out.wakeAtUs;
    const returned = [...out.commands];
    const auto: [number, CommandResult][] = [];
    for (const c of returned) {
      this.sent.push({ atUs: this.nowUs, command: c });
      if (c.type === 'log') {
        this.log.push({ atUs: this.nowUs, entry: c, text: renderLogEvent(c) });
        continue;
      }
      const rule = this.rules.find((r) => matches(c, r.type, r.match));
      const result = rule !== undefined ? rule.result : this.routineResult(c);
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

  /**
   * autoAnswer makes the world answer every command of a type matching match at once (before the
   * routine answers), until the returned function is called.
   */
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
    this.autoAnswer('probeNetwork', { target: server }, OK);
    this.autoAnswer('probeService', { target: server }, OK);
  }

  /** issued lists every command of a type the node has returned so far, answered or not. */
  issued<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T>[] {
    return this.commands.filter((c): c is Cmd<T> => c.type !== 'log' && matches(c, type, match as Record<string, unknown>));
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

  /** committed lists the SEM edits the node committed, in order. */
  protected committed(): SemEdit[] {
    return this.issued('commitEdits').flatMap((c) => c.edits);
  }

  /** logTexts are the system-log lines so far. */
  logTexts(): string[] {
    return this.log.map((l) => l.text);
  }

  /** logWords are the word of each system-log line: the paper's vocabulary (Fig. 14). */
  logWords(): string[] {
    return this.log.map((l) => LOG_WORDS[l.entry.event]);
  }

  /** timeOf is when the first log line starting with prefix (a word, or a word and its target) was written. */
  timeOf(prefix: string): number {
    const line = this.log.find((l) => l.text === prefix || l.text.startsWith(`${prefix} `));
    if (line === undefined) throw new Error(`no log line ${prefix}; log:\n  ${this.logTexts().join('\n  ')}`);
    return line.atUs;
  }
}

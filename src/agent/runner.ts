// AgentRunner drives one management program in the real world: the counterpart of the
// simulator's NodeRunner (docs/architecture.md "The two worlds"). It hands the program one event at a time
// with `now` from the clock, carries out each command through a CommandPort with a deadline and
// an AbortSignal, feeds each result back once as a commandDone event, and wakes the program at
// the deadline it asks for. Events wait in a queue, so two handle() calls never overlap.
import type { CommandResult, HostCommand } from '../core/program/commands.ts';
import type { NodeEvent } from '../core/program/events.ts';
import type { ProtocolNode } from '../core/program/ports.ts';
import type { SemEdit } from '../core/model/sem.ts';
import type { AgentLog } from './agent-log.ts';

/** WorldCommand is a command the world carries out (log lines are written by the runner itself). */
export type WorldCommand = Exclude<HostCommand, { type: 'log' }>;

/** Scheduler is the runner's time: the clock and one-shot timers (real ones, or a test's virtual ones). */
export interface Scheduler {
  nowUs(): number;
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** realScheduler uses the given clock (the chrony clock) and Node's timers. */
export function realScheduler(clock: { nowUs(): number }): Scheduler {
  return {
    nowUs: () => clock.nowUs(),
    setTimer: (fn, delayMs) => setTimeout(fn, Math.max(0, delayMs)),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

/** CommandPort carries out the world's commands (host-actions.ts with the real drivers, fakes in tests). */
export interface CommandPort {
  /** execute carries out one command; a throw is a failed command. It should stop when signal aborts. */
  execute(command: WorldCommand, signal: AbortSignal): Promise<CommandResult>;
  /** timeoutMs is the deadline the runner gives a command, taken from the command where it says one. */
  timeoutMs(command: WorldCommand): number;
}

export interface RunnerOptions {
  node: ProtocolNode;
  scheduler: Scheduler;
  commands: CommandPort;
  log: AgentLog;
  /** filesChanged is told after each handle() that may have changed the replica: the edits, or "all" when they are not known. */
  filesChanged?: (edits: readonly SemEdit[] | 'all') => void;
  /** fatal is told when the program itself throws: a bug, after which the agent must stop. */
  fatal?: (error: Error) => void;
  /** observer is told what the runner handles and carries out (metrics.ts reads it; it changes nothing). */
  observer?: RunnerObserver;
}

/**
 * RunnerObserver watches the runner from outside: each event the program handled and each
 * command's result with how long it took, so that metrics are counted from what happened
 * rather than from new hooks in the core. error is the failure text of a command that threw or
 * ran out of time, else null.
 */
export interface RunnerObserver {
  handled(event: NodeEvent, nowUs: number): void;
  commandDone(command: WorldCommand, result: CommandResult, durationMs: number, error: string | null): void;
}

const FAILED: CommandResult = { kind: 'done', ok: false };
const WAKE: NodeEvent = { type: 'wake' };

export class AgentRunner {
  readonly node: ProtocolNode;
  private readonly queue: NodeEvent[] = [];
  private draining = false;
  private wakeTimer: unknown = null;
  private wakeAtUs: number | null = null;
  private gateOpen = true;
  private heldWake = false;
  private stopped = false;
  private lastNowUs = 0;
  private readonly inFlight = new Map<number, AbortController>();
  /** handled counts the events handed to the program (for tests and status). */
  handled = 0;
  /** lastWakeUs is when the program last handled a wake (its tick), or null before the first (status). */
  lastWakeUs: number | null = null;

  constructor(private readonly opts: RunnerOptions) {
    this.node = opts.node;
  }

  /** pending is the number of commands under way. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** deliver queues an event; it is handled after every event queued before it. */
  deliver(event: NodeEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (!this.draining) this.drain();
  }

  /**
   * setGate opens or closes the program's clock (the paper's method; the hardened ring is told
   * clockStatus instead, agent.ts): while closed (chrony unsynchronised, Sec. 3.2)
   * no wake is delivered, so the program neither monitors nor advances its recovery jobs; the
   * wakes it missed are delivered at once when the gate opens again.
   */
  setGate(open: boolean): void {
    if (open === this.gateOpen) return;
    this.gateOpen = open;
    if (open && this.heldWake) {
      this.heldWake = false;
      this.deliver(WAKE);
    }
  }

  get gate(): boolean {
    return this.gateOpen;
  }

  /** stop aborts every command under way and drops the wake; no event is handled afterwards. */
  stop(): void {
    this.stopped = true;
    if (this.wakeTimer !== null) this.opts.scheduler.clearTimer(this.wakeTimer);
    this.wakeTimer = null;
    for (const controller of this.inFlight.values()) controller.abort(new Error('agent stopping'));
    this.inFlight.clear();
    this.queue.length = 0;
  }

  private drain(): void {
    this.draining = true;
    try {
      for (let event = this.queue.shift(); event !== undefined && !this.stopped; event = this.queue.shift()) {
        this.handleOne(event);
      }
    } finally {
      this.draining = false;
    }
  }

  private handleOne(event: NodeEvent): void {
    // The wall clock may step back a little (chrony slews, but an operator may set it); the
    // program's time never goes back, as in the simulator's runner.
    const nowUs = Math.max(this.lastNowUs, this.opts.scheduler.nowUs());
    this.lastNowUs = nowUs;
    let out;
    try {
      out = this.opts.node.handle(nowUs, event);
    } catch (error) {
      this.opts.log.agent('programError', `Program_error ${(error as Error).message}`, { error: (error as Error).message });
      this.stop();
      this.opts.fatal?.(error as Error);
      return;
    }
    this.handled += 1;
    if (event.type === 'wake') this.lastWakeUs = nowUs;
    this.opts.observer?.handled(event, nowUs);
    const committed: SemEdit[] = [];
    for (const command of out.commands) {
      if (command.type === 'log') this.opts.log.system(command, nowUs);
      else if (command.type === 'commitEdits') committed.push(...command.edits);
    }
    // The hardened ring's ledger applies a peer's records in its own order (some wait, some that
    // waited go with this one) and an answer may replace the files: which edits were applied is
    // not known here, so the whole files are saved (file-store.ts journals the lines that change).
    const whole = event.type === 'filesReceived' || event.type === 'semRecords' || (event.type === 'semEdits' && event.stamp !== undefined);
    if (whole) this.opts.filesChanged?.('all');
    else if (event.type === 'semEdits' || committed.length > 0) this.opts.filesChanged?.(event.type === 'semEdits' ? [...event.edits, ...committed] : committed);
    for (const command of out.commands) if (command.type !== 'log') this.start(command);
    this.scheduleWake(out.wakeAtUs);
  }

  /** start runs one command with its deadline; whatever happens, exactly one commandDone comes back. */
  private start(command: WorldCommand): void {
    const controller = new AbortController();
    this.inFlight.set(command.id, controller);
    const timeoutMs = this.opts.commands.timeoutMs(command);
    const startedMs = performance.now();
    let settled = false;
    const finish = (result: CommandResult, error: string | null): void => {
      if (settled) return;
      settled = true;
      this.opts.scheduler.clearTimer(timer);
      if (this.inFlight.get(command.id) !== controller) return; // stopped meanwhile
      this.inFlight.delete(command.id);
      if (error !== null) {
        this.opts.log.agent('commandFailed', `Command_failed ${command.type} ${error}`, { command: command.type, id: command.id, error });
      }
      this.opts.observer?.commandDone(command, result, performance.now() - startedMs, error);
      this.deliver({ type: 'commandDone', id: command.id, result });
    };
    const timer = this.opts.scheduler.setTimer(() => {
      controller.abort(new Error(`no result within ${timeoutMs} ms`));
      finish(FAILED, `no result within ${timeoutMs} ms`);
    }, timeoutMs);
    let work: Promise<CommandResult>;
    try {
      work = this.opts.commands.execute(command, controller.signal);
    } catch (error) {
      work = Promise.reject(error);
    }
    work.then(
      (result) => finish(result, null),
      (error: unknown) => finish(FAILED, error instanceof Error ? error.message : String(error)),
    );
  }

  private scheduleWake(atUs: number | null): void {
    if (atUs === this.wakeAtUs && (atUs === null || this.wakeTimer !== null)) return;
    if (this.wakeTimer !== null) this.opts.scheduler.clearTimer(this.wakeTimer);
    this.wakeTimer = null;
    this.wakeAtUs = atUs;
    if (atUs === null || this.stopped) return;
    const delayMs = Math.max(0, (atUs - this.opts.scheduler.nowUs()) / 1000);
    this.wakeTimer = this.opts.scheduler.setTimer(() => this.onWakeTimer(), Math.ceil(delayMs));
  }

  private onWakeTimer(): void {
    this.wakeTimer = null;
    const atUs = this.wakeAtUs;
    this.wakeAtUs = null;
    if (atUs !== null && this.opts.scheduler.nowUs() < atUs) {
      // A timer that fired early (the wall clock was slewed) waits for the rest.
      this.scheduleWake(atUs);
      return;
    }
    if (!this.gateOpen) {
      this.heldWake = true;
      return;
    }
    this.deliver(WAKE);
  }
}

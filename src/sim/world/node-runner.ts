// NodeRunner drives one management program in the simulator: it hands it events at simulated
// times, passes its commands to the world and wakes it at the deadline it asks for. It is the
// simulated counterpart of the real agent's async runner (docs/architecture.md "The two worlds").
import type { CommandResult, HostCommand } from '../../core/program/commands.ts';
import type { NodeEvent } from '../../core/program/events.ts';
import { ProtocolAssertionError } from '../../core/program/assert.ts';
import { emptyCommands, type ProtocolNode } from '../../core/program/ports.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Trace } from '../kernel/trace.ts';
import { PROGRAM_CELLS, type TimeCells } from '../../core/program/time-cells.ts';
import type { SimServer } from './server.ts';

/** CommandSink carries out a node's commands (the World). */
export interface CommandSink {
  execute(runner: NodeRunner, command: HostCommand): void;
  /** eventsHandled counts the events handed to programs (a SEM broadcast is one per copy, however the kernel batches them). */
  eventsHandled: number;
  /** observe looks at a program after each event it handled (the shared heartbeat file's detached replicas). */
  observe?(runner: NodeRunner): void;
}

/** serials numbers the runners in the order they were made (a process-wide count: only compared, never shown). */
let serials = 0;

export class NodeRunner {
  /** lastSerial is the serial of the last runner made. */
  static lastSerial(): number {
    return serials;
  }

  readonly serial = ++serials;
  alive = true;
  /** clockOffsetUs is its server's (SimServer.clockOffsetUs, kept equal by World.setClockOffset): read at every event, where the server is not. */
  clockOffsetUs: number;
  /** observedBy, observedReplica and observedMoves are what the shared heartbeat file last saw of this runner (SharedHeartbeat.observe): fields of their own, so the look reads no other object. */
  observedBy: object | null = null;
  observedReplica: object | null = null;
  observedMoves = -1;
  /** commandTarget is the server its program's last probe named (service-probe.ts probedServer), kept so the next probe of it reads no map; commandTargetName is its name. */
  commandTarget: SimServer | null = null;
  commandTargetName: string | null = null;
  /** examDaemons are the daemons its program's last service probe named and examUs how long examining them takes (service-probe.ts), kept for the next probe of the same ones. */
  examDaemons: readonly string[] | null = null;
  examUs = 0;

  constructor(
    readonly server: SimServer,
    readonly node: ProtocolNode,
    private readonly kernel: Kernel,
    private readonly trace: Trace,
    private readonly sink: CommandSink,
    private readonly serverNos: ReadonlyMap<string, number>,
    private readonly clocks: TimeCells,
    /** at is where this runner's cells start in clocks (RUNNER_CELLS): its own three, then its program's. */
    private readonly at: number,
  ) {
    this.clockOffsetUs = server.clockOffsetUs;
    clocks.times[at] = -Infinity;
    clocks.times[at + 1] = Number.NaN;
    clocks.times[at + 2] = -1;
  }

  /** lastNodeUs is the program's clock as last handed to it, where a clock set back stands still. */
  private get lastNodeUs(): number {
    return this.clocks.times[this.at] as number;
  }

  private set lastNodeUs(us: number) {
    this.clocks.times[this.at] = us;
  }

  /** wakeAtUs is the wake asked for (in the world's time), or null. */
  private get wakeAtUs(): number | null {
    const us = this.clocks.times[this.at + 1] as number;
    return us === us ? us : null;
  }

  private set wakeAtUs(us: number | null) {
    this.clocks.times[this.at + 1] = us ?? Number.NaN;
  }

  /** wakeHandle is the kernel's handle of that wake, or -1. */
  private get wakeHandle(): number {
    return this.clocks.times[this.at + 2] as number;
  }

  private set wakeHandle(handle: number) {
    this.clocks.times[this.at + 2] = handle;
  }

  /** deliver hands the node one event now (in its own clock, which may be off) and acts on what it returns. */
  deliver(event: NodeEvent): void {
    if (!this.alive) return;
    this.sink.eventsHandled++;
    if (this.trace.enabled) this.traceEvent(event);
    // A clock set back (ClockOff) stands still until real time catches up, as a slewing clock would.
    const nodeNowUs = Math.max(this.lastNodeUs, this.kernel.nowUs + this.clockOffsetUs);
    this.lastNodeUs = nodeNowUs;
    let out;
    try {
      out = this.node.handle(nodeNowUs, event);
    } catch (error) {
      // Name the server and the event, so the run's report says where the program went wrong.
      if (error instanceof ProtocolAssertionError) throw new ProtocolAssertionError(`${this.server.name}, handling ${describeEvent(event)}: ${error.message}`);
      throw error;
    }
    for (const command of out.commands) this.sink.execute(this, command);
    // Carried out: dropped now rather than at the program's next event, which may come after a young-generation collection.
    emptyCommands(out);
    this.scheduleWake(out.wakeAtUs === null ? null : out.wakeAtUs - this.clockOffsetUs);
    this.sink.observe?.(this);
  }

  /**
   * tookShared stands for deliver of a SEM record that the shared files took for this program
   * (shared-heartbeat.ts): the paper's ring would only have applied it, so only the count, the
   * trace and the clock's standstill mark (lastNodeUs) are kept; false when the program is gone.
   */
  tookShared(event: NodeEvent): boolean {
    if (!this.alive) return false;
    this.sink.eventsHandled++;
    if (this.trace.enabled) this.traceEvent(event);
    this.lastNodeUs = Math.max(this.lastNodeUs, this.kernel.nowUs + this.clockOffsetUs);
    return true;
  }

  /** traceEvent records the event as numbers (trace.ts); its text only when the trace keeps lines. */
  private traceEvent(event: NodeEvent): void {
    const t = this.trace;
    const nowUs = this.kernel.nowUs;
    const no = this.server.no;
    switch (event.type) {
      case 'wake':
        t.recordNumbers(nowUs, no, 0, 0, 0);
        break;
      case 'commandDone': {
        const r = event.result;
        t.recordNumbers(nowUs, no, 1, event.id, r.kind === 'done' ? (r.ok ? 1 : 0) : r.kind === 'load' ? 2 : 3 + r.reports.length);
        break;
      }
      case 'semEdits':
        t.recordNumbers(nowUs, no, 2, this.noOf(event.from), event.edits.length);
        break;
      case 'filesReceived':
        t.recordNumbers(nowUs, no, 3, 0, 0);
        break;
      case 'flagFile':
        t.recordNumbers(nowUs, no, 4, event.present ? 1 : 0, 0);
        break;
      case 'syncFile':
        t.recordNumbers(nowUs, no, 5, this.noOf(event.from), 0);
        break;
      case 'jobResult':
        t.recordNumbers(nowUs, no, 6, this.noOf(event.from) * 1000 + this.noOf(event.target), event.result === 'up' ? 1 : 0);
        break;
      case 'startRole':
        t.recordNumbers(nowUs, no, 7, this.noOf(event.target), event.role === 'P1' ? 1 : 2);
        break;
      case 'clockStatus':
        t.recordNumbers(nowUs, no, 8, event.synchronised ? 1 : 0, 0);
        break;
      case 'semRecords':
        t.recordNumbers(nowUs, no, 9, this.noOf(event.from), event.answer.snapshot === null ? event.answer.records.length : -1);
        break;
    }
    if (t.keepsLines) t.keepLine(nowUs, this.server.name, describeEvent(event));
  }

  /** noOf names a server by its group-file No. in numeric trace records (0 for a name outside the ring). */
  private noOf(server: string): number {
    return this.serverNos.get(server) ?? 0;
  }

  /** later delivers an event after delayUs unless the program has died meanwhile. */
  later(delayUs: number, event: NodeEvent): void {
    this.kernel.afterWith(delayUs, deliverTo, this, event);
  }

  /** answer delivers a command's result after delayUs unless the program has died meanwhile (replies.ts): the kernel keeps the id and result, not an event. */
  answer(delayUs: number, id: number, result: CommandResult): void {
    this.kernel.afterWith(delayUs, answerTo, this, id, result);
  }

  /** kill stops the program at once (power off, restart): pending results and wakes are dropped. */
  kill(): void {
    this.alive = false;
    if (this.wakeHandle >= 0) this.kernel.cancel(this.wakeHandle);
    this.wakeHandle = -1;
  }

  private scheduleWake(atUs: number | null): void {
    if (atUs === this.wakeAtUs) return;
    if (this.wakeHandle >= 0) this.kernel.cancel(this.wakeHandle);
    this.wakeHandle = -1;
    this.wakeAtUs = atUs;
    if (atUs === null) return;
    const when = Math.max(atUs, this.kernel.nowUs);
    this.wakeHandle = this.kernel.atWith(when, wake, this);
  }

  /** woken is the wake asked for (scheduleWake) coming due. */
  woken(): void {
    this.wakeHandle = -1;
    this.wakeAtUs = null;
    this.deliver(WAKE);
  }
}

const WAKE: NodeEvent = { type: 'wake' };

/**
 * RUNNER_CELLS is how many time cells (time-cells.ts) a runner takes in its world's array: its
 * program's clock as last handed to it, its wake and the wake's kernel handle, one unused, then its
 * program's four (PROGRAM_CELLS). As fields of the runner and the program each would be a heap
 * number of its own (V8 keeps a double field in a box), and in a large ring one more cache miss per
 * event; eight cells are one 64-byte line (docs/scale.md).
 */
export const RUNNER_OWN_CELLS = 4;
export const RUNNER_CELLS = RUNNER_OWN_CELLS + PROGRAM_CELLS;

/**
 * ANSWER is the one commandDone event every answer is handed over in, filled in just before
 * (answerTo): a program reads an event only while it handles it, and no answer is handed over
 * while another is being handled (answers come from the kernel, never from a command's execution).
 * An event object per command would live until its answer, through young-generation collections.
 */
const ANSWER: { type: 'commandDone'; id: number; result: CommandResult } = { type: 'commandDone', id: 0, result: { kind: 'done', ok: true } };

// The kernel calls these with the runner as its argument: one function for all runners, so an
// event reaches its runner without a closure per runner in between (Kernel.atWith).
function deliverTo(runner: NodeRunner, event: NodeEvent): void {
  runner.deliver(event);
}

function answerTo(runner: NodeRunner, id: number, result: CommandResult): void {
  ANSWER.id = id;
  ANSWER.result = result;
  runner.deliver(ANSWER);
}

function wake(runner: NodeRunner): void {
  runner.woken();
}

/** describeEvent is the canonical trace text of an event: short, stable and free of object identity. */
export function describeEvent(event: NodeEvent): string {
  switch (event.type) {
    case 'wake':
      return 'wake';
    case 'commandDone': {
      const r = event.result;
      const detail = r.kind === 'done' ? (r.ok ? 'ok' : 'fail') : r.kind === 'loads' ? `loads=${r.reports.length}` : 'load';
      return `done ${event.id} ${detail}`;
    }
    case 'semEdits':
      return `sem ${event.from} ${event.edits.length}`;
    case 'filesReceived':
      return 'files';
    case 'flagFile':
      return event.present ? 'flag+' : 'flag-';
    case 'syncFile':
      return `sync ${event.from}`;
    case 'jobResult':
      return `${event.result === 'up' ? 'U.file' : 'D.file'} ${event.from} ${event.target}`;
    case 'startRole':
      return `role ${event.role} ${event.target}`;
    case 'clockStatus':
      return event.synchronised ? 'clock-synchronised' : 'clock-unsynchronised';
    case 'semRecords':
      return `sem-records ${event.from} ${event.answer.snapshot === null ? event.answer.records.length : 'snapshot'}`;
  }
}

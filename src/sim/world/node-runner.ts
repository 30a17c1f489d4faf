// NodeRunner drives one management program in the simulator: it hands it events at simulated
// times, passes its commands to the world and wakes it at the deadline it asks for. It is the
// simulated counterpart of the real agent's async runner (DESIGN.md "The two worlds").
import type { HostCommand } from '../../core/commands.ts';
import type { NodeEvent } from '../../core/events.ts';
import type { ProtocolNode } from '../../core/ports.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Trace } from '../kernel/trace.ts';
import type { SimServer } from './server.ts';

/** CommandSink carries out a node's commands (the World). */
export interface CommandSink {
  execute(runner: NodeRunner, command: HostCommand): void;
}

export class NodeRunner {
  private wakeHandle = -1;
  private wakeAtUs: number | null = null;
  private lastNodeUs = -Infinity;
  alive = true;

  constructor(
    readonly server: SimServer,
    readonly node: ProtocolNode,
    private readonly kernel: Kernel,
    private readonly trace: Trace,
    private readonly sink: CommandSink,
  ) {}

  /** deliver hands the node one event now (in its own clock, which may be off) and acts on what it returns. */
  deliver(event: NodeEvent): void {
    if (!this.alive) return;
    if (this.trace.enabled) this.trace.record(this.kernel.nowUs, this.server.name, describeEvent(event));
    // A clock set back (ClockOff) stands still until real time catches up, as a slewing clock would.
    const nodeNowUs = Math.max(this.lastNodeUs, this.kernel.nowUs + this.server.clockOffsetUs);
    this.lastNodeUs = nodeNowUs;
    const out = this.node.handle(nodeNowUs, event);
    for (const command of out.commands) this.sink.execute(this, command);
    this.scheduleWake(out.wakeAtUs === null ? null : out.wakeAtUs - this.server.clockOffsetUs);
  }

  /** later delivers an event after delayUs unless the program has died meanwhile. */
  later(delayUs: number, event: NodeEvent): void {
    this.kernel.afterWith(delayUs, this.deliverBound, event);
  }

  /** deliverBound is deliver bound once, so scheduling an event allocates no closure. */
  private readonly deliverBound = (event: NodeEvent): void => this.deliver(event);

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
    this.wakeHandle = this.kernel.at(when, this.wakeBound);
  }

  private readonly wakeBound = (): void => {
    this.wakeHandle = -1;
    this.wakeAtUs = null;
    this.deliver(WAKE);
  };
}

const WAKE: NodeEvent = { type: 'wake' };

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
  }
}

// AgentMetrics counts what the agent did for Prometheus (prom-client), derived from what it
// already produces rather than from hooks in the core: the typed log events (a detection is the
// first failed examination of Sec. 5.2, function recovery ends at `Virtual_IP:_VIP_(IPV)`, target
// recovery at `Virtual_IP:_VIP_(IPV->IPR)`), the results of the commands the runner carried out
// (examinations, SEM commits, failures), and, read at each scrape, the ports' refusal counts and
// the runner's state. Recovery durations are measured from the detection, by the agent's clock.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandResult } from '../core/program/commands.ts';
import type { NodeEvent } from '../core/program/events.ts';
import type { LogRecord, LogSink } from './agent-log.ts';
import type { RunnerObserver, WorldCommand } from './runner.ts';

/** MetricsSource is what a scrape reads from the running agent (agent.ts), each a getter that changes nothing. */
export interface MetricsSource {
  refusals(): Record<string, number>;
  running(): boolean;
  lastWakeUs(): number | null;
  pending(): number;
}

/** RECOVERY_BUCKETS_S spans the paper's recoveries: detection in seconds, function recovery in tens, a restart in minutes (Table 2). */
const RECOVERY_BUCKETS_S = [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600];
const COMMAND_BUCKETS_S = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const EXAMINATIONS: Partial<Record<WorldCommand['type'], string>> = { probeNetwork: 'network', probeService: 'service', probeInternal: 'internal' };

/** Detection is a target's open detection: when, and whether function recovery has completed since. */
interface Detection {
  atUs: number;
  functionRecovered: boolean;
}

export class AgentMetrics {
  readonly registry = new Registry();
  private source: MetricsSource | null = null;
  private readonly detections = new Map<string, Detection>();
  private readonly ticks: Counter;
  private readonly examinations: Counter<'kind' | 'result'>;
  private readonly detected: Counter<'kind'>;
  private readonly recoveries: Counter<'kind'>;
  private readonly recoverySeconds: Histogram<'kind'>;
  private readonly semSent: Counter;
  private readonly semReceived: Counter;
  private readonly failures: Counter<'command' | 'reason'>;
  private readonly commandSeconds: Histogram<'command'>;

  constructor(server: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ server });
    collectDefaultMetrics({ register: this.registry });
    this.ticks = new Counter({ name: 'dbss_ticks_total', help: "Wake-ups the management program handled at its deadlines (its ticks, Sec. 3.2, and its waits' ends).", registers });
    this.examinations = new Counter({ name: 'dbss_examinations_total', help: 'Examinations of the target (network, service) and internal checks, by result.', labelNames: ['kind', 'result'], registers });
    this.detected = new Counter({ name: 'dbss_detections_total', help: "Failure detections: a target's first failed examination (Sec. 5.2), by kind.", labelNames: ['kind'], registers });
    this.recoveries = new Counter({ name: 'dbss_recoveries_total', help: 'Completed recoveries: function (VIP on a virtual server) and target (VIP back on the server).', labelNames: ['kind'], registers });
    this.recoverySeconds = new Histogram({ name: 'dbss_recovery_duration_seconds', help: 'From the detection to the completed recovery, by kind (Table 2).', labelNames: ['kind'], buckets: RECOVERY_BUCKETS_S, registers });
    this.semSent = new Counter({ name: 'dbss_sem_edits_sent_total', help: 'SEM edits this server committed and broadcast (Sec. 3.1).', registers });
    this.semReceived = new Counter({ name: 'dbss_sem_edits_received_total', help: 'SEM edits received from the other servers and handed to the program.', registers });
    this.failures = new Counter({ name: 'dbss_command_failures_total', help: 'Commands that failed: error (threw), timeout (no result in time) or not_ok (an action answered failure).', labelNames: ['command', 'reason'], registers });
    this.commandSeconds = new Histogram({ name: 'dbss_command_duration_seconds', help: 'How long the commands took, by type.', labelNames: ['command'], buckets: COMMAND_BUCKETS_S, registers });
    const read = <T>(fn: (s: MetricsSource) => T): T | null => (this.source === null ? null : fn(this.source));
    const refused = (port: string, name: string, help: string): void => {
      new Counter({
        name, help, labelNames: ['reason'], registers,
        collect() {
          this.reset();
          for (const [key, n] of Object.entries(read((s) => s.refusals()) ?? {})) if (key.startsWith(`${port}/`)) this.inc({ reason: key.slice(port.length + 1) }, n);
        },
      });
    };
    refused('sem', 'dbss_sem_records_refused_total', 'SEM records the port refused (bad HMAC, replay, stale epoch...), by reason; every refusal, logged or not.');
    refused('load', 'dbss_load_requests_refused_total', 'Load requests and answers the port refused, by reason.');
    const gauge = (name: string, help: string, value: (s: MetricsSource) => number | null): void => {
      new Gauge({ name, help, registers, collect() {
        const v = read(value);
        if (v !== null) this.set(v);
      } });
    };
    gauge('dbss_program_running', 'Whether the management program runs (the flag file, Sec. 3.2): 1 or 0.', (s) => (s.running() ? 1 : 0));
    gauge('dbss_last_tick_timestamp_seconds', 'When the program last handled a wake-up, in UNIX seconds.', (s) => {
      const us = s.lastWakeUs();
      return us === null ? null : us / 1e6;
    });
    gauge('dbss_commands_pending', 'Commands under way.', (s) => s.pending());
  }

  /** attach gives the scrape its running agent, once it has started. */
  attach(source: MetricsSource): void {
    this.source = source;
  }

  /** sink reads the log's typed events: detections and completed recoveries. */
  readonly sink: LogSink = (record) => {
    if (record.kind !== 'system' || typeof record.target !== 'string') return;
    this.onSystemEvent(record.event, record.target, record);
  };

  /** observer counts ticks, received edits and each command's result and duration. */
  readonly observer: RunnerObserver = {
    handled: (event: NodeEvent) => {
      if (event.type === 'wake') this.ticks.inc();
      else if (event.type === 'semEdits') this.semReceived.inc(event.edits.length);
    },
    commandDone: (command: WorldCommand, result: CommandResult, durationMs: number, error: string | null) => {
      this.commandSeconds.observe({ command: command.type }, durationMs / 1000);
      const examination = EXAMINATIONS[command.type];
      const ok = error === null && (result.kind !== 'done' || result.ok);
      if (examination !== undefined) this.examinations.inc({ kind: examination, result: ok ? 'ok' : 'problem' });
      if (command.type === 'commitEdits' && error === null) this.semSent.inc(command.edits.length);
      if (error !== null) this.failures.inc({ command: command.type, reason: error.startsWith('no result within') ? 'timeout' : 'error' });
      else if (!ok && examination === undefined) this.failures.inc({ command: command.type, reason: 'not_ok' });
    },
  };

  private onSystemEvent(event: string | undefined, target: string, record: LogRecord): void {
    const open = this.detections.get(target);
    if (event === 'networkProblemDetected' || event === 'serviceProblemDetected') {
      this.detected.inc({ kind: event === 'networkProblemDetected' ? 'network' : 'service' });
      if (open === undefined) this.detections.set(target, { atUs: record.atUs, functionRecovered: false });
    } else if (event === 'virtualIpSet' && open !== undefined && !open.functionRecovered) {
      open.functionRecovered = true;
      this.recovered('function', record.atUs - open.atUs);
    } else if (event === 'virtualIpBack' && open !== undefined) {
      this.detections.delete(target);
      this.recovered('target', record.atUs - open.atUs);
    } else if (event === 'ipIsNormal' && open !== undefined && !open.functionRecovered) {
      this.detections.delete(target); // not confirmed, or back before any recovery: nothing was recovered
    }
  }

  private recovered(kind: 'function' | 'target', durationUs: number): void {
    this.recoveries.inc({ kind });
    this.recoverySeconds.observe({ kind }, Math.max(0, durationUs) / 1e6);
  }

  /** text is the exposition a scrape returns. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

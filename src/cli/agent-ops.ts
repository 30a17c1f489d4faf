// AgentOps is what the daemon adds for the people who run it, around the agent that runAgent
// (agent-command.ts) builds: stdout's lines for journald or JSON, the status socket of `dbss
// agent status`, the Prometheus endpoint, systemd's notify protocol (READY=1, WATCHDOG=1,
// STOPPING=1) and SIGHUP's reload of the keys that may change while it runs (reload.ts). The
// sockets are opened before the agent starts, so a taken path or an address of another host
// refuses the start with one line and exit status 2; they answer once the agent is attached.
import { join } from 'node:path';
import type { Agent } from '../agent/agent.ts';
import type { AgentLog, LogSink } from '../agent/agent-log.ts';
import { consoleSink, type ConsoleSettings } from '../agent/console-log.ts';
import { AgentMetrics } from '../agent/metrics.ts';
import { serveMetrics, type MetricsServer } from '../agent/metrics-server.ts';
import { applied, reloadPlan, type ReloadInput } from '../agent/reload.ts';
import type { RunnerObserver } from '../agent/runner.ts';
import { LastLines, statusSnapshot } from '../agent/status.ts';
import { serveStatus, type StatusServer } from '../agent/status-socket.ts';
import type { AgentSetup } from '../config/agent-dir.ts';
import { InputError } from '../core/model/input-error.ts';
import { SdNotify, watchdogIntervalMs } from '../drivers/sd-notify.ts';

/** OpsOptions says where agent.yaml was read (for reloads and error lines) and how time is read. */
export interface OpsOptions {
  configDir: string;
  nowUs: () => number;
  /** reload reads the configuration directory again (loadAgentDir); it throws an InputError for a bad one. */
  reload: () => AgentSetup;
  env?: NodeJS.ProcessEnv;
  /** notify replaces systemd's notifier (tests); null: none. */
  notify?: SdNotify | null;
}

export class AgentOps {
  readonly metrics: AgentMetrics;
  private readonly lastLines = new LastLines();
  private readonly console: ConsoleSettings;
  private readonly notifier: SdNotify | null;
  private running: ReloadInput & { setup: AgentSetup };
  private agent: Agent | null = null;
  private log: AgentLog | null = null;
  private status: StatusServer | null = null;
  private metricsServer: MetricsServer | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly startedAtUs: number;
  private readonly onHup = (): void => void this.reload();

  constructor(
    setup: AgentSetup,
    private readonly opts: OpsOptions,
  ) {
    this.running = inputOf(setup);
    this.metrics = new AgentMetrics(setup.config.server);
    this.console = { format: setup.config.ops.logFormat, level: setup.config.ops.logLevel };
    this.notifier = opts.notify === undefined ? SdNotify.fromEnv(opts.env ?? process.env) : opts.notify;
    this.startedAtUs = opts.nowUs();
  }

  /** sinks are the log's sinks besides the log file: stdout in its format, metrics, status's last lines. */
  get sinks(): LogSink[] {
    return [consoleSink(this.console), this.metrics.sink, this.lastLines.sink];
  }

  get observer(): RunnerObserver {
    return this.metrics.observer;
  }

  /** metricsPort is the bound metrics port, or null when metrics are off. */
  get metricsPort(): number | null {
    return this.metricsServer?.port ?? null;
  }

  /** listen opens the status socket and the metrics endpoint; a bind that fails is an InputError on agent.yaml. */
  async listen(): Promise<void> {
    const { ops } = this.running.config;
    try {
      // serveStatus makes the socket's directory: the default is in stateDir, which a first start
      // (--bootstrap) or a start after a reboot (memory disk, Sec. 2.4) has not made yet.
      this.status = await serveStatus(ops.statusSocket, () => this.snapshot());
    } catch (error) {
      throw this.bindError('statusSocket', 'a path where the agent may create its status socket', error);
    }
    if (ops.metrics !== null) this.metricsServer = await this.openMetrics(ops.metrics);
  }

  /** attach hands the started agent to the status socket, metrics, SIGHUP and systemd (READY=1, then the watchdog). */
  async attach(agent: Agent, log: AgentLog): Promise<void> {
    this.agent = agent;
    this.log = log;
    this.metrics.attach({ refusals: () => agent.refusals.counts(), running: () => agent.runner.node.running, lastWakeUs: () => agent.runner.lastWakeUs, pending: () => agent.runner.pending });
    process.on('SIGHUP', this.onHup);
    if (this.metricsServer !== null) log.agent('metrics', `Metrics_listening ${this.metricsServer.address}:${this.metricsServer.port}`, { address: this.metricsServer.address, port: this.metricsServer.port });
    log.agent('statusSocket', `Status_socket ${this.running.config.ops.statusSocket}`, { path: this.running.config.ops.statusSocket });
    await this.notify('READY=1', `STATUS=dbss agent ${this.running.config.server} running`);
    const intervalMs = watchdogIntervalMs(this.opts.env ?? process.env);
    // The watchdog is fed from the event loop the program runs on: a loop that hangs stops it.
    if (intervalMs !== null) this.watchdog = setInterval(() => void this.notify('WATCHDOG=1'), intervalMs);
  }

  /** stop tells systemd STOPPING=1 and closes the sockets. */
  async stop(): Promise<void> {
    process.off('SIGHUP', this.onHup);
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    if (this.agent !== null) await this.notify('STOPPING=1');
    await Promise.all([this.status?.close(), this.metricsServer?.close()]);
    this.status = null;
    this.metricsServer = null;
  }

  private snapshot(): unknown {
    const agent = this.agent;
    if (agent === null) return { version: 1, starting: true, server: this.running.config.server, pid: process.pid };
    const source = { node: agent.runner.node, data: this.running.setup.cluster.map((c) => c.data), hardening: this.running.config.hardening, semHeard: agent.semHeard, refusals: () => agent.refusals.counts(), runner: agent.runner };
    return statusSnapshot(source, this.lastLines, { startedAtUs: this.startedAtUs, nowUs: this.opts.nowUs() });
  }

  /** reload is SIGHUP: read the directory again, log each changed key as applied or needing a restart, apply the live ones. */
  async reload(): Promise<void> {
    const log = this.log;
    if (log === null) return;
    let next: ReloadInput & { setup: AgentSetup };
    try {
      next = inputOf(this.opts.reload());
    } catch (error) {
      log.agent('reloadFailed', `Reload_refused_configuration_kept ${(error as Error).message}`, { error: (error as Error).message });
      return;
    }
    const changes = reloadPlan(this.running, next);
    if (changes.length === 0) log.agent('reload', 'Reload_no_changes');
    for (const c of changes) log.agent('reload', `Reload ${c.key} ${c.outcome === 'applied' ? 'applied' : 'needs_restart'}`, { key: c.key, outcome: c.outcome });
    const was = this.running.config.ops.metrics;
    const now = next.config.ops.metrics;
    this.console.level = next.config.ops.logLevel;
    this.console.format = next.config.ops.logFormat;
    this.running = { ...this.running, config: applied(this.running.config, next.config) };
    if (JSON.stringify(was) === JSON.stringify(now)) return;
    await this.metricsServer?.close();
    this.metricsServer = null;
    if (now === null) return;
    try {
      this.metricsServer = await this.openMetrics(now);
      log.agent('metrics', `Metrics_listening ${this.metricsServer.address}:${this.metricsServer.port}`, { address: this.metricsServer.address, port: this.metricsServer.port });
    } catch (error) {
      log.agent('metricsFailed', `Metrics_not_listening ${(error as Error).message}`, { error: (error as Error).message });
    }
  }

  private async openMetrics(at: { address: string; port: number }): Promise<MetricsServer> {
    try {
      return await serveMetrics(this.metrics, at.address, at.port);
    } catch (error) {
      throw this.bindError('metrics', 'an address of this host and a free port', error, `${at.address}:${at.port}`);
    }
  }

  private async notify(...assignments: string[]): Promise<void> {
    if (this.notifier === null) return;
    await this.notifier.notify(...assignments).catch((error: Error) => this.log?.agent('notifyFailed', `Notify_failed ${error.message}`, { error: error.message }));
  }

  private bindError(field: string, expected: string, error: unknown, what = ''): InputError {
    const e = error as NodeJS.ErrnoException;
    return new InputError(join(this.opts.configDir, 'agent.yaml'), null, field, expected, `${what === '' ? '' : `${what}: `}${e.code ?? e.message}`);
  }
}

/** inputOf is what reloadPlan compares: the configuration, the ring's data, the key. */
function inputOf(setup: AgentSetup): ReloadInput & { setup: AgentSetup } {
  return { config: setup.config, cluster: setup.cluster, key: setup.key, setup };
}

// Agent puts one management server together from the real drivers: SEM over UDP, load requests,
// the management files on disk, SSH to the other servers, Wake-on-LAN, probes and the chrony
// clock, all around an AgentRunner that drives the management program it is given. The CLI
// (`dbss agent`, the composition root) builds the program and the configuration, and the program
// runs the extensions of the hardened ring the configuration names (config.hardening): the agent
// carries their events as the simulator does (src/sim/world/world.ts), commits whole with their
// stamps, resync questions and answers, the version vector with sent files, the clock's verdict.
// What its ports refuse is counted and logged at a bounded rate (port-refusals.ts), and their
// replay windows are saved beside the management files, so a restart reopens none (replay-window-file.ts).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagementData } from '../core/model/management-data.ts';
import type { NodeEvent } from '../core/program/events.ts';
import type { ProtocolNode } from '../core/program/ports.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import type { SyncVerdict } from '../drivers/chrony-clock.ts';
import { ExecError } from '../drivers/exec.ts';
import { checkService, pingHost } from '../drivers/probes.ts';
import { readLocalLoad } from '../drivers/proc-load.ts';
import { SemTransport } from '../drivers/net/sem-transport.ts';
import { sendWol } from '../drivers/wol.ts';
import type { AgentLog } from './agent-log.ts';
import { peerOf, type AgentConfig } from './config.ts';
import { FileStore } from './file-store.ts';
import { HostActions, schedulerTime, type HostDrivers } from './host-actions.ts';
import { LoadRpc } from '../drivers/net/load-rpc.ts';
import type { LoadedFiles } from './file-store.ts';
import { portRefusals, type PortRefusals } from './port-refusals.ts';
import { ReplayWindowFile } from './replay-window-file.ts';
import { Remote } from './remote.ts';
import { AgentRunner, type RunnerObserver, type Scheduler } from './runner.ts';
import { cloneFiles } from '../core/model/sem.ts';

/** REFUSAL_FLUSH_MS is how often the refusal log looks whether its interval is over and a summary is due. */
const REFUSAL_FLUSH_MS = 1000;

export interface AgentOptions {
  config: AgentConfig;
  data: readonly ManagementData[];
  node: ProtocolNode;
  key: Buffer;
  log: AgentLog;
  scheduler: Scheduler;
  /** checkClock asks chrony whether this server may act as a manager (null: no chrony, always yes). */
  checkClock: (() => Promise<SyncVerdict>) | null;
  /** drivers replaces real drivers (tests). */
  drivers?: Partial<HostDrivers>;
  /** pollMs is how often the flag file and, in standby, the management files are looked for. */
  pollMs?: number;
  /** observer watches the runner (metrics.ts); it changes nothing. */
  observer?: RunnerObserver;
}

/** SemHeard is the last SEM record heard from one sender: its stamp (a whole commit's, hardened ring) or its record number, and when. */
export interface SemHeard {
  epoch: number | null;
  seq: number;
  atMs: number;
}

export class Agent {
  private timers: NodeJS.Timeout[] = [];
  private flagPresent = false;
  private polling = false;
  private clockOk: boolean | null = null;
  private stopped = false;

  private constructor(
    readonly runner: AgentRunner,
    readonly store: FileStore,
    private readonly sem: SemTransport,
    private readonly loads: LoadRpc,
    /** refusals counts what the ports refused, by `port/reason` (port-refusals.ts). */
    readonly refusals: PortRefusals,
    private readonly opts: AgentOptions,
    /** semHeard is, per sender, the last SEM record that arrived (before the program applied it), for status. */
    readonly semHeard: ReadonlyMap<string, SemHeard>,
    /** failed rejects when the management program throws (a bug): the daemon must then stop and say so. */
    readonly failed: Promise<never>,
  ) {
    failed.catch(() => undefined); // observed by the caller; never an unhandled rejection here
  }

  /** semPort and loadPort are the bound UDP ports (tests bind port 0). */
  get semPort(): number {
    return this.sem.port;
  }

  get loadPort(): number {
    return this.loads.port;
  }

  static async start(opts: AgentOptions): Promise<Agent> {
    const { config, log, node } = opts;
    const self = peerOf(config, config.server);
    if (self === null) throw new Error(`${config.server} is not among the configured servers`);
    const store = new FileStore({ dir: config.stateDir, holdAfterTempMs: config.testing.holdFileWriteMs });
    const stale = await store.prepare();
    if (stale.length > 0) log.agent('staleTemps', `Removed_unfinished_writes ${stale.join(' ')}`, { files: stale });
    // The replay windows of the last incarnation, before any socket opens: a damaged file stops the start (replay-window-file.ts).
    const windows = await ReplayWindowFile.open(config.stateDir);
    const windowFailed = (error: Error): void => log.agent('replayWindowWriteFailed', `Replay_window_write_failed ${error.message}`, { error: error.message });

    let runner: AgentRunner | null = null;
    const failed = deferred<never>();
    const semHeard = new Map<string, SemHeard>();
    // Every refusal of both ports is counted and logged at a bounded rate (port-refusals.ts): a
    // server that has just started is sent the same records by several peers, and anyone on the
    // management network can flood a port.
    const refusals = portRefusals(log);
    const sem = await SemTransport.open({
      self: config.server,
      bindAddress: self.management,
      port: self.semPort,
      key: opts.key,
      peers: config.peers.map((p) => ({ name: p.name, address: p.management, port: p.semPort })),
      onEdit: (sender, seq, edit) => {
        semHeard.set(sender, { epoch: null, seq, atMs: Date.now() });
        runner?.deliver({ type: 'semEdits', from: sender, edits: [edit] });
      },
      // Hardened ring (semResync): a commit arrives whole, as the simulator delivers it (one event, its stamp and vector).
      onCommit: (sender, _seq, c) => {
        semHeard.set(sender, { epoch: c.stamp.epoch, seq: c.stamp.seq, atMs: Date.now() });
        runner?.deliver({ type: 'semEdits', from: sender, edits: c.edits, stamp: c.stamp, versions: c.versions });
      },
      // A peer's requestEdits is answered from the replica's ledger, only while the program runs (as management-network.ts).
      onAsk: (asker, versions) => (runner !== null && runner.node.running ? runner.node.semAnswer(versions, asker) : null),
      // The ask's send time, by the wall clock that the transport and the program's scheduler both read.
      onAnswer: (from, answer, askedMs) => runner?.deliver({ type: 'semRecords', from, answer, askedUs: askedMs * 1000 }),
      askMaxAgeMs: config.load.maxSkewMs,
      window: windows.sem(windowFailed),
      onRefused: refusals.sem,
      onGap: (sender, from, to) => log.agent('semGap', `SEM_gap ${sender} ${from}-${to}`, { from: sender, fromSeq: from, toSeq: to }),
    });
    const loads = await LoadRpc.open({
      self: config.server,
      bindAddress: self.management,
      port: self.loadPort,
      key: opts.key,
      peers: config.peers.map((p) => ({ name: p.name, address: p.management, port: p.loadPort })),
      report: () => node.loadReport(),
      maxSkewMs: config.load.maxSkewMs,
      window: windows.load(windowFailed),
      onRefused: refusals.load,
    });
    const remote = new Remote({
      self: config.server,
      peers: config.peers,
      user: config.ssh.user,
      keyFile: config.ssh.keyFile,
      knownHostsFile: config.ssh.knownHosts,
      connectTimeoutMs: config.ssh.timeoutMs,
    });
    const drivers: HostDrivers = {
      ping: async (address, timeoutMs, signal) => {
        try {
          return (await pingHost(address, { timeoutMs, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })).ok;
        } catch (error) {
          if (error instanceof ExecError && error.failure === 'aborted') return false;
          throw error;
        }
      },
      checkService: async (kind, address, timeoutMs, signal) => (await checkService(kind, address, { timeoutMs, signal }).catch(() => ({ ok: false }))).ok,
      measureLoad: (signal) => readLocalLoad({ intervalMs: config.load.sampleMs, signal }),
      collectLoads: (timeoutMs, signal) => loads.collect(timeoutMs, signal),
      sendSem: (edit) => void sem.send(edit),
      sendCommit: (commit) => void sem.sendCommit(commit),
      askEdits: (to, versions) => sem.ask(to, versions),
      filesSaved: () => store.flushed(),
      run: (server, commands, timeoutMs, signal) => remote.run(server, commands, timeoutMs, signal),
      putFiles: (server, files, timeoutMs, signal) => remote.putFiles(server, files, timeoutMs, signal),
      sendWol: (mac, signal) => sendWol(mac, { broadcastAddress: config.wol.broadcast, port: config.wol.port, timeoutMs: 2000, signal }),
      writeJobFile: (target, result) => writeFileAtomic(join(config.stateDir, `${target}.${result}.file`), `${new Date().toISOString()}\n`),
      ...opts.drivers,
    };
    runner = new AgentRunner({
      node,
      scheduler: opts.scheduler,
      commands: new HostActions(config, opts.data, node, drivers, log, schedulerTime(opts.scheduler)),
      log,
      filesChanged: (edits) => {
        const files = node.filesView();
        if (files === null) return;
        store.save(cloneFiles(files), edits).catch((error: Error) => log.agent('fileWriteFailed', `Management_file_write_failed ${error.message}`));
      },
      fatal: (error) => failed.reject(error),
      observer: opts.observer,
    });
    const agent = new Agent(runner, store, sem, loads, refusals, opts, semHeard, failed.promise);
    // Until chrony vouches for the clock: the paper's method holds its ticks, the hardened ring is told (checkClock).
    if (opts.checkClock !== null && agent.clockStatus) runner.deliver({ type: 'clockStatus', synchronised: false });
    else if (opts.checkClock !== null) runner.setGate(false);
    const loaded = await store.load();
    if (loaded !== null) {
      log.agent('filesLoaded', `Management_files_loaded ${config.stateDir}${loaded.replayed > 0 ? ` (${loaded.replayed} Diff.dat edits applied again)` : ''}`, { replayed: loaded.replayed });
      runner.deliver(agent.filesReceived(loaded));
    } else {
      log.agent('standby', `Standby_waiting_for_management_files ${config.stateDir}`);
    }
    await agent.poll();
    agent.timers.push(setInterval(() => void agent.poll(), opts.pollMs ?? 250));
    agent.timers.push(setInterval(() => refusals.flush(), REFUSAL_FLUSH_MS));
    if (opts.checkClock !== null) {
      await agent.checkClock();
      agent.timers.push(setInterval(() => void agent.checkClock(), config.chrony.checkIntervalMs));
    }
    return agent;
  }

  /** stop ends the program's world: no more events, commands aborted, files flushed, sockets closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    // What the saved windows count as applied or answered reaches the program before it stops.
    await Promise.all([this.sem.stopReceiving(), this.loads.stopReceiving()]);
    this.runner.stop();
    await this.store.flushed();
    await Promise.all([this.sem.close(), this.loads.close()]);
    this.refusals.flush(true); // what the last interval left out of the log is counted too
  }

  /**
   * poll is the executor system's watch (Sec. 3.2, Fig. 7(a)): in standby it looks for a whole
   * set of management files (sent by the file management server or a manager, A6), and it
   * follows the flag file, whose presence starts the management program and absence stops it.
   */
  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const { runner, store, opts } = this;
      if (runner.node.filesView() === null) {
        const loaded = await store.load().catch((error: Error) => {
          opts.log.agent('filesUnreadable', `Management_files_unreadable ${error.message}`);
          return null;
        });
        if (loaded !== null && runner.node.filesView() === null) {
          opts.log.agent('filesReceived', `Management_files_received ${opts.config.stateDir}`);
          runner.deliver(this.filesReceived(loaded));
        }
      }
      const present = await stat(store.flagPath()).then(
        () => true,
        () => false,
      );
      if (present !== this.flagPresent && !this.stopped) {
        this.flagPresent = present;
        opts.log.agent('flag', present ? 'Flag_file_found' : 'Flag_file_gone');
        runner.deliver({ type: 'flagFile', present });
      }
    } finally {
      this.polling = false;
    }
  }

  /**
   * filesReceived is the event for files found on disk: with the version vector a manager sent
   * with them (hardened ring, A6), when it was sent with exactly these files; otherwise the
   * program starts a fresh SEM ledger and its neighbours' answers bring it up to date.
   */
  private filesReceived(loaded: LoadedFiles): NodeEvent {
    const { files, versions, lines, versionsIgnored, watch, watchIgnored } = loaded;
    if (versionsIgnored !== null) this.opts.log.agent('versionsIgnored', `SEM_versions_ignored ${versionsIgnored}`, { reason: versionsIgnored });
    if (watchIgnored !== null) this.opts.log.agent('watchIgnored', `Segment_watch_ignored ${watchIgnored}`, { reason: watchIgnored });
    const sent = versions === null ? ({ type: 'filesReceived', files, data: this.opts.data } as const) : ({ type: 'filesReceived', files, data: this.opts.data, versions, lines } as const);
    return watch.length === 0 ? sent : { ...sent, watch };
  }

  /**
   * clockStatus tells whether chrony's verdict goes to the program as clockStatus events (hardened
   * ring, heartbeatTrust) rather than closing the runner's gate (the paper's method, Sec. 3.2).
   * The hardened program must go on while its clock is unsynchronised: it stops managing and
   * stamps its heartbeat 0 by itself, but it keeps its internal checks, so that a server cut off
   * the service network still fences its VIPs, and its SEM resync, so that its files stay
   * current; a closed gate would hold all of these with its ticks. As in the simulator, only
   * heartbeatTrust is told (src/sim/run/run.ts); without it the paper's gate stays.
   */
  get clockStatus(): boolean {
    return this.opts.config.hardening.includes('heartbeatTrust');
  }

  /**
   * checkClock asks chrony. In the paper's method it opens or closes the runner's gate: a server
   * whose clock is not synchronised, or off by more than the configured offset, holds its ticks
   * (monitoring, recovery steps and heartbeats) until it is again, so it never examines its
   * target at instants the other managers do not share; its stale heartbeat lets dual monitoring
   * notice. In the hardened ring the verdict is delivered instead (clockStatus above).
   */
  private async checkClock(): Promise<void> {
    const check = this.opts.checkClock;
    if (check === null || this.stopped) return;
    const verdict = await check();
    if (this.stopped || verdict.ok === this.clockOk) return;
    this.clockOk = verdict.ok;
    const held = this.clockStatus ? 'not_managing' : 'ticks_held';
    if (verdict.ok) this.opts.log.agent('clock', `Clock_synchronised offset ${verdict.offsetUs} us`, { ok: true, offsetUs: verdict.offsetUs });
    else this.opts.log.agent('clock', `Clock_not_synchronised_${held} ${verdict.reason}`, { ok: false, reason: verdict.reason });
    if (this.clockStatus) this.runner.deliver({ type: 'clockStatus', synchronised: verdict.ok });
    else this.runner.setGate(verdict.ok);
  }
}

function deferred<T>(): { promise: Promise<T>; reject: (error: Error) => void } {
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((_resolve, rej) => {
    reject = rej;
  });
  return { promise, reject };
}

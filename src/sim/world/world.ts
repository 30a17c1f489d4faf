// World is the simulated cluster that carries out the management programs' commands: probes,
// virtual servers, VIPs, power, file transfers and SEM delivery, each taking the time SimParams
// gives it, with seeded variation. It is the simulator's implementation of the Host port.
import type { HostCommand, LoadReport, VipHolder } from '../../core/program/commands.ts';
import type { LogEvent, SystemLogLine } from '../../core/program/log-events.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Trace } from '../kernel/trace.ts';
import type { SimParams } from '../sim-params.ts';
import { AvailabilityLog, type Reach } from './availability.ts';
import { sampleLoad } from './load-model.ts';
import { SharedHeartbeat } from './shared-heartbeat.ts';
import { ChangeScopes, type WorldChange } from './world-change.ts';
import { EditTimes } from './edit-times.ts';
import { ManagementNetwork } from './management-network.ts';
import { NodeRunner, RUNNER_CELLS, RUNNER_OWN_CELLS } from './node-runner.ts';
import { TimeCells, type TimeSlot } from '../../core/program/time-cells.ts';
import type { CommandSink } from './node-runner.ts';
import { SimServer } from './server.ts';
import { VipTable } from './vip-table.ts';
import { book } from './host-queue.ts';
import { afterThen, FAIL, OK, reply } from './replies.ts';
import { probedServer, probeService } from './service-probe.ts';
import { setVip } from './vip-moves.ts';
import type { ProtocolNode } from '../../core/program/ports.ts';
import { cloneFiles } from '../../core/model/sem.ts';

/** NodeFactory makes a fresh management program for a server that has just powered on, with its time cells beside its runner's (time-cells.ts). */
export type NodeFactory = (server: SimServer, times: TimeSlot) => ProtocolNode;

/** WorldObserver sees the world as it changes (the invariant checkers); it only reads, never changes it. */
export interface WorldObserver {
  /** onChange runs after anything changed (power, VIPs, virtual servers, links). */
  onChange(world: World, change: WorldChange | null): void;
  /** onLog sees every system log line as it is written. */
  onLog(line: SystemLogLine): void;
}

/** WorldSetup is everything a world is made of. */
export interface WorldSetup {
  kernel: Kernel;
  sim: SimParams;
  trace: Trace;
  servers: readonly SimServer[];
  /** firstTickUs is t = 0 of the run (the first monitoring tick), for readable times in messages. */
  firstTickUs: number;
  makeNode: NodeFactory;
  observer: WorldObserver;
  /**
   * clockLimitUs is the offset beyond which chrony reports a server's clock unsynchronised to its
   * program (clockStatus events), as the agent's chrony check does; null tells nothing (the paper's method).
   */
  clockLimitUs: number | null;
}

export class World implements CommandSink {
  readonly servers = new Map<string, SimServer>();
  readonly vips = new VipTable();
  readonly availability = new AvailabilityLog();
  /** log is the system log: the lines keepsLogLine keeps (null: all); the observer sees every line. */
  readonly log: SystemLogLine[] = [];
  keepsLogLine: ((entry: LogEvent) => boolean) | null = null;
  /** eventsHandled counts the events handed to the programs (NodeRunner.deliver). */
  eventsHandled = 0;
  /** changes finds what each change touched (world-change.ts). */
  readonly changes: ChangeScopes;
  /** network is the management network: SEM records and the S.file (management-network.ts). */
  readonly network: ManagementNetwork;
  /** editTimes records when each management file was last edited by anyone, and from when those edits could be heard (a server cut off or in a SEM fault is heard once its feed is whole again), for the SEM agreement checker. */
  readonly editTimes = new EditTimes();
  readonly kernel: Kernel;
  readonly sim: SimParams;
  readonly trace: Trace;
  /** firstTickUs is t = 0 of the run (the first monitoring tick), for readable times in messages. */
  readonly firstTickUs: number;
  private readonly makeNode: NodeFactory;
  private readonly observer: WorldObserver;
  private readonly clockLimitUs: number | null;

  constructor(setup: WorldSetup) {
    this.kernel = setup.kernel;
    this.sim = setup.sim;
    this.trace = setup.trace;
    this.firstTickUs = setup.firstTickUs;
    this.makeNode = setup.makeNode;
    this.observer = setup.observer;
    this.clockLimitUs = setup.clockLimitUs;
    for (const s of setup.servers) this.servers.set(s.name, s);
    this.changes = new ChangeScopes(setup.servers);
    this.network = new ManagementNetwork(setup.kernel, this.servers, setup.sim.semDeliveryUs, this);
    this.serverNos = new Map(setup.servers.map((s) => [s.name, s.no]));
  }

  /** serverNos maps each server to its group-file No., the source number of numeric trace records. */
  private readonly serverNos: ReadonlyMap<string, number>;
  /** clocks holds every runner's clock reading and wake, and beside them its program's times (node-runner.ts RUNNER_CELLS). */
  private readonly clocks = new TimeCells(1024);

  server(name: string): SimServer {
    const s = this.servers.get(name);
    if (s === undefined) throw new Error(`no server ${name} in the cluster`);
    return s;
  }

  /** vary gives one occurrence of a world duration on server s, varied by SimParams.variationFraction. */
  vary(us: number, s: SimServer): number {
    return s.draws.durations.jitterUs(us, this.sim.variationFraction);
  }

  /**
   * varyHardened varies the durations of what only the hardened ring does, from a stream of its
   * own: the paper's steps then draw the same durations with and without hardening, so that a
   * comparison shows what the extensions cost, not other random draws.
   */
  varyHardened(us: number, s: SimServer): number {
    return s.draws.hardenedDurations.jitterUs(us, this.sim.variationFraction);
  }

  // Power -----------------------------------------------------------------------------------

  /** powerOn starts a server's management program in standby (Fig. 7(a)); quiet leaves telling the change to the caller (the run's start, once for all). */
  powerOn(s: SimServer, quiet = false): NodeRunner {
    s.power = 'on';
    s.serviceBroken = false;
    s.bootSeq++;
    const at = this.clocks.take(RUNNER_CELLS);
    const node = this.makeNode(s, { cells: this.clocks, at: at + RUNNER_OWN_CELLS });
    s.runner = new NodeRunner(s, node, this.kernel, this.trace, this, this.serverNos, this.clocks, at);
    this.network.runnersChanged();
    if (!quiet) this.changed(s);
    if (this.clockLimitUs !== null && Math.abs(s.clockOffsetUs) > this.clockLimitUs) s.runner.deliver({ type: 'clockStatus', synchronised: false });
    return s.runner;
  }

  /** setClockOffset puts a server's clock off (ClockOff) and, where chrony is watched, tells its program whether it is still synchronised. */
  setClockOffset(s: SimServer, offsetUs: number): void {
    s.clockOffsetUs = offsetUs;
    if (s.runner !== null) s.runner.clockOffsetUs = offsetUs;
    if (this.clockLimitUs === null || s.runner === null) return;
    s.runner.deliver({ type: 'clockStatus', synchronised: Math.abs(offsetUs) <= this.clockLimitUs });
  }

  /** stopProgram ends a server's management program at once (power off, restart). */
  private stopProgram(s: SimServer): void {
    if (s.runner === null) return;
    s.runner.kill();
    this.network.shared?.forget(s.runner);
    s.runner = null;
    this.network.runnersChanged();
  }

  /** shareHeartbeat makes the replicas handed these heartbeat lines (filesReceived, shared) share them (shared-heartbeat.ts, docs/scale.md). */
  shareHeartbeat(lines: string[]): void {
    this.network.shared = new SharedHeartbeat(lines);
  }

  observe(runner: NodeRunner): void { this.network.shared?.observe(runner); }

  /** powerOff stops a server at once (Nt): its program, its virtual servers and its addresses go with it. */
  powerOff(s: SimServer): void {
    this.stopProgram(s);
    s.bookedUs.length = 0;
    s.power = 'off';
    s.bootSeq++;
    s.runningVs.clear();
    s.fenced = false;
    this.vips.releaseWhere((h) => (h.kind === 'real' ? h.server === s.name : h.host === s.name));
    this.changed(s);
  }

  /** restart shuts a server down and boots it again; the restart clears an St fault (Table 1 restart time). */
  restart(s: SimServer): void {
    this.stopProgram(s);
    s.bookedUs.length = 0;
    s.power = 'shuttingDown';
    const seq = ++s.bootSeq;
    this.changed(s);
    this.kernel.after(this.vary(this.sim.shutdownUs, s), () => {
      if (s.bootSeq !== seq) return;
      s.runningVs.clear();
      s.fenced = false;
      this.vips.releaseWhere((h) => (h.kind === 'real' ? h.server === s.name : h.host === s.name));
      this.boot(s);
    });
  }

  /** boot powers a stopped server on; its services answer after bootToServiceUs. */
  boot(s: SimServer): void {
    s.power = 'booting';
    const seq = ++s.bootSeq;
    this.changed(s);
    this.kernel.after(this.vary(this.sim.bootToServiceUs, s), () => {
      if (s.bootSeq !== seq) return;
      this.trace.record(this.kernel.nowUs, s.name, 'booted');
      this.powerOn(s);
    });
  }

  // Commands ----------------------------------------------------------------------------------

  execute(runner: NodeRunner, command: HostCommand): void {
    const me = runner.server;
    // No closures are made per command here: this runs for nearly every simulated event.
    switch (command.type) {
      case 'log':
        return this.writeLog(me.name, command);
      case 'measureLoad':
        return reply(runner, this.vary(this.sim.loadMeasureUs, me), command.id, { kind: 'load', sample: sampleLoad(this.sim, me.runningVs.size, me.draws.loads) });
      case 'collectLoads':
        return afterThen(this.kernel, runner, this.onServer(me, 0, this.vary(this.sim.loadCollectUs, me)), command.id, () => {
          const reports = this.loadReports(me);
          this.network.traffic.add('loadCollection', 2 * reports.length);
          return { kind: 'loads', reports };
        });
      case 'probeNetwork': {
        const target = probedServer(this, runner, command.target);
        const ok = me.serviceLinkUp && target.answersNetwork;
        if (me.serviceLinkUp) this.network.traffic.add('networkExams', ok ? 2 : 1);
        if (!ok) return reply(runner, command.timeoutUs, command.id, FAIL);
        return reply(runner, command.extra === true ? this.varyHardened(this.sim.networkExamOkUs, me) : this.vary(this.sim.networkExamOkUs, me), command.id, OK);
      }
      case 'probeService':
        if (me.serviceLinkUp) this.network.traffic.add('serviceExams', 2);
        return probeService(this, runner, command);
      case 'probeInternal':
        return reply(runner, command.extra === true ? this.varyHardened(this.sim.internalCheckUs, me) : this.vary(this.sim.internalCheckUs, me), command.id, me.serviceLinkUp && me.serviceUp ? OK : FAIL);
      case 'commitEdits':
        this.editTimes.edited(command.edits, this.kernel.nowUs, Math.max(this.kernel.nowUs, this.network.impairedUntilUs(me.name)));
        // The result tells whether another management server got the records (the DBSS of the paper's
        // method ignores it; the hardened ring acts on a failure only once someone else knows of it).
        const heard = this.network.deliverToOthers(me, command.stamp === undefined ? { type: 'semEdits', from: me.name, edits: command.edits } : { type: 'semEdits', from: me.name, edits: command.edits, stamp: command.stamp, versions: command.versions });
        return reply(runner, this.onServer(me, 0, this.vary(this.sim.fileEditUs, me)), command.id, heard ? OK : FAIL);
      case 'requestEdits':
        this.network.ask(me, this.server(command.to), (peer) => peer.semAnswer(command.versions, me.name), (answer) => ({ type: 'semRecords', from: command.to, answer, askedUs: command.askedUs }));
        return reply(runner, 0, command.id, OK);
      case 'restartServer': {
        const target = this.server(command.target);
        if (!me.managementLinkUp || !target.reachableForManagement) return reply(runner, this.vary(this.sim.remoteCommandUs, me), command.id, FAIL);
        return afterThen(this.kernel, runner, this.vary(this.sim.remoteCommandUs, me), command.id, () => {
          if (!target.reachableForManagement || target.power !== 'on') return FAIL;
          this.vips.release(command.vip, { kind: 'real', server: target.name });
          this.restart(target);
          return OK;
        });
      }
      case 'sendWol':
        return afterThen(this.kernel, runner, this.vary(this.sim.wolDeliveryUs, me), command.id, () => {
          const target = this.server(command.target);
          if (target.power === 'off') this.boot(target);
          return OK;
        });
      case 'resumeVirtualServer': {
        // Activation (Table 1) runs on the host; the procedure file is sent after it (Sec. 3.1) by this server, in turn (host-queue.ts).
        const totalUs = this.vary(this.sim.vsResumeUs + this.sim.vsInstallProcedureUs, me);
        const activationUs = Math.round((totalUs * this.sim.vsResumeUs) / (this.sim.vsResumeUs + this.sim.vsInstallProcedureUs));
        return afterThen(this.kernel, runner, this.onServer(me, activationUs, totalUs - activationUs), command.id, () => {
          const host = this.server(command.host);
          // virsh on the server itself needs no network; on another host it goes over the management network.
          if (host !== me && (!me.managementLinkUp || !host.reachableForManagement)) return FAIL;
          if (host.power !== 'on') return FAIL;
          if (host.fenced) return FAIL; // hardened (fencing): a fenced host refuses resumes (ring/fencing.ts)
          if (!host.runningVs.has(command.vsName) && host.runningVs.size >= host.vmCapacity) return FAIL;
          host.runningVs.set(command.vsName, command.target);
          this.changed(host);
          return OK;
        });
      }
      case 'suspendVirtualServer':
        return afterThen(this.kernel, runner, this.vary(this.sim.vsSuspendUs, me), command.id, () => {
          const host = this.server(command.host);
          if (host !== me && !host.reachableForManagement) return FAIL;
          host.runningVs.delete(command.vsName);
          this.vips.releaseWhere((h) => h.kind === 'virtual' && h.host === host.name && h.vsName === command.vsName);
          this.changed(host);
          return OK;
        });
      case 'setVip':
        return setVip(this, runner, command);
      case 'fence':
        if (command.lift === true) {
          me.fenced = false;
          return reply(runner, 0, command.id, OK);
        }
        // A fence again takes the nominal release time from no random stream: the other hardened
        // steps then draw the same durations whether or not a fenced server fences again.
        return afterThen(this.kernel, runner, command.again === true ? this.sim.vipReleaseUs : this.varyHardened(this.sim.vipReleaseUs, me), command.id, () => {
          me.fenced = true;
          for (const { vip, holder } of command.vips) {
            this.vips.release(vip, holder);
            if (holder.kind === 'virtual' && holder.host === me.name) me.runningVs.delete(holder.vsName);
          }
          this.changed(me);
          return OK;
        });
      case 'writeJobFile':
        return reply(runner, this.vary(this.sim.jobFileHandoverUs, me), command.id, OK);
      case 'sendFiles':
        return afterThen(this.kernel, runner, this.vary(this.sim.sendFilesUs, me), command.id, () => {
          const to = this.server(command.to);
          const replica = runner.node.replicaHandle();
          if (!me.managementLinkUp || !to.reachableForManagement || to.runner === null || replica === null) return FAIL;
          // Shared replicas hand over their shared files by their lines (replica.ts); a copy says the same.
          const handed = this.network.shared !== null ? replica.handOver() : { files: cloneFiles(replica.view()), shared: undefined };
          const [files, versions, data, watch] = [handed.files, runner.node.semVersions(), runner.node.managementData(), runner.node.segmentHandover()];
          const shared = handed.shared === undefined ? {} : { shared: handed.shared };
          const sent = versions === null ? { type: 'filesReceived' as const, files, data, ...shared } : { type: 'filesReceived' as const, files, data, versions, lines: runner.node.semLines() ?? [] };
          to.runner.deliver(watch === null ? sent : { ...sent, watch });
          return OK;
        });
      case 'broadcastSync':
        this.network.deliverToOthers(me, { type: 'syncFile', from: me.name });
        return reply(runner, 0, command.id, OK);
      case 'sendJobResult':
        return afterThen(this.kernel, runner, this.vary(this.sim.remoteCommandUs, me), command.id, () => {
          const to = this.server(command.to);
          if (!me.managementLinkUp || !to.reachableForManagement || to.runner === null) return FAIL;
          to.runner.deliver({ type: 'jobResult', from: me.name, target: command.target, result: command.result });
          return OK;
        });
      case 'startProgram': {
        const remote = command.on !== me.name;
        const delayUs = this.vary(this.sim.programStartUs, me) + (remote ? this.vary(this.sim.remoteCommandUs, me) : 0);
        return afterThen(this.kernel, runner, delayUs, command.id, () => {
          if (!remote) return OK;
          const on = this.server(command.on);
          if (!me.managementLinkUp || !on.reachableForManagement || on.runner === null) return FAIL;
          on.runner.deliver({ type: 'startRole', role: command.role, target: command.target });
          return OK;
        });
      }
      case 'sendFlag':
        return afterThen(this.kernel, runner, this.vary(this.sim.sendFlagUs, me), command.id, () => {
          const to = this.server(command.to);
          if (!me.managementLinkUp || !to.reachableForManagement || to.runner === null) return FAIL;
          to.runner.deliver({ type: 'flagFile', present: true });
          return OK;
        });
    }
  }

  /**
   * onServer books durationUs of server's own management work from afterUs on (host-queue.ts) and
   * returns the delay from now until it ends: durationUs after afterUs when the server is free.
   */
  private onServer(server: SimServer, afterUs: number, durationUs: number): number {
    const nowUs = this.kernel.nowUs;
    return book(server.bookedUs, nowUs, nowUs + afterUs, durationUs) - nowUs;
  }

  private loadReports(requester: SimServer): LoadReport[] {
    const reports: LoadReport[] = [];
    if (!requester.managementLinkUp) return reports;
    for (const s of this.servers.values()) {
      if (!s.reachableForManagement || s.runner === null || !s.runner.node.running) continue;
      const report = s.runner.node.loadReport();
      if (report !== null) reports.push({ ...report, vmCapacity: s.vmCapacity });
    }
    return reports;
  }

  /** holderLive tells whether a VIP holder is up: a powered real server, or a running virtual server on a powered host. */
  holderLive(h: VipHolder): boolean {
    if (h.kind === 'real') {
      const s = this.server(h.server);
      return s.power === 'on' || s.power === 'shuttingDown';
    }
    const host = this.server(h.host);
    return (host.power === 'on' || host.power === 'shuttingDown') && host.runningVs.has(h.vsName);
  }

  // SEM, logs, availability ----------------------------------------------------------------------

  /** writeLog appends a line to the system log, its entry as the program made it (a log command is a LogEvent). */
  writeLog(server: string, entry: LogEvent): void {
    const line: SystemLogLine = { atUs: this.kernel.nowUs, server, entry };
    if (this.keepsLogLine === null || this.keepsLogLine(entry)) this.log.push(line);
    this.observer.onLog(line);
  }

  /** reachOf is what a client meets at server's VIP now. */
  reachOf(server: SimServer): Reach {
    const holder = this.vips.effective(server.data.vip, (h) => this.holderLive(h));
    if (holder === null) return 'unreachable';
    if (holder.kind === 'virtual') {
      const host = this.server(holder.host);
      return host.serviceLinkUp && host.power === 'on' ? 'ok' : 'unreachable';
    }
    const real = this.server(holder.server);
    if (!real.answersNetwork) return 'unreachable';
    return real.serviceUp ? 'ok' : 'refused';
  }

  /** changed records the new reach of the services a change of host touched (null: VIP claims only; left out: anything) and lets checkers look (world-change.ts). */
  changed(host?: SimServer | null): void {
    const change = this.changes.of(host, this.vips);
    for (const s of change === null ? this.servers.values() : change.services) this.availability.set(s.name, this.kernel.nowUs, this.reachOf(s));
    this.observer.onChange(this, change);
  }
}

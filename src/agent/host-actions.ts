// HostActions carries out the management program's commands with the real drivers: the Host port
// of the real world, counterpart of the simulator's World.execute (src/sim/world/world.ts says
// what each command means). Every value that reaches a program is checked first; a command that
// carries a bad host, address or daemon name is refused and logged, and reported as failed.
import type { CommandResult, HostCommand, LoadReport, VipHolder } from '../core/program/commands.ts';
import type { LoadSample } from '../core/model/load.ts';
import type { ManagementData } from '../core/model/management-data.ts';
import { formatManagementFile } from '../core/model/management-files.ts';
import type { ProtocolNode } from '../core/program/ports.ts';
import type { SemEdit } from '../core/model/sem.ts';
import { isDaemonName, isHostName, isIpv4, isMac } from '../core/model/validate.ts';
import type { Versions } from '../core/program/sem-ledger.ts';
import type { SemCommit } from '../drivers/net/sem-payload.ts';
import { SERVICE_OF_DAEMON, type ServiceKind } from '../drivers/probes.ts';
import type { AgentLog } from './agent-log.ts';
import type { AgentConfig, PeerConfig } from './config.ts';
import { FLAG_FILE, VERSIONS_FILE, versionsFileText, WATCH_FILE, watchFileText } from './file-store.ts';
import type { CommandPort, Scheduler, WorldCommand } from './runner.ts';
import { expandTemplate, type ActionName, type Placeholder } from './templates.ts';

/** HostDrivers are the real-world operations HostActions needs; injected so tests can fake them. */
export interface HostDrivers {
  ping(address: string, timeoutMs: number, signal: AbortSignal): Promise<boolean>;
  checkService(kind: ServiceKind, address: string, timeoutMs: number, signal: AbortSignal): Promise<boolean>;
  measureLoad(signal: AbortSignal): Promise<LoadSample>;
  /** collectLoads asks the other management servers (load-rpc.ts). */
  collectLoads(timeoutMs: number, signal: AbortSignal): Promise<LoadReport[]>;
  /** sendSem sends one edit to every other management server (SEM, Sec. 3.1). */
  sendSem(edit: SemEdit): void;
  /** sendCommit sends a hardened ring's commit whole, with its stamp and version vector, to every other management server. */
  sendCommit(commit: SemCommit): void;
  /** askEdits sends a peer this replica's version vector; its answer comes back as semRecords events (hardened ring). */
  askEdits(to: string, versions: Versions): void;
  /** filesSaved resolves when the local management files are on disk. */
  filesSaved(): Promise<void>;
  run(server: string, commands: readonly (readonly string[])[], timeoutMs: number, signal: AbortSignal): Promise<void>;
  putFiles(server: string, files: readonly { path: string; data: string }[], timeoutMs: number, signal: AbortSignal): Promise<void>;
  sendWol(mac: string, signal: AbortSignal): Promise<void>;
  writeJobFile(target: string, result: 'up' | 'down'): Promise<void>;
}

/** CommandRefused is a command whose values are not safe to act on. */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
}

/** SERVICE_RETRY_MS is how often a re-examination tries the service again until its maximum wait. */
export const SERVICE_RETRY_MS = 500;

const OK: CommandResult = { kind: 'done', ok: true };
const FAIL: CommandResult = { kind: 'done', ok: false };
const done = (ok: boolean): CommandResult => (ok ? OK : FAIL);

/** ActionTime is the time HostActions waits with (the runner's scheduler, so tests run in virtual time). */
export interface ActionTime {
  nowMs(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** schedulerTime adapts a Scheduler to ActionTime. */
export function schedulerTime(scheduler: Scheduler): ActionTime {
  return {
    nowMs: () => scheduler.nowUs() / 1000,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const handle = scheduler.setTimer(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = (): void => {
          scheduler.clearTimer(handle);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export class HostActions implements CommandPort {
  private readonly self: ManagementData;

  constructor(
    private readonly config: AgentConfig,
    data: readonly ManagementData[],
    private readonly node: ProtocolNode,
    private readonly drivers: HostDrivers,
    private readonly log: AgentLog,
    private readonly time: ActionTime,
  ) {
    const self = data.find((d) => d.hostName === config.server);
    if (self === undefined) throw new Error(`no management data for ${config.server}`);
    this.self = self;
  }

  timeoutMs(command: WorldCommand): number {
    const grace = 1000;
    switch (command.type) {
      case 'probeNetwork':
        return Math.ceil(command.timeoutUs / 1000) + grace;
      case 'probeService':
        return Math.ceil(command.waitMaxUs / 1000) + grace;
      case 'probeInternal':
        return this.config.internal.timeoutMs * 2 + grace;
      case 'measureLoad':
        return this.config.load.sampleMs + 5000;
      case 'collectLoads':
        return this.config.load.collectTimeoutMs + grace;
      case 'commitEdits':
      case 'writeJobFile':
        return 10_000;
      default:
        return this.config.commands.timeoutMs;
    }
  }

  async execute(command: WorldCommand, signal: AbortSignal): Promise<CommandResult> {
    try {
      return await this.carryOut(command, signal);
    } catch (error) {
      if (error instanceof CommandRefused) {
        this.log.agent('commandRefused', `Command_refused ${command.type} ${error.message}`, { command: command.type, id: command.id, reason: error.message });
        return FAIL;
      }
      throw error;
    }
  }

  private async carryOut(command: WorldCommand, signal: AbortSignal): Promise<CommandResult> {
    const d = this.drivers;
    switch (command.type) {
      case 'measureLoad':
        return { kind: 'load', sample: await d.measureLoad(signal) };
      case 'collectLoads': {
        const reports = await d.collectLoads(this.config.load.collectTimeoutMs, signal);
        const own = this.node.loadReport();
        return { kind: 'loads', reports: own === null ? reports : [own, ...reports] };
      }
      case 'probeNetwork':
        return done(await d.ping(address(command.address), Math.ceil(command.timeoutUs / 1000), signal));
      case 'probeService':
        return done(await this.probeService(address(command.address), command.daemons, command.waitMaxUs / 1000, command.retry, signal));
      case 'probeInternal': {
        const timeoutMs = this.config.internal.timeoutMs;
        const [gateway, service] = await Promise.all([
          d.ping(this.config.internal.gateway, timeoutMs, signal),
          this.probeService(this.self.ipr, this.self.daemons, timeoutMs, false, signal),
        ]);
        return done(gateway && service);
      }
      case 'commitEdits': {
        const { edits, stamp, versions } = command;
        if (stamp === undefined) for (const edit of edits) d.sendSem(edit);
        // Hardened ring (semResync): one record per commit, so every peer gets it as one semEdits event with its stamp and vector.
        else this.transport(() => d.sendCommit({ edits, stamp, versions: versions ?? {} }));
        await d.filesSaved();
        return OK;
      }
      case 'restartServer': {
        const target = this.peer(command.target);
        const values = this.vipValues(target, command.vip);
        // The VIP is released first so that the virtual server can take it (world.ts); a target
        // that no longer answers keeps nothing, so a failed release does not stop the restart.
        await d.run(target.name, this.expand('vipRelease', values), this.config.commands.timeoutMs, signal).catch((error: Error) => {
          this.log.agent('vipReleaseFailed', `VIP_release_failed ${command.vip} ${target.name} ${error.message}`);
        });
        await d.run(target.name, this.expand('restart', values), this.config.commands.timeoutMs, signal);
        return OK;
      }
      case 'sendWol':
        if (!isMac(command.mac)) throw new CommandRefused(`MAC ${JSON.stringify(command.mac)}`);
        await d.sendWol(command.mac, signal);
        return OK;
      case 'resumeVirtualServer': {
        const host = this.peer(command.host);
        const values = { ...this.hostValues(host), vs: hostName(command.vsName), target: hostName(command.target) };
        await d.run(host.name, this.expand('vsResume', values), this.config.commands.timeoutMs, signal);
        return OK;
      }
      case 'suspendVirtualServer': {
        const host = this.peer(command.host);
        await d.run(host.name, this.expand('vsSuspend', { ...this.hostValues(host), vs: hostName(command.vsName) }), this.config.commands.timeoutMs, signal);
        return OK;
      }
      case 'setVip':
        return this.setVip(command, signal);
      case 'writeJobFile':
        await d.writeJobFile(hostName(command.target), command.result);
        return OK;
      case 'fence': {
        // Hardened ring (core/ring/fencing.ts): every VIP held here goes, each tried even if another
        // fails, and each virtual server hosted here is suspended in the release's step. A resume a peer
        // sends meanwhile is not refused here (virsh over SSH does not ask this agent): the agent
        // suspends it at its next failed recheck, a poll interval later (the simulator refuses it).
        if (command.lift === true) return OK;
        const released = await Promise.all(command.vips.map(({ vip, holder }) => this.release(holder, address(vip), signal, true)));
        return done(released.every(Boolean));
      }
      case 'sendFiles': {
        const to = this.peer(command.to);
        // The files are read in place: every text is made before the first await.
        const files = this.node.filesView();
        if (files === null) return FAIL;
        // group.file goes last: a receiver in standby takes the set once group.file is there (file-store.ts).
        const order = ['separation.file', 'heartbeat.file', 'problem.file', 'group.file'] as const;
        const put = order.map((name) => ({ path: `${to.stateDir}/${name}`, data: formatManagementFile(files[name]) }));
        // Hardened ring (semResync): the version vector goes first, tied to these files (file-store.ts).
        const versions = this.node.semVersions();
        if (versions !== null) put.unshift({ path: `${to.stateDir}/${VERSIONS_FILE}`, data: versionsFileText(files, versions, this.node.semLines() ?? []) });
        // Hardened ring (readmission): the watch of separated servers too (file-store.ts, SegmentWatch.handover).
        const watch = this.node.segmentHandover();
        if (watch !== null) put.unshift({ path: `${to.stateDir}/${WATCH_FILE}`, data: watchFileText(files, watch) });
        await d.putFiles(to.name, put, this.config.commands.timeoutMs, signal);
        return OK;
      }
      case 'sendFlag': {
        const to = this.peer(command.to);
        await d.putFiles(to.name, [{ path: `${to.stateDir}/${FLAG_FILE}`, data: `${this.config.server}\n` }], this.config.commands.timeoutMs, signal);
        return OK;
      }
      case 'requestEdits': {
        // Hardened ring (semResync): the answer comes back later as semRecords events (agent.ts), or not at all, as in the simulator.
        const to = this.peer(command.to);
        if (to.name === this.config.server) throw new CommandRefused('requestEdits to this server itself');
        this.transport(() => d.askEdits(to.name, command.versions));
        return OK;
      }
      case 'broadcastSync':
      case 'sendJobResult':
      case 'startProgram':
        throw new CommandRefused(`${command.type} belongs to the P2P baseline, which this agent does not run`);
    }
  }

  /**
   * probeService examines every daemon of the target with the check that speaks its protocol
   * (probes.ts). One attempt waits at most waitMaxMs; a re-examination (retry) tries again every
   * SERVICE_RETRY_MS until the service answers or the maximum wait has passed (Table 1).
   */
  private async probeService(addr: string, daemons: readonly string[], waitMaxMs: number, retry: boolean, signal: AbortSignal): Promise<boolean> {
    const kinds = daemons.map((daemon) => {
      if (!isDaemonName(daemon)) throw new CommandRefused(`daemon ${JSON.stringify(daemon)}`);
      const kind = SERVICE_OF_DAEMON[daemon];
      if (kind === undefined) throw new CommandRefused(`daemon ${daemon} has no service check`);
      return kind;
    });
    const deadlineMs = this.time.nowMs() + waitMaxMs;
    for (;;) {
      const leftMs = Math.max(1, Math.ceil(deadlineMs - this.time.nowMs()));
      const results = await Promise.all(kinds.map((kind) => this.drivers.checkService(kind, addr, leftMs, signal)));
      if (results.every(Boolean)) return true;
      // A re-examination answers "no" only when its maximum wait is over, as the simulator does.
      const restMs = deadlineMs - this.time.nowMs();
      if (!retry || restMs <= 0 || signal.aborted) return false;
      await this.time.sleep(Math.min(SERVICE_RETRY_MS, restMs), signal);
    }
  }

  /**
   * setVip releases the VIP from `from` (when it answers: a failure there is logged, not fatal), then
   * claims it on `to`. Hardened (fencing, fromIpr): after a failed release the source host must answer
   * a ping, or the move fails: the claim's duplicate-address check proves nothing of a host it cannot reach.
   * suspendFrom (hardened ring, A6) suspends the virtual server `from` in the release's SSH session,
   * right after the release, as the simulator does (vip-moves.ts); a move that fails after no release says so (released false).
   */
  private async setVip(move: Extract<HostCommand, { type: 'setVip' }>, signal: AbortSignal): Promise<CommandResult> {
    const { to, from, fromIpr } = move;
    const vip = address(move.vip);
    const released = from !== null && (await this.release(from, vip, signal, move.suspendFrom === true));
    const failed: CommandResult = !released && move.suspendFrom === true ? { kind: 'done', ok: false, released: false } : FAIL;
    if (from !== null && !released && fromIpr !== undefined) {
      if (!(await this.drivers.ping(address(fromIpr), this.config.internal.timeoutMs, signal))) return failed;
    }
    const [action, host, values] = this.holderAction(to, 'claim', vip);
    await this.drivers.run(host.name, this.expand(action, values), this.config.commands.timeoutMs, signal);
    return OK;
  }

  /** release takes vip from holder (and, with suspend, suspends the virtual server holder there too); a failure is logged and reported as false. */
  private async release(holder: VipHolder, vip: string, signal: AbortSignal, suspend = false): Promise<boolean> {
    const [action, host, values] = this.holderAction(holder, 'release', vip);
    const argv = this.expand(action, values);
    if (suspend && holder.kind === 'virtual') argv.push(...this.expand('vsSuspend', { ...this.hostValues(host), vs: hostName(holder.vsName) }));
    return this.drivers.run(host.name, argv, this.config.commands.timeoutMs, signal).then(
      () => true,
      (error: Error) => {
        this.log.agent('vipReleaseFailed', `VIP_release_failed ${vip} ${host.name} ${error.message}`);
        return false;
      },
    );
  }

  private holderAction(holder: VipHolder, what: 'claim' | 'release', vip: string): [ActionName, PeerConfig, Partial<Record<Placeholder, string>>] {
    if (holder.kind === 'real') {
      const host = this.peer(holder.server);
      return [what === 'claim' ? 'vipClaim' : 'vipRelease', host, this.vipValues(host, vip)];
    }
    const host = this.peer(holder.host);
    return [what === 'claim' ? 'virtualVipClaim' : 'virtualVipRelease', host, { ...this.vipValues(host, vip), vs: hostName(holder.vsName) }];
  }

  /** transport runs a SEM transport call; a value it refuses (a bad vector, a commit too large for a datagram) refuses the command. */
  private transport(send: () => void): void {
    try {
      send();
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw new CommandRefused(error.message);
      throw error;
    }
  }

  private hostValues(peer: PeerConfig): Partial<Record<Placeholder, string>> {
    return { server: peer.name, serverLower: peer.name.toLowerCase(), iface: peer.serviceIface };
  }

  private vipValues(peer: PeerConfig, vip: string): Partial<Record<Placeholder, string>> {
    return { ...this.hostValues(peer), vip: address(vip), prefix: String(this.config.vipPrefixLen) };
  }

  private expand(action: ActionName, values: Partial<Record<Placeholder, string>>): string[][] {
    try {
      return expandTemplate(action, this.config.commands[action], values);
    } catch (error) {
      throw new CommandRefused((error as Error).message);
    }
  }

  /** peer finds a configured management server; a name that is not one (or not a host name) is refused. */
  private peer(name: string): PeerConfig {
    const p = this.config.peers.find((x) => x.name === hostName(name));
    if (p === undefined) throw new CommandRefused(`${name} is not a configured management server`);
    return p;
  }
}

function hostName(name: string): string {
  if (!isHostName(name)) throw new CommandRefused(`host name ${JSON.stringify(name)}`);
  return name;
}

function address(text: string): string {
  if (!isIpv4(text)) throw new CommandRefused(`address ${JSON.stringify(text)}`);
  return text;
}

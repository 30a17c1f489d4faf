// A virtual clock and a fake world for the agent's tests without root: the runner, HostActions
// and the ring program run as in production, while time, probes, SSH and Wake-on-LAN are played
// by this file, so a detection and recovery of 150 simulated seconds take a second.
import type { CommandResult, LoadReport } from '../../src/core/program/commands.ts';
import type { ManagementData } from '../../src/core/model/management-data.ts';
import type { LogRecord } from '../../src/agent/agent-log.ts';
import { parseAgentConfig, type AgentConfig } from '../../src/agent/config.ts';
import type { HostDrivers } from '../../src/agent/host-actions.ts';
import type { Scheduler } from '../../src/agent/runner.ts';
import type { Versions } from '../../src/core/program/sem-ledger.ts';
import type { SemCommit } from '../../src/drivers/net/sem-payload.ts';
import type { ServiceKind } from '../../src/drivers/probes.ts';
import { paperCluster } from '../../src/paper/cluster.ts';

interface Timer {
  atUs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** VirtualScheduler is time that moves only when a test runs it; timers fire in (time, order) order. */
export class VirtualScheduler implements Scheduler {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(private now: number) {}

  nowUs(): number {
    return this.now;
  }

  setTimer(fn: () => void, delayMs: number): unknown {
    const t: Timer = { atUs: this.now + Math.max(0, Math.round(delayMs * 1000)), seq: this.seq++, fn, cancelled: false };
    this.timers.push(t);
    return t;
  }

  clearTimer(handle: unknown): void {
    if (handle !== null && handle !== undefined) (handle as Timer).cancelled = true;
  }

  after(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  /** runUntil fires every timer due up to atUs, letting promises (and real file I/O) settle between them. */
  async runUntil(atUs: number): Promise<void> {
    for (;;) {
      await settle();
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: Timer | undefined;
      for (const t of this.timers) if (next === undefined || t.atUs < next.atUs || (t.atUs === next.atUs && t.seq < next.seq)) next = t;
      if (next === undefined || next.atUs > atUs) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.now = Math.max(this.now, next.atUs);
      next.fn();
    }
    this.now = Math.max(this.now, atUs);
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** PAPER is the paper's cluster (Fig. 4) without dovecot, which has no service check (probes.ts speaks SMTP for Mail). */
export const PAPER: readonly ManagementData[] = paperCluster().map((c) => ({ ...c.data, daemons: c.data.daemons.filter((d) => d !== 'dovecot') }));
export const PAPER_RING = paperCluster().map((c) => ({ no: c.no, server: c.data.hostName, dataFile: `${c.data.hostName}.dat` }));

/** agentConfig builds Mail's agent.yaml for the paper's ring on 127.0.0.1 (ports given), through the real schema. */
export function agentConfig(stateDir: string, extra: Record<string, unknown> = {}, ports: { sem: number; load: number } = { sem: 7400, load: 7401 }): AgentConfig {
  const servers = Object.fromEntries(PAPER.map((d, i) => [d.hostName, { management: '127.0.0.1', stateDir: `${stateDir}-${d.hostName.toLowerCase()}`, semPort: ports.sem + 2 * i, loadPort: ports.load + 2 * i }]));
  servers.Mail = { ...servers.Mail!, stateDir };
  const parsed = parseAgentConfig({
    server: 'Mail',
    stateDir,
    logFile: `${stateDir}-agent.jsonl`,
    sem: { port: ports.sem, keyFile: '/etc/dbss/sem.key' },
    serviceIface: 'svc0',
    servers,
    ssh: { user: 'dbss', keyFile: '/etc/dbss/id', knownHosts: '/etc/dbss/known_hosts' },
    wol: { broadcast: '127.0.0.1' },
    internal: { gateway: '172.21.14.254' },
    chrony: { enabled: false },
    commands: {
      restart: [['/usr/local/bin/lab-power', 'restart', '{serverLower}']],
      vipClaim: [['ip', 'addr', 'replace', '{vip}/{prefix}', 'dev', '{iface}']],
      vipRelease: [['ip', 'addr', 'del', '{vip}/{prefix}', 'dev', '{iface}']],
      vsResume: [['vs', 'resume', '{vs}', '{target}']],
      vsSuspend: [['vs', 'suspend', '{vs}']],
    },
    ...extra,
  });
  if (!parsed.ok) throw new Error(`test config: ${JSON.stringify(parsed.issues)}`);
  return parsed.config;
}

/** RunCall is one command sequence run on a server. */
export interface RunCall {
  atUs: number;
  server: string;
  commands: string[][];
}

/**
 * FakeWorld plays the paper's servers: each is up, off (Nt) or has a dead service (St). Pings
 * of a server that is off time out; Wake-on-LAN and the restart command boot it after bootMs.
 */
export class FakeWorld {
  readonly state = new Map<string, 'up' | 'off' | 'serviceDead'>(PAPER.map((d) => [d.hostName, 'up']));
  readonly runs: RunCall[] = [];
  readonly puts: { server: string; paths: string[]; data: string[] }[] = [];
  readonly wol: string[] = [];
  readonly sem: unknown[] = [];
  /** commits are the hardened ring's whole commits sent, asks its resync questions. */
  readonly commits: SemCommit[] = [];
  readonly asks: { to: string; versions: Versions }[] = [];
  bootMs = 20_000;

  constructor(private readonly clock: VirtualScheduler) {}

  serverAt(address: string): string | undefined {
    return PAPER.find((d) => d.ipr === address)?.hostName;
  }

  boot(server: string): void {
    void this.clock.after(this.bootMs).then(() => this.state.set(server, 'up'));
  }

  drivers(reports: () => LoadReport[]): HostDrivers {
    const c = this.clock;
    return {
      ping: async (address, timeoutMs) => {
        const s = this.serverAt(address);
        if (s !== undefined && this.state.get(s) === 'off') {
          await c.after(timeoutMs);
          return false;
        }
        await c.after(5);
        return true;
      },
      checkService: async (_kind: ServiceKind, address) => {
        const s = this.serverAt(address);
        await c.after(20);
        return s === undefined || this.state.get(s) === 'up';
      },
      measureLoad: async () => {
        await c.after(200);
        return { freeMemKb: 6_000_000, cpuIdlePct: 700, netBytesPerS: 1_000_000 };
      },
      collectLoads: async () => {
        await c.after(50);
        return reports();
      },
      sendSem: (edit) => void this.sem.push(edit),
      sendCommit: (commit) => void this.commits.push(commit),
      askEdits: (to, versions) => void this.asks.push({ to, versions }),
      filesSaved: async () => undefined,
      run: async (server, commands) => {
        this.runs.push({ atUs: c.nowUs(), server, commands: commands.map((a) => [...a]) });
        await c.after(300);
        if (this.state.get(server) === 'off') throw new Error(`${server} does not answer`);
        if (commands.some((a) => a[0] === '/usr/local/bin/lab-power')) {
          this.state.set(server, 'off');
          this.boot(server);
        }
      },
      putFiles: async (server, files) => {
        this.puts.push({ server, paths: files.map((f) => f.path), data: files.map((f) => f.data) });
        await c.after(100);
      },
      sendWol: async (mac) => {
        this.wol.push(mac);
        const s = PAPER.find((d) => d.mac === mac)?.hostName;
        if (s !== undefined && this.state.get(s) === 'off') this.boot(s);
      },
      writeJobFile: async () => {
        await c.after(10);
      },
    };
  }
}

/** loadReport is a healthy server's answer to a load request. */
export function loadReport(server: string, freeMemKb: number): LoadReport {
  return { server, predicted: { memKb: freeMemKb, cpuIdlePct: 600, netBytesPerS: 1_000_000 }, spec: { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, vmCapacity: 3 };
}

/** systemTexts lists the paper-vocabulary lines of a log. */
export function systemTexts(log: readonly LogRecord[]): string[] {
  return log.filter((r) => r.kind === 'system').map((r) => r.text);
}

export const OK: CommandResult = { kind: 'done', ok: true };

// `dbss agent --config DIR`: the daemon of one management server, the composition root of the
// real world (docs/architecture.md). It reads the paper's management data (ring.txt and <Host>.dat, Fig. 4)
// and agent.yaml from DIR, checks everything, builds the ring management program (the hardened
// ring unless agent.yaml says `hardening: none`) and hands it to the real drivers. `dbss agent vip ...` and `dbss agent vs ...` are the small helpers the
// default command templates run on the server concerned (locally or over SSH).
import { cpus, totalmem } from 'node:os';
import { clusterFiles } from '../core/model/cluster.ts';
import { defaultParams } from '../paper/params.ts';
import { createNode } from '../core/method.ts';
import { US_PER_S } from '../core/model/time.ts';
import { isIpv4 } from '../core/model/validate.ts';
import { Agent } from '../agent/agent.ts';
import { AgentLog, jsonLinesFile } from '../agent/agent-log.ts';
import { FileStore } from '../agent/file-store.ts';
import { realScheduler } from '../agent/runner.ts';
import { ChronyClock } from '../drivers/chrony-clock.ts';
import { runProgram } from '../drivers/exec.ts';
import { VirshKvm, isDomainName } from '../drivers/kvm.ts';
import { VipDriver, isInterfaceName } from '../drivers/vip.ts';
import { loadAgentDir } from '../config/agent-dir.ts';
import type { AgentSetup } from '../config/agent-dir.ts';
import { UsageError } from '../config/usage-error.ts';
import { parseCommandLine } from '../config/command-line.ts';

export const AGENT_HELP = `Usage: dbss agent --config DIR [--bootstrap]
       dbss agent check --config DIR [--no-chrony]
       dbss agent status [--config DIR | --socket PATH] [--json]
       dbss agent vip claim|release VIP/PREFIX IFACE
       dbss agent vs resume|suspend NAME [--uri qemu:///system]

Runs the ring-type DBSS management program of one server against the real world: probes,
SEM over UDP with HMAC, load requests, SSH with known_hosts, Wake-on-LAN, libvirt, chrony.

DIR holds the paper's management data (Sec. 2.4, Fig. 4):
  ring.txt        the servers in ring order, one per line
  <Host>.dat      six lines per server: VIP, host name, real IP, MAC, daemons, server type
and agent.yaml, this server's part (every key, its range and default: docs/agent-reference.md,
or dbss schema agent --markdown; a whole commented example: deploy/example/):
  server: Mail                      # which server of ring.txt this agent is
  stateDir: /run/dbss               # management files and flag file (a memory disk, Sec. 2.4)
  logFile: /var/log/dbss/agent.jsonl
  sem: { port: 7400, keyFile: /etc/dbss/sem.key }   # shared key, at least 32 bytes
  serviceIface: eth0                # where VIPs go (per server: servers.X.serviceIface)
  servers:                          # every server's management-network address
    Mail: { management: 10.0.1.1 }
    FTP:  { management: 10.0.1.2 }
  ssh: { user: root, keyFile: /etc/dbss/id_ed25519, knownHosts: /etc/dbss/known_hosts }
  wol: { broadcast: 10.0.1.255 }
  internal: { gateway: 10.0.0.254 } # internal monitoring pings it (Sec. 4.1)
  chrony: { maxOffsetMs: 100 }      # unsynchronised, or off by more: not a manager (see hardening)
  host: { vmCapacity: 3 }
  hardening: all                    # the hardened ring (default); none: the paper's method;
                                    #   or a list of fencing, semResync, readmission, heartbeatTrust
  parameters: { monitorInterval: 10 }  # Table 1 overrides, the scenario files' names, in seconds
  commands:                         # argv templates, never a shell string; placeholders
    restart: [[systemctl, reboot]]  #   {server} {serverLower} {vip} {prefix} {iface} {vs} {target}

Running it (docs/running.md):
  statusSocket: /run/dbss/agent.sock   # default stateDir/agent.sock, mode 0600
  metrics: { address: 127.0.0.1, port: 9740 }   # Prometheus GET /metrics; off unless given
  logFormat: auto                   # stdout: auto (journal under journald, else plain), plain,
                                    #   journal (<3> <4> <6> <7> prefixes, no times), json
  logLevel: debug                   # stdout's least severe lines: debug, info, warning, err
Under systemd (Type=notify) it sends READY=1 once running, WATCHDOG=1 at half WatchdogSec and
STOPPING=1 on shutdown, through systemd-notify (NotifyAccess=all). SIGHUP reads DIR again and
logs each changed key: logLevel, logFormat and metrics are applied; the rest needs a restart.

dbss agent status prints this server's view from the running daemon: the ring, who manages
whom, its targets, separated servers, virtual servers and VIPs, SEM versions and lag, the last
tick. --json prints the snapshot for scripts. Exit status 0; 3 when no agent answers (as
systemctl status for a stopped unit); 2 for bad input.

dbss agent check --config DIR checks all of it before a start and prints every problem (see
dbss agent check --help).

--bootstrap writes the initial management files (all servers running) when DIR's state
directory has none: the file management server's hand-out at system start (Sec. 3.2). The
program starts when the flag file (stateDir/flag) appears. SIGTERM stops the agent cleanly.
Bad input ends with one line on stderr and exit status 2.`;

export async function agentCommand(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'vip') return vipHelper(rest);
  if (first === 'vs') return vsHelper(rest);
  if (first === 'check') return (await import('./agent-check-command.ts')).agentCheckCommand(rest);
  if (first === 'status') return (await import('./agent-status-command.ts')).statusCommand(rest);
  const { values } = parseCommandLine('agent', {
    args: argv,
    options: { config: { type: 'string' }, bootstrap: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${AGENT_HELP}\n`);
    return 0;
  }
  if (values.config === undefined || values.config.trim() === '') throw new UsageError(`agent: --config DIR is required (see dbss agent --help)${values.config === undefined ? '' : ', got an empty string'}`);
  const setup = loadAgentDir(values.config);
  return runAgent(setup, values.bootstrap === true, values.config);
}

async function runAgent(setup: AgentSetup, bootstrap: boolean, dir: string): Promise<number> {
  const { config, cluster, key } = setup;
  const params = { ...defaultParams(), ...config.params };
  const clock = new ChronyClock(
    config.chrony.socket === null
      ? {}
      : { runChronyc: async (args, call) => (await runProgram('chronyc', ['-h', config.chrony.socket as string, ...args], call)).stdout },
  );
  const file = jsonLinesFile(config.logFile);
  // Loaded here, not at the top: the vip and vs helpers the agent runs at every failover need neither it nor prom-client.
  const { AgentOps } = await import('./agent-ops.ts');
  const ops = new AgentOps(setup, { configDir: dir, nowUs: () => clock.nowUs(), reload: () => loadAgentDir(dir) });
  const log = new AgentLog(config.server, () => clock.nowUs(), [file.sink, ...ops.sinks]);
  await ops.listen().catch((error: unknown) => {
    file.close();
    throw error;
  });
  if (bootstrap) {
    const store = new FileStore({ dir: config.stateDir });
    await store.prepare();
    if ((await store.load()) === null) {
      await store.writeSet(clusterFiles(cluster, Math.floor(clock.nowUs() / US_PER_S)));
      log.agent('bootstrap', `Initial_management_files_written ${config.stateDir}`);
    }
  }
  const spec = {
    memKb: config.host.memKb ?? Math.floor(totalmem() / 1024),
    cores: config.host.cores ?? cpus().length,
    ratedBytesPerS: config.host.ratedBytesPerS,
  };
  const node = createNode('ring', { name: config.server, params, spec, vmCapacity: config.host.vmCapacity, disabled: [], hardening: config.hardening });
  const agent = await Agent.start({
    observer: ops.observer,
    config,
    data: cluster.map((c) => c.data),
    node,
    key,
    log,
    scheduler: realScheduler(clock),
    checkClock: config.chrony.enabled ? () => clock.checkSynchronised({ maxOffsetUs: config.chrony.maxOffsetUs }) : null,
  }).catch(async (error: unknown) => {
    await ops.stop();
    file.close();
    throw error;
  });
  const method = config.hardening.length === 0 ? 'none' : config.hardening.join(',');
  log.agent('started', `Agent_started ${config.server} pid ${process.pid} hardening ${method}`, { pid: process.pid, hardening: config.hardening });
  await ops.attach(agent, log);
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      log.agent('stopping', `Agent_stopping ${signal}`);
      Promise.all([ops.stop(), agent.stop()]).then(
        () => {
          file.close();
          resolve(0);
        },
        () => resolve(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    agent.failed.catch((error: Error) => {
      process.stderr.write(`internal error: the management program failed: ${error.message}\n`);
      void Promise.all([ops.stop(), agent.stop()]).finally(() => {
        file.close();
        resolve(1);
      });
    });
  });
}

/** vipHelper: `dbss agent vip claim|release VIP/PREFIX IFACE` through the VIP driver (duplicate check, gratuitous ARP). */
async function vipHelper(argv: string[]): Promise<number> {
  const [op, cidr, iface, ...extra] = argv;
  const [vip = '', prefixText = ''] = (cidr ?? '').split('/');
  const prefix = Number(prefixText);
  if ((op !== 'claim' && op !== 'release') || !isIpv4(vip) || !/^\d{1,2}$/.test(prefixText) || prefix < 1 || prefix > 32 || iface === undefined || !isInterfaceName(iface) || extra.length > 0) {
    throw new UsageError('usage: dbss agent vip claim|release VIP/PREFIX IFACE');
  }
  const driver = new VipDriver();
  return helperOutcome(`dbss agent vip ${op} ${cidr} ${iface}`, op === 'claim' ? driver.claim(vip, prefix, iface) : driver.release(vip, prefix, iface));
}

/** vsHelper: `dbss agent vs resume|suspend NAME [--uri URI]` through libvirt, idempotent (kvm.ts). */
async function vsHelper(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('agent', { args: argv, options: { uri: { type: 'string' } }, allowPositionals: true, strict: true });
  const [op, name, ...extra] = positionals;
  if ((op !== 'resume' && op !== 'suspend') || name === undefined || !isDomainName(name) || extra.length > 0) {
    throw new UsageError('usage: dbss agent vs resume|suspend NAME [--uri qemu:///system]');
  }
  const kvm = new VirshKvm({ uri: values.uri ?? 'qemu:///system' });
  return helperOutcome(`dbss agent vs ${op} ${name}`, op === 'resume' ? kvm.resume(name) : kvm.suspend(name));
}

/**
 * helperOutcome is a helper's exit status: 0 when the action succeeded, else 1 with one line that
 * says which action failed and why (a missing interface, an absent domain, a VIP another host
 * answers for). The agent runs the helpers from its command templates and logs that line.
 */
async function helperOutcome(action: string, done: Promise<unknown>): Promise<number> {
  try {
    await done;
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${action}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

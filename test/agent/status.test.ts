// `dbss agent status` against a running agent whose management program runs (net-agent.ts, on
// 127.0.0.1): this server's targets and its SEM view, read over the status socket in-process and
// by the CLI, and the CLI's answers when no agent runs or the command line is wrong.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AgentLog } from '../../src/agent/agent-log.ts';
import { parseAgentConfig } from '../../src/agent/config.ts';
import type { StatusSnapshot } from '../../src/agent/status.ts';
import { readStatus } from '../../src/agent/status-socket.ts';
import { AgentOps } from '../../src/cli/agent-ops.ts';
import { formatDiff } from '../../src/core/model/sem.ts';
import { encodeFrame } from '../../src/drivers/net/sem-wire.ts';
import { DBSS } from './daemon.ts';
import { PAPER } from './fake-world.ts';
import { NOW_S, TEST_KEY, startNetAgent, until, type NetAgent } from './net-agent.ts';

const run = promisify(execFile);

let dir = '';
let net: NetAgent;
let ops: AgentOps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-status-'));
  // Every server answers at once, so that Mail's internal check passes and its DBSS of FTP starts.
  // A tick every 2 s, so the first comes soon.
  const drivers = {
    ping: async () => true,
    checkService: async () => true,
    measureLoad: async () => ({ freeMemKb: 6_000_000, cpuIdlePct: 700, netBytesPerS: 1_000_000 }),
  };
  net = await startNetAgent(join(dir, 'state'), { drivers, params: { monitorIntervalUs: 2_000_000, internalMonitorOffsetUs: 1_000_000, networkExamTimeoutUs: 500_000 } });
  const setup = { config: net.config, cluster: PAPER.map((data, i) => ({ no: i + 1, data })), key: TEST_KEY };
  ops = new AgentOps(setup, { configDir: dir, nowUs: () => Date.now() * 1000, reload: () => setup, notify: null });
  await ops.listen();
  await ops.attach(net.agent, new AgentLog('Mail', () => Date.now() * 1000, []));
});
afterEach(async () => {
  await ops.stop();
  await net.stop();
  await rm(dir, { recursive: true, force: true });
});

test('status shows that Mail manages FTP once its program runs, and the last SEM record heard from FTP', async () => {
  // Arrange: the flag file starts the program; FTP sends its heartbeat.
  await writeFile(join(net.config.stateDir, 'flag'), '');
  await until(() => net.node.running, 'the program to start');
  await until(() => net.node.manages('FTP'), "the DBSS of FTP at Mail's first tick");
  const beat = formatDiff({ file: 'heartbeat.file', op: 'Mod', oldLine: `FTP ${NOW_S}`, newLine: `FTP ${NOW_S + 10}` });
  await net.send(net.peerSem, encodeFrame({ t: 'edit', from: 'FTP', epoch: 1, seq: 1, body: beat }, TEST_KEY), 'sem');
  await until(() => net.node.files['heartbeat.file'].includes(`FTP ${NOW_S + 10}`), 'the heartbeat');
  // Act
  const snapshot = (await readStatus(net.config.ops.statusSocket)) as StatusSnapshot;
  const cli = await run(process.execPath, [DBSS, 'agent', 'status', '--socket', net.config.ops.statusSocket]);
  // Assert
  expect(snapshot.program).toMatchObject({ running: true, holdsFiles: true });
  expect(snapshot.targets).toEqual([{ target: 'FTP', managing: true, recovering: false, last: null }]);
  expect(snapshot.ring.map((r) => r.server)).toEqual(['Mail', 'FTP', 'Web1', 'Web2', 'Proxy', 'Login']);
  expect(snapshot.ring.find((r) => r.server === 'FTP')).toMatchObject({ state: 'running', manager: 'Mail', heartbeatUnixS: NOW_S + 10 });
  expect(snapshot.sem.find((e) => e.server === 'FTP')?.heard).toMatchObject({ seq: 1 });
  expect(snapshot.virtualServers).toEqual([]);
  expect(cli.stdout).toMatch(/^Mail manages \(its DBSSs\):\n {2}FTP +managing/m);
  expect(cli.stdout).toMatch(/^ {2}FTP +applied \S+ +heard (\d+\/)?1 \(/m);
  expect(cli.stdout).toContain('Separated servers: none');
  expect(cli.stdout).toContain('Virtual servers (problem.file):\n  none');
});

test('dbss agent status refuses a command line without exactly one of --config and --socket, or a socket path that is not safe, with one line and exit 2', async () => {
  for (const args of [[], ['--config', dir, '--socket', '/run/dbss/agent.sock'], ['--socket', 'relative.sock'], ['--socket', '/run/$(reboot)']]) {
    const failed = await run(process.execPath, [DBSS, 'agent', 'status', ...args]).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(failed?.code, args.join(' ')).toBe(2);
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  }
});

test('agent.yaml refuses a metrics address that is not IPv4, a port out of range and a status socket path too long for a Unix socket', () => {
  const base = { server: 'Mail', stateDir: '/run/dbss', logFile: '/var/log/dbss/agent.jsonl', sem: { port: 7400, keyFile: '/etc/dbss/sem.key' }, servers: { Mail: { management: '198.18.1.1' } }, ssh: { keyFile: '/etc/dbss/id', knownHosts: '/etc/dbss/kh' }, wol: { broadcast: '198.18.1.255' }, internal: { gateway: '198.18.0.254' } };
  const issues = (extra: object) => {
    const parsed = parseAgentConfig({ ...base, ...extra });
    return parsed.ok ? [] : parsed.issues.map((i) => `${i.path.join('.')}: ${i.expected}`);
  };
  expect(issues({ metrics: { address: 'localhost' } })).toEqual(['metrics.address: an IPv4 address to listen on, such as 127.0.0.1']);
  expect(issues({ metrics: { port: 70000 } })).toEqual(['metrics.port: a port number from 0 (any free port) to 65535']);
  expect(issues({ statusSocket: `/run/${'d'.repeat(110)}` })[0]).toMatch(/^statusSocket: an absolute path .* at most 107 characters/);
  expect(issues({ logFormat: 'syslog' })).toEqual(['logFormat: one of auto, plain, journal, json']);
  const ok = parseAgentConfig(base);
  expect(ok.ok && ok.config.ops).toEqual({ statusSocket: '/run/dbss/agent.sock', metrics: null, logFormat: 'auto', logLevel: 'debug' });
});

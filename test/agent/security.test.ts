// What the agent refuses, and that it says so in its log: SEM records with a wrong HMAC, replayed
// records, names carrying shell syntax (in agent.yaml, in a management data file, in a SEM record
// or in a command), and an SSH server whose host key changed (issue 5, "Done when").
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { formatManagementData } from '../../src/core/model/management-data.ts';
import { initialFiles } from '../../src/core/model/management-files.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { formatDiff } from '../../src/core/model/sem.ts';
import { HARDENINGS } from '../../src/core/program/hardening.ts';
import { loadAgentDir } from '../../src/config/agent-dir.ts';
import { Agent } from '../../src/agent/agent.ts';
import { AgentLog, type LogRecord } from '../../src/agent/agent-log.ts';
import type { AgentConfig } from '../../src/agent/config.ts';
import { FileStore } from '../../src/agent/file-store.ts';
import { HostActions, schedulerTime } from '../../src/agent/host-actions.ts';
import { Remote } from '../../src/agent/remote.ts';
import { realScheduler } from '../../src/agent/runner.ts';
import { encodeFrame } from '../../src/drivers/net/sem-wire.ts';
import { generateEd25519, publicBlob, startTestSshServer, type TestSshServer } from '../drivers/helpers/ssh-test-server.ts';
import { FakeWorld, PAPER, PAPER_RING, VirtualScheduler, agentConfig } from './fake-world.ts';
import { freeUdpPort } from '../helpers/net.ts';

const KEY = Buffer.from('kd'.repeat(32));
const NOW_S = Math.floor(Date.now() / 1000);

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-agent-sec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});


function newNode(): RingNode {
  return new RingNode('Mail', defaultParams(), { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SEM at the agent', () => {
  let agent: Agent;
  let node: RingNode;
  let peer: Socket;
  let log: LogRecord[];
  let semPort: number;

  beforeEach(async () => {
    semPort = await freeUdpPort();
    const ftpPort = await freeUdpPort();
    const base = agentConfig(join(dir, 'state'), {}, { sem: semPort, load: await freeUdpPort() });
    // The other servers' SEM sockets are this test's socket, so that resend requests land somewhere harmless.
    const config: AgentConfig = { ...base, peers: base.peers.map((p) => (p.name === 'Mail' ? p : { ...p, semPort: ftpPort })) };
    peer = createSocket('udp4');
    await new Promise<void>((resolve) => peer.bind(ftpPort, '127.0.0.1', resolve));
    await new FileStore({ dir: config.stateDir }).prepare();
    await new FileStore({ dir: config.stateDir }).writeSet(initialFiles(PAPER_RING, NOW_S));
    node = newNode();
    log = [];
    const clock = { nowUs: () => Date.now() * 1000 };
    const world = new FakeWorld(new VirtualScheduler(0));
    agent = await Agent.start({
      config,
      data: PAPER,
      node,
      key: KEY,
      log: new AgentLog('Mail', clock.nowUs, [(r) => void log.push(r)]),
      scheduler: realScheduler(clock),
      checkClock: null,
      drivers: world.drivers(() => []),
      pollMs: 50,
    });
  });
  afterEach(async () => {
    await agent.stop();
    await new Promise<void>((resolve) => peer.close(() => resolve()));
  });

  const send = (frame: Buffer): Promise<void> =>
    new Promise((resolve, reject) => peer.send(frame, semPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  const refusals = (reason: string) => log.filter((r) => r.event === 'semRefused' && r.reason === reason);

  test('an edit signed with another key is refused and logged, and the files do not change', async () => {
    const edit = { file: 'heartbeat.file' as const, op: 'Mod' as const, oldLine: `FTP ${NOW_S}`, newLine: `FTP ${NOW_S + 10}` };
    await send(encodeFrame({ t: 'edit', from: 'FTP', epoch: 1, seq: 1, body: formatDiff(edit) }, Buffer.from('x'.repeat(64))));
    await until(() => refusals('bad-hmac').length === 1, 'the refusal');
    expect(refusals('bad-hmac')[0]?.text).toMatch(/^SEM_refused bad-hmac - 127\.0\.0\.1:\d+ HMAC does not match$/);
    expect(node.files['heartbeat.file']).toContain(`FTP ${NOW_S}`);
  });

  test('a replayed edit is refused and logged; the edit was applied once and written to disk', async () => {
    const edit = { file: 'heartbeat.file' as const, op: 'Mod' as const, oldLine: `FTP ${NOW_S}`, newLine: `FTP ${NOW_S + 10}` };
    const frame = encodeFrame({ t: 'edit', from: 'FTP', epoch: 1, seq: 1, body: formatDiff(edit) }, KEY);
    await send(frame);
    await until(() => node.files['heartbeat.file'].includes(`FTP ${NOW_S + 10}`), 'the edit');
    // An operator (or attacker) sets the line back; replaying the recorded frame must not redo the edit.
    await send(frame);
    await until(() => refusals('replay').length === 1, 'the replay refusal');
    expect(refusals('replay')[0]?.from).toBe('FTP');
    await agent.store.flushed();
    expect(await readFile(join(agent.store.dir, 'heartbeat.file'), 'utf8')).toContain(`FTP ${NOW_S + 10}\n`);
  });

  test('an authenticated edit whose line carries shell syntax in a host name is refused as a bad record and logged', async () => {
    await send(encodeFrame({ t: 'edit', from: 'FTP', epoch: 1, seq: 1, body: 'problem.file, Add, FTPb;reboot FTP Web2' }, KEY));
    await until(() => refusals('bad-record').length === 1, 'the refusal');
    expect(refusals('bad-record')[0]?.detail).toMatch(/virtual server: expected a host name/);
    expect(node.files['problem.file']).toEqual([]);
  });
});

describe('names with shell syntax in the configuration', () => {
  async function writeConfigDir(agentYaml: string, ftpDaemons = 'vsftpd'): Promise<string> {
    const cfg = join(dir, 'cfg');
    await mkdir(cfg, { recursive: true });
    await writeFile(join(cfg, 'ring.txt'), 'Mail\nFTP\n');
    const [mail, ftp] = PAPER;
    await writeFile(join(cfg, 'Mail.dat'), formatManagementData(mail!));
    await writeFile(join(cfg, 'FTP.dat'), formatManagementData(ftp!).replace('vsftpd', ftpDaemons));
    await writeFile(join(cfg, 'sem.key'), 'kd'.repeat(32));
    await writeFile(join(cfg, 'agent.yaml'), agentYaml.replaceAll('CFG', cfg));
    return cfg;
  }
  const yaml = (server: string, ftpName = 'FTP') => `server: ${JSON.stringify(server)}
stateDir: CFG/state
logFile: CFG/agent.jsonl
sem: { port: 7400, keyFile: CFG/sem.key }
servers:
  Mail: { management: 198.18.1.1 }
  ${JSON.stringify(ftpName)}: { management: 198.18.1.2 }
ssh: { keyFile: CFG/sem.key, knownHosts: CFG/sem.key }
wol: { broadcast: 198.18.1.255 }
internal: { gateway: 198.18.0.254 }
`;

  test('a server name with a semicolon in agent.yaml is refused with its file and line', async () => {
    const cfg = await writeConfigDir(yaml('Mail;reboot'));
    expect(() => loadAgentDir(cfg)).toThrow(`${cfg}/agent.yaml:1: server: expected a host name (letters, digits, hyphen; no spaces or shell characters), got "Mail;reboot"`);
  });

  test('a peer name with $(...) in agent.yaml is refused with its line', async () => {
    const cfg = await writeConfigDir(yaml('Mail', 'FTP$(reboot)'));
    expect(() => loadAgentDir(cfg)).toThrow(/agent\.yaml:7: servers\.FTP\$\(reboot\): expected a host name/);
  });

  test('a daemon name with shell syntax in a management data file is refused with its line, and `dbss agent` exits 2 with one line', async () => {
    const cfg = await writeConfigDir(yaml('Mail'), 'vsftpd;reboot');
    expect(() => loadAgentDir(cfg)).toThrow(`${cfg}/FTP.dat:5: service daemons (line 5)`);
    const run = spawnSync(process.execPath, ['bin/dbss.js', 'agent', '--config', cfg], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .*FTP\.dat:5: service daemons \(line 5\): expected .*got "vsftpd;reboot"$/)]);
  });

  test('a command template whose program is shell syntax is refused', async () => {
    const cfg = await writeConfigDir(`${yaml('Mail')}commands:\n  restart: [["sh -c reboot"]]\n`);
    expect(() => loadAgentDir(cfg)).toThrow(/agent\.yaml:12: commands\.restart\[0\]: expected a command whose first item is a program name/);
  });

  test('hardening defaults to every extension, takes none or a list, and refuses an unknown name with its line', async () => {
    expect(loadAgentDir(await writeConfigDir(yaml('Mail'))).config.hardening).toEqual([...HARDENINGS]);
    expect(loadAgentDir(await writeConfigDir(`${yaml('Mail')}hardening: none\n`)).config.hardening).toEqual([]);
    expect(loadAgentDir(await writeConfigDir(`${yaml('Mail')}hardening: [semResync, fencing]\n`)).config.hardening).toEqual(['fencing', 'semResync']);
    const cfg = await writeConfigDir(`${yaml('Mail')}hardening: [fencing, quorum]\n`);
    expect(() => loadAgentDir(cfg)).toThrow(/agent\.yaml:11: hardening: expected all, none, or a list of extensions of the hardened ring from fencing, .*got "\[fencing, quorum\]"$/);
  });

  test('a chrony limit looser than the clock tolerance of the hardened ring is refused', async () => {
    const cfg = await writeConfigDir(`${yaml('Mail')}chrony: { maxOffsetMs: 5000 }\n`);
    expect(() => loadAgentDir(cfg)).toThrow(/agent\.yaml:11: chrony\.maxOffsetMs: expected at most .* ms with hardening heartbeatTrust/);
  });

  test('a good directory loads', async () => {
    const cfg = await writeConfigDir(yaml('Mail'));
    const setup = loadAgentDir(cfg);
    expect(setup.config.server).toBe('Mail');
    expect(setup.cluster.map((c) => c.data.hostName)).toEqual(['Mail', 'FTP']);
  });
});

describe('commands carrying names with shell syntax', () => {
  test('a resume of a virtual server named with $(...), a daemon with a semicolon and a VIP with a space are refused and logged; nothing runs', async () => {
    const clock = new VirtualScheduler(NOW_S * 1e6);
    const world = new FakeWorld(clock);
    const log: LogRecord[] = [];
    const actions = new HostActions(agentConfig(join(dir, 'state')), PAPER, newNode(), world.drivers(() => []), new AgentLog('Mail', () => clock.nowUs(), [(r) => void log.push(r)]), schedulerTime(clock));
    const signal = new AbortController().signal;
    const results = await Promise.all([
      actions.execute({ type: 'resumeVirtualServer', id: 1, host: 'Web2', vsName: 'FTPb$(reboot)', target: 'FTP' }, signal),
      actions.execute({ type: 'probeService', id: 2, target: 'FTP', address: '172.21.14.2', daemons: ['vsftpd;reboot'], waitMaxUs: 3e6, retry: false }, signal),
      actions.execute({ type: 'setVip', id: 3, vip: '172.21.14.202 ', to: { kind: 'real', server: 'FTP' }, from: null }, signal),
      actions.execute({ type: 'restartServer', id: 4, target: 'FTP;reboot', address: '172.21.14.2', vip: '172.21.14.202' }, signal),
    ]);
    expect(results).toEqual([{ kind: 'done', ok: false }, { kind: 'done', ok: false }, { kind: 'done', ok: false }, { kind: 'done', ok: false }]);
    expect(world.runs).toEqual([]);
    expect(log.filter((r) => r.event === 'commandRefused').map((r) => r.text).sort()).toEqual([
      'Command_refused probeService daemon "vsftpd;reboot"',
      'Command_refused restartServer host name "FTP;reboot"',
      'Command_refused resumeVirtualServer host name "FTPb$(reboot)"',
      'Command_refused setVip address "172.21.14.202 "',
    ]);
  });
});

describe('SSH from the agent', () => {
  const hostKey = generateEd25519();
  const otherKey = generateEd25519();
  const clientKey = generateEd25519();
  let server: TestSshServer;
  beforeAll(async () => {
    server = await startTestSshServer(hostKey, clientKey.public);
  });
  afterAll(async () => {
    await server.close();
  });

  async function sendFilesTo(known: typeof hostKey): Promise<{ ok: boolean; log: LogRecord[]; ftpDir: string }> {
    const base = agentConfig(join(dir, 'state'));
    const ftpDir = join(dir, 'ftp-state');
    await mkdir(ftpDir, { recursive: true });
    const config: AgentConfig = { ...base, peers: base.peers.map((p) => (p.name === 'FTP' ? { ...p, sshPort: server.port, stateDir: ftpDir } : p)) };
    await writeFile(join(dir, 'id'), clientKey.private);
    await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${server.port} ssh-ed25519 ${publicBlob(known.public).toString('base64')}\n`);
    const remote = new Remote({ self: 'Mail', peers: config.peers, user: 'dbss', keyFile: join(dir, 'id'), knownHostsFile: join(dir, 'known_hosts'), connectTimeoutMs: 5000 });
    const node = newNode();
    node.handle(NOW_S * 1e6, { type: 'filesReceived', files: initialFiles(PAPER_RING, NOW_S), data: PAPER });
    const clock = new VirtualScheduler(NOW_S * 1e6);
    const drivers = { ...new FakeWorld(clock).drivers(() => []), putFiles: remote.putFiles.bind(remote) };
    const log: LogRecord[] = [];
    const actions = new HostActions(config, PAPER, node, drivers, new AgentLog('Mail', () => clock.nowUs(), [(r) => void log.push(r)]), schedulerTime(clock));
    const result = await actions.execute({ type: 'sendFiles', id: 7, to: 'FTP' }, new AbortController().signal).catch((error: Error) => {
      log.push({ atUs: 0, at: '', server: 'Mail', kind: 'agent', event: 'commandFailed', text: error.message });
      return { kind: 'done' as const, ok: false };
    });
    return { ok: result.kind === 'done' && result.ok, log, ftpDir };
  }

  test('a changed SSH host key stops the transfer of the management files before any byte or credential is sent', async () => {
    const before = { auth: server.authAttempts, bytes: server.bytesWritten };
    const { ok, log, ftpDir } = await sendFilesTo(otherKey);
    expect(ok).toBe(false);
    expect(log.map((r) => r.text).join('\n')).toMatch(/HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+/);
    expect(server.authAttempts).toBe(before.auth);
    expect(server.bytesWritten).toBe(before.bytes);
    await expect(readFile(join(ftpDir, 'group.file'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  test('with the known host key the management files arrive whole, in the paper format', async () => {
    const { ok, ftpDir } = await sendFilesTo(hostKey);
    expect(ok).toBe(true);
    expect(await readFile(join(ftpDir, 'group.file'), 'utf8')).toBe(PAPER_RING.map((e) => `${e.no} ${e.server} ${e.dataFile}`).join('\n') + '\n');
    expect(await readFile(join(ftpDir, 'problem.file'), 'utf8')).toBe('');
  });
});

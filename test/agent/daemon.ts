// A real `dbss agent` daemon for tests: a configuration directory of three servers whose every
// address is on 127.0.0.0/8 (management 127.0.0.1, real addresses 127.0.0.2-4), started as a
// child process through bin/dbss.js with --bootstrap and no flag file, so the management program
// holds its files and waits: nothing is examined and no packet leaves loopback. Its stdout lines
// and the datagrams of a NOTIFY_SOCKET (a Unix datagram socket bound by a Python one-liner, since
// Node has none) are collected for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { freeUdpPort } from '../helpers/net.ts';

export const DBSS = resolve('bin/dbss.js');
const SERVERS = [
  { name: 'Mail', ip: '127.0.0.2', daemons: 'postfix' },
  { name: 'FTP', ip: '127.0.0.3', daemons: 'vsftpd' },
  { name: 'Web1', ip: '127.0.0.4', daemons: 'nginx' },
];

/** NOTIFY_RECEIVER binds a Unix datagram socket and prints each message on a line, its newlines as "|". */
const NOTIFY_RECEIVER = [
  'import socket, sys',
  's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
  's.bind(sys.argv[1])',
  'print("bound", flush=True)',
  'while True:',
  '    print(s.recv(65536).decode().replace("\\n", "|"), flush=True)',
].join('\n');

/** Lines collects a child's output lines as they come. */
export class Lines {
  readonly all: string[] = [];
  private rest = '';

  constructor(child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (this.rest + chunk.toString('utf8')).split('\n');
      this.rest = parts.pop() ?? '';
      this.all.push(...parts);
    });
  }

  /** wait returns the first line (from index from) that matches, waiting up to timeoutMs. */
  async wait(match: RegExp, timeoutMs = 20_000, from = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.all.slice(from).find((l) => match.test(l));
      if (line !== undefined) return line;
      if (Date.now() > deadline) throw new Error(`no line ${match} within ${timeoutMs} ms in:\n${this.all.join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** writeConfigDir writes ring.txt, the servers' .dat files, the keys and agent.yaml (extra keys appended) into dir. */
export async function writeConfigDir(dir: string, extraYaml: string): Promise<void> {
  await writeFile(join(dir, 'ring.txt'), `${SERVERS.map((s) => s.name).join('\n')}\n`);
  for (const [i, s] of SERVERS.entries()) {
    await writeFile(join(dir, `${s.name}.dat`), `127.0.1.${i + 2}\n${s.name}\n${s.ip}\n00:00:00:00:00:0${i + 1}\n${s.daemons}\nNETWORK\n`);
  }
  await writeFile(join(dir, 'sem.key'), 'kd'.repeat(32));
  await writeFile(join(dir, 'id'), 'not a key: the test never connects\n');
  await writeFile(join(dir, 'known_hosts'), '');
  await mkdir(join(dir, 'log'));
  const ports = await Promise.all(SERVERS.map(async () => [await freeUdpPort(), await freeUdpPort()]));
  const servers = SERVERS.map((s, i) => `  ${s.name}: { management: 127.0.0.1, stateDir: ${dir}/state-${s.name}, semPort: ${ports[i]![0]}, loadPort: ${ports[i]![1]} }`);
  const yaml = [
    'server: Mail',
    `stateDir: ${dir}/state-Mail`,
    `logFile: ${dir}/log/agent.jsonl`,
    `sem: { port: ${ports[0]![0]}, keyFile: ${dir}/sem.key }`,
    'servers:',
    ...servers,
    `ssh: { keyFile: ${dir}/id, knownHosts: ${dir}/known_hosts }`,
    'wol: { broadcast: 127.0.0.1 }',
    'internal: { gateway: 127.0.0.1 }',
    'chrony: { enabled: false }',
    extraYaml,
  ];
  await writeFile(join(dir, 'agent.yaml'), `${yaml.join('\n')}\n`);
}

/** Daemon is a running agent and the systemd notify socket it was given. */
export interface Daemon {
  child: ChildProcess;
  stdout: Lines;
  notified: Lines;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** startDaemon starts `dbss agent --config dir --bootstrap` with NOTIFY_SOCKET and WATCHDOG_USEC set and JOURNAL_STREAM unset. */
export async function startDaemon(dir: string, watchdogUsec: number): Promise<Daemon> {
  const notifySocket = join(dir, 'notify.sock');
  const receiver = spawn('python3', ['-c', NOTIFY_RECEIVER, notifySocket], { stdio: ['ignore', 'pipe', 'inherit'] });
  const notified = new Lines(receiver);
  await notified.wait(/^bound$/, 10_000);
  const env: NodeJS.ProcessEnv = { ...process.env, NOTIFY_SOCKET: notifySocket, WATCHDOG_USEC: String(watchdogUsec) };
  delete env.JOURNAL_STREAM;
  delete env.WATCHDOG_PID;
  const child = spawn(process.execPath, [DBSS, 'agent', '--config', dir, '--bootstrap'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  void exited.then((code) => {
    if (code !== 0 && stderr !== '') process.stderr.write(`dbss agent exited ${code}: ${stderr}\n`);
  });
  return {
    child,
    stdout: new Lines(child),
    notified,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      receiver.kill('SIGTERM');
    },
  };
}

// Where an action runs: on this server through execFile, or on another management server over
// SSH on the management network (Sec. 3.2, A6 of Fig. 12), with its host key checked against
// known_hosts (ssh.ts refuses an unknown or changed key before any credential or byte is sent).
import { readFile } from 'node:fs/promises';
import { runProgramStatus } from '../drivers/exec.ts';
import { KnownHosts } from '../drivers/known-hosts.ts';
import { SshSession } from '../drivers/ssh.ts';
import type { PeerConfig } from './config.ts';

export interface RemoteOptions {
  self: string;
  peers: readonly PeerConfig[];
  user: string;
  keyFile: string;
  knownHostsFile: string;
  connectTimeoutMs: number;
}

/** RemoteFailure is a command that ran and failed: its status and what it said. */
export class RemoteFailure extends Error {
  override readonly name = 'RemoteFailure';
}

/** Remote runs commands and puts files on the management servers. */
export class Remote {
  constructor(private readonly opts: RemoteOptions) {}

  /**
   * run executes each argv in turn on server (locally when it is this server); every one must
   * exit 0. It throws on the first failure, naming the command and its stderr.
   */
  async run(server: string, commands: readonly (readonly string[])[], timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (server === this.opts.self) {
      for (const argv of commands) {
        const [program, ...args] = argv;
        if (program === undefined) throw new TypeError('empty command');
        const result = await runProgramStatus(program, args, { timeoutMs, signal });
        if (result.exitCode !== 0) throw new RemoteFailure(`${argv.join(' ')}: exit status ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
      }
      return;
    }
    await this.withSession(server, timeoutMs, signal, async (session) => {
      for (const argv of commands) {
        const result = await session.exec(argv, { timeoutMs, signal });
        if (result.exitCode !== 0) {
          throw new RemoteFailure(`${argv.join(' ')} on ${server}: exit ${result.exitCode ?? result.signal}: ${result.stderr.trim().slice(0, 300)}`);
        }
      }
    });
  }

  /** putFiles writes each file atomically into server's directory over SFTP, in the order given. */
  async putFiles(server: string, files: readonly { path: string; data: string }[], timeoutMs: number, signal: AbortSignal): Promise<void> {
    await this.withSession(server, timeoutMs, signal, async (session) => {
      for (const f of files) await session.putFileAtomic(f.path, f.data, { timeoutMs, signal, mode: 0o644 });
    });
  }

  private async withSession<T>(server: string, timeoutMs: number, signal: AbortSignal, work: (s: SshSession) => Promise<T>): Promise<T> {
    const peer = this.opts.peers.find((p) => p.name === server);
    if (peer === undefined) throw new TypeError(`${server} is not a configured management server`);
    // known_hosts is read for every connection, so that a key an operator replaced is used at once.
    const knownHosts = KnownHosts.fromText(await readFile(this.opts.knownHostsFile, 'utf8'));
    const session = await SshSession.connect({
      host: peer.management,
      port: peer.sshPort,
      username: this.opts.user,
      privateKey: await readFile(this.opts.keyFile),
      knownHosts,
      timeoutMs: Math.min(timeoutMs, this.opts.connectTimeoutMs),
      signal,
    });
    try {
      return await work(session);
    } finally {
      session.close();
    }
  }
}

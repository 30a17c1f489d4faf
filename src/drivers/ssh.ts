// SSH between management servers (Sec. 3.2, A6 of Fig. 12): remote commands, and SFTP for the
// management files, the management program and the flag file. Key authentication only, and
// the server's host key must already be in known_hosts: there is no accept-anything mode.
import { randomBytes } from 'node:crypto';
import { dirname, basename } from 'node:path';
import ssh2, { type ClientChannel, type SFTPWrapper } from 'ssh2';
import { isHostName, isIpv4 } from '../core/model/validate.ts';
import { type CallOptions, assertCallOptions } from './exec.ts';
import { type KnownHosts, hostLookupName } from './known-hosts.ts';
import { assertSafeAbsolutePath } from './paths.ts';
import { remoteCommand } from './shell-quote.ts';

// ssh2 is CommonJS; Node's ESM loader cannot see its exports by name.
const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

/** HostKeyError is a refusal of the server's identity: unknown host, changed key or revoked key. */
export class HostKeyError extends Error {
  override readonly name = 'HostKeyError';
}

/** SshError is any other failure of the connection or of a remote operation. */
export class SshError extends Error {
  override readonly name = 'SshError';
}

export interface SshConnectOptions extends CallOptions {
  host: string;
  port?: number;
  username: string;
  privateKey: Buffer | string;
  passphrase?: string;
  knownHosts: KnownHosts;
}

export interface RemoteResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** SshSession is one authenticated connection to another management server. */
export class SshSession {
  private sftpSession: Promise<SFTPWrapper> | null = null;
  private closed = false;

  private constructor(
    private readonly client: Client,
    readonly target: string,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
  }

  /**
   * connect opens and authenticates a session. A host with no known_hosts entry is refused
   * before any packet is sent; a presented key that differs from the known one is refused
   * during key exchange, before authentication, so no credential and no data reach it.
   */
  static async connect(opts: SshConnectOptions): Promise<SshSession> {
    assertCallOptions(opts);
    const port = opts.port ?? 22;
    if (!isIpv4(opts.host) && !isHostName(opts.host)) throw new TypeError(`invalid SSH host ${JSON.stringify(opts.host)}`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid SSH port ${port}`);
    if (!USER_RE.test(opts.username)) throw new TypeError(`invalid SSH user ${JSON.stringify(opts.username)}`);
    const target = `${opts.username}@${hostLookupName(opts.host, port)}`;
    const algorithms = opts.knownHosts.hostKeyAlgorithms(opts.host, port);
    if (algorithms.length === 0) {
      throw new HostKeyError(`host ${hostLookupName(opts.host, port)} is not in known_hosts; refusing to connect`);
    }
    return new Promise((resolve, reject) => {
      let refusal: string | null = null;
      let settled = false;
      const client = new Client();
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        cleanup();
        client.end();
        client.destroy();
        reject(error);
      };
      const onAbort = (): void => fail(opts.signal?.reason instanceof Error ? opts.signal.reason : new SshError(`${target}: aborted`));
      const timer = setTimeout(() => fail(new SshError(`${target}: not connected within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      if (opts.signal?.aborted === true) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      client.on('ready', () => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(new SshSession(client, target));
      });
      client.on('error', (err) => fail(refusal === null ? new SshError(`${target}: ${err.message}`) : new HostKeyError(refusal)));
      client.on('close', () => fail(refusal === null ? new SshError(`${target}: connection closed`) : new HostKeyError(refusal)));
      client.connect({
        host: opts.host,
        port,
        username: opts.username,
        privateKey: opts.privateKey,
        ...(opts.passphrase === undefined ? {} : { passphrase: opts.passphrase }),
        authHandler: ['publickey'],
        hostVerifier: (key: Buffer): boolean => {
          const verdict = opts.knownHosts.verify(opts.host, port, key);
          if (!verdict.ok) refusal = verdict.reason;
          return verdict.ok;
        },
        algorithms: { serverHostKey: algorithms as never },
        readyTimeout: opts.timeoutMs,
        keepaliveInterval: 5000,
        keepaliveCountMax: 3,
      });
    });
  }

  /**
   * exec runs argv on the remote server. The remote side always goes through a shell, so each
   * argument is single-quoted after validation (shell-quote.ts); a non-zero exit status is
   * returned, not thrown, because the caller knows what the status of its command means.
   */
  async exec(argv: readonly string[], opts: CallOptions): Promise<RemoteResult> {
    assertCallOptions(opts);
    const command = remoteCommand(argv);
    let channel: ClientChannel | null = null;
    const work = new Promise<RemoteResult>((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) {
          reject(new SshError(`${this.target}: cannot run ${argv[0]}: ${err.message}`));
          return;
        }
        channel = stream;
        let stdout = '';
        let stderr = '';
        let exitCode: number | null = null;
        let signal: string | null = null;
        stream.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          if (stdout.length > MAX_OUTPUT_BYTES) stream.close();
        });
        stream.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        stream.on('exit', (code: number | null, sig?: string) => {
          exitCode = code;
          signal = sig ?? null;
        });
        stream.on('close', () => resolve({ exitCode, signal, stdout, stderr }));
      });
    });
    return this.deadline(`${argv[0]} on ${this.target}`, opts, work, () => channel?.close());
  }

  /**
   * putFileAtomic writes data to remotePath so that a reader sees the old file or the new one,
   * never a part: it writes a temporary file in the same directory, fsyncs it when the server
   * offers fsync@openssh.com, and renames it over the target with posix-rename@openssh.com
   * (plain SFTP rename where that extension is missing). The temporary file is removed on failure.
   */
  async putFileAtomic(remotePath: string, data: Buffer | string, opts: CallOptions & { mode?: number }): Promise<void> {
    assertCallOptions(opts);
    assertSafeAbsolutePath(remotePath, 'remote file');
    const tmpPath = `${dirname(remotePath)}/.${basename(remotePath)}.dbss-tmp-${randomBytes(6).toString('hex')}`;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const work = (async (): Promise<void> => {
      const sftp = await this.sftp();
      try {
        const handle = await call<Buffer>((cb) => sftp.open(tmpPath, 'wx', { mode: opts.mode ?? 0o644 }, cb));
        try {
          if (bytes.length > 0) await call<void>((cb) => sftp.write(handle, bytes, 0, bytes.length, 0, (err) => cb(err)));
          await fsyncIfOffered(sftp, handle);
        } finally {
          await call<void>((cb) => sftp.close(handle, (err) => cb(err)));
        }
        await renameOver(sftp, tmpPath, remotePath);
      } catch (error) {
        await call<void>((cb) => sftp.unlink(tmpPath, (err) => cb(err))).catch(() => undefined);
        throw new SshError(`${this.target}: writing ${remotePath} failed: ${(error as Error).message}`);
      }
    })();
    await this.deadline(`writing ${remotePath} on ${this.target}`, opts, work, () => this.close());
  }

  /** getFile reads a whole remote file over SFTP (also /proc files, whose size reads as 0). */
  async getFile(remotePath: string, opts: CallOptions): Promise<Buffer> {
    assertCallOptions(opts);
    assertSafeAbsolutePath(remotePath, 'remote file');
    const work = this.sftp().then((sftp) => call<Buffer>((cb) => sftp.readFile(remotePath, cb)));
    return this.deadline(`reading ${remotePath} on ${this.target}`, opts, work, () => this.close());
  }

  /** procReader adapts getFile to proc-load.ts's reader, so the load of this server can be measured remotely. */
  procReader(timeoutMs: number): (path: string, signal?: AbortSignal) => Promise<string> {
    return async (path, signal) => (await this.getFile(path, { timeoutMs, ...(signal === undefined ? {} : { signal }) })).toString('utf8');
  }

  /** close ends the connection; later calls fail. */
  close(): void {
    this.closed = true;
    this.client.end();
  }

  private sftp(): Promise<SFTPWrapper> {
    if (this.closed) return Promise.reject(new SshError(`${this.target}: session is closed`));
    this.sftpSession ??= call<SFTPWrapper>((cb) => this.client.sftp(cb));
    return this.sftpSession;
  }

  private deadline<T>(what: string, opts: CallOptions, work: Promise<T>, cancel: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        cancel();
        reject(opts.signal?.reason instanceof Error ? opts.signal.reason : new SshError(`${what}: aborted`));
      };
      const timer = setTimeout(() => {
        done();
        cancel();
        reject(new SshError(`${what}: no answer within ${opts.timeoutMs} ms`));
      }, opts.timeoutMs);
      if (opts.signal?.aborted === true) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }
}

function call<T>(start: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((err, value) => (err ? reject(err) : resolve(value)));
  });
}

/** callOrThrow is call for ssh2 methods that throw synchronously when the server lacks an extension. */
function callOrThrow<T>(start: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  let settle: (err: Error | null | undefined, value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve, reject) => {
    settle = (err, value) => (err ? reject(err) : resolve(value));
  });
  start(settle);
  return promise;
}

/** fsyncIfOffered asks the server to fsync the file; ssh2 throws at once when the extension was not offered. */
async function fsyncIfOffered(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  let pending: Promise<void>;
  try {
    pending = callOrThrow<void>((cb) => sftp.ext_openssh_fsync(handle, (err) => cb(err)));
  } catch {
    return; // The server offers no fsync; durability is then the server's filesystem's.
  }
  await pending;
}

async function renameOver(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  let pending: Promise<void>;
  try {
    pending = callOrThrow<void>((cb) => sftp.ext_openssh_rename(from, to, (err) => cb(err)));
  } catch {
    pending = call<void>((cb) => sftp.rename(from, to, (err) => cb(err)));
  }
  await pending;
}

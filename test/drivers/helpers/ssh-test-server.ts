// An in-process SSH server on 127.0.0.1 for the SSH driver's tests: ssh2's Server with a
// generated host key, public-key authentication for one generated client key, exec through
// /bin/sh (so quoting is tested against a real shell) and a small SFTP subsystem on the real
// filesystem. It counts what reached it, so a test can show that a refused host got nothing.
import { execFile } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { close, closeSync, fstat, open, read, rename, unlink, write } from 'node:fs';
import type { AddressInfo } from 'node:net';
import ssh2, { type SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { STATUS_CODE, flagsToString } = utils.sftp;

export interface KeyPair {
  private: string;
  public: string;
}

/**
 * generateEd25519 makes an OpenSSH-format key pair. ssh2 1.17 writes the 32-byte public key of
 * about one pair in 200 with its leading zero byte dropped (a 31-byte blob its own parser then
 * calls malformed), so a pair is drawn again until both halves parse.
 */
export function generateEd25519(): KeyPair {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}

/** publicBlob returns the wire-format public key of an OpenSSH public key line. */
export function publicBlob(publicKey: string): Buffer {
  const parsed = utils.parseKey(publicKey);
  if (parsed instanceof Error) throw parsed;
  return parsed.getPublicSSH();
}

export interface TestSshServer {
  port: number;
  /** connections counts TCP connections that reached the SSH server. */
  connections: number;
  /** authAttempts counts authentication requests of any method. */
  authAttempts: number;
  /** channelsOpened counts session channels (exec or SFTP). */
  channelsOpened: number;
  /** bytesWritten counts bytes received through SFTP WRITE. */
  bytesWritten: number;
  /** stall makes the next SFTP requests go unanswered (to show timeouts). */
  stall: boolean;
  close(): Promise<void>;
}

export async function startTestSshServer(hostKey: KeyPair, clientPublicKey: string): Promise<TestSshServer> {
  const allowed = utils.parseKey(clientPublicKey);
  if (allowed instanceof Error) throw allowed;
  const state: TestSshServer = {
    port: 0,
    connections: 0,
    authAttempts: 0,
    channelsOpened: 0,
    bytesWritten: 0,
    stall: false,
    close: async () => undefined,
  };
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    state.connections += 1;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      state.authAttempts += 1;
      if (ctx.method !== 'publickey' || ctx.username !== 'dbss') return ctx.reject(['publickey']);
      const key = ctx.key;
      const same = key.algo === allowed.type && key.data.length === allowed.getPublicSSH().length && timingSafeEqual(key.data, allowed.getPublicSSH());
      if (!same) return ctx.reject(['publickey']);
      if (ctx.signature !== undefined && ctx.blob !== undefined) {
        if (allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      }
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        state.channelsOpened += 1;
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          execFile('/bin/sh', ['-c', info.command], { cwd: '/tmp' }, (error, stdout, stderr) => {
            stream.write(stdout);
            stream.stderr.write(stderr);
            const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
            stream.exit(code);
            stream.end();
          });
        });
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), state));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

function serveSftp(sftp: SFTPWrapper, state: TestSshServer): void {
  const fds = new Map<string, number>();
  let next = 0;
  const fdOf = (handle: Buffer): number | undefined => fds.get(handle.toString('hex'));
  const status = (reqid: number, err: NodeJS.ErrnoException | null): void =>
    sftp.status(reqid, err === null ? STATUS_CODE.OK : err.code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE, err?.message);
  sftp.on('OPEN', (reqid: number, filename: string, flags: number, attrs: { mode?: number }) => {
    if (state.stall) return;
    const mode = flagsToString(flags);
    if (mode === null) return sftp.status(reqid, STATUS_CODE.FAILURE);
    open(filename, mode, attrs.mode ?? 0o644, (err, fd) => {
      if (err) return status(reqid, err);
      const handle = Buffer.alloc(4);
      handle.writeUInt32BE(next++);
      fds.set(handle.toString('hex'), fd);
      sftp.handle(reqid, handle);
    });
  });
  sftp.on('WRITE', (reqid: number, handle: Buffer, offset: number, data: Buffer) => {
    const fd = fdOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    state.bytesWritten += data.length;
    write(fd, data, 0, data.length, offset, (err) => status(reqid, err));
  });
  sftp.on('READ', (reqid: number, handle: Buffer, offset: number, length: number) => {
    const fd = fdOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    const buf = Buffer.alloc(length);
    read(fd, buf, 0, length, offset, (err, bytesRead) => {
      if (err) return status(reqid, err);
      if (bytesRead === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      sftp.data(reqid, buf.subarray(0, bytesRead));
    });
  });
  sftp.on('FSTAT', (reqid: number, handle: Buffer) => {
    const fd = fdOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    fstat(fd, (err, st) => {
      if (err) return status(reqid, err);
      sftp.attrs(reqid, { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: st.atimeMs / 1000, mtime: st.mtimeMs / 1000 });
    });
  });
  sftp.on('CLOSE', (reqid: number, handle: Buffer) => {
    const fd = fdOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    fds.delete(handle.toString('hex'));
    close(fd, (err) => status(reqid, err));
  });
  sftp.on('RENAME', (reqid: number, oldPath: string, newPath: string) => rename(oldPath, newPath, (err) => status(reqid, err)));
  sftp.on('REMOVE', (reqid: number, path: string) => unlink(path, (err) => status(reqid, err)));
  sftp.on('close', () => {
    for (const fd of fds.values()) closeSync(fd);
  });
}

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../src/drivers/known-hosts.ts';
import { parseMeminfo } from '../../src/drivers/proc-load.ts';
import { HostKeyError, SshError, SshSession } from '../../src/drivers/ssh.ts';
import { type TestSshServer, generateEd25519, publicBlob, startTestSshServer } from './helpers/ssh-test-server.ts';

const hostKey = generateEd25519();
const otherHostKey = generateEd25519();
const clientKey = generateEd25519();

function knownHostsFor(port: number, key = hostKey): KnownHosts {
  return KnownHosts.fromText(`[127.0.0.1]:${port} ssh-ed25519 ${publicBlob(key.public).toString('base64')}\n`);
}

describe('the SSH driver against an in-process server on 127.0.0.1', () => {
  let server: TestSshServer;
  let dir: string;
  let session: SshSession | null = null;

  const connect = (knownHosts: KnownHosts, privateKey = clientKey.private): Promise<SshSession> =>
    SshSession.connect({ host: '127.0.0.1', port: server.port, username: 'dbss', privateKey, knownHosts, timeoutMs: 5000 });

  beforeAll(async () => {
    server = await startTestSshServer(hostKey, clientKey.public);
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbss-ssh-'));
    server.stall = false;
  });
  afterEach(async () => {
    session?.close();
    session = null;
    await rm(dir, { recursive: true, force: true });
  });

  it('connects with the known host key and runs a command whose arguments reach it literally', async () => {
    session = await connect(knownHostsFor(server.port));
    const hostile = [`it's`, `$(touch ${dir}/pwned1)`, `; touch ${dir}/pwned2`, '`id`', '*'];

    const result = await session.exec(['printf', '%s\\n', ...hostile], { timeoutMs: 5000 });

    expect(result).toEqual({ exitCode: 0, signal: null, stdout: `${hostile.join('\n')}\n`, stderr: '' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('returns the exit status of a failing remote command', async () => {
    session = await connect(knownHostsFor(server.port));

    const result = await session.exec(['ls', join(dir, 'missing')], { timeoutMs: 5000 });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/No such file/);
  });

  it('writes a management file atomically over SFTP, replacing the old one and leaving no temporary file', async () => {
    const path = join(dir, 'group');
    await writeFile(path, '1 Mail Mail.dat\n');
    session = await connect(knownHostsFor(server.port));

    await session.putFileAtomic(path, '1 Mail Mail.dat\n2 FTP FTP.dat\n', { timeoutMs: 5000 });

    expect(await readFile(path, 'utf8')).toBe('1 Mail Mail.dat\n2 FTP FTP.dat\n');
    expect(await readdir(dir)).toEqual(['group']);
    expect((await session.getFile(path, { timeoutMs: 5000 })).toString()).toBe('1 Mail Mail.dat\n2 FTP FTP.dat\n');
  });

  it('reads a /proc file, whose size reads as zero, through the load reader', async () => {
    session = await connect(knownHostsFor(server.port));

    const text = await session.procReader(5000)('/proc/meminfo');

    expect(parseMeminfo(text)).toBeGreaterThan(0);
  });

  it('stops a transfer before any data is sent when the host key has changed', async () => {
    const path = join(dir, 'flag');
    const before = { auth: server.authAttempts, channels: server.channelsOpened, bytes: server.bytesWritten };

    const error = await connect(knownHostsFor(server.port, otherHostKey)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HostKeyError);
    expect((error as Error).message).toMatch(new RegExp(`^HOST KEY CHANGED for \\[127\\.0\\.0\\.1\\]:${server.port}`));
    expect(server.authAttempts).toBe(before.auth);
    expect(server.channelsOpened).toBe(before.channels);
    expect(server.bytesWritten).toBe(before.bytes);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a host missing from known_hosts without opening a connection', async () => {
    const connectionsBefore = server.connections;
    const knownOtherPort = KnownHosts.fromText(`[127.0.0.1]:1 ssh-ed25519 ${publicBlob(hostKey.public).toString('base64')}\n`);

    await expect(connect(knownOtherPort)).rejects.toThrow(HostKeyError);
    await expect(connect(knownOtherPort)).rejects.toThrow(/is not in known_hosts; refusing to connect/);
    expect(server.connections).toBe(connectionsBefore);
  });

  it('fails authentication with a key the server does not accept', async () => {
    const error = await connect(knownHostsFor(server.port), generateEd25519().private).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SshError);
    expect((error as Error).message).toMatch(/authentication/i);
  });

  it('gives up on an SFTP request the server never answers and removes nothing it did not write', async () => {
    session = await connect(knownHostsFor(server.port));
    server.stall = true;

    await expect(session.putFileAtomic(join(dir, 'group'), 'x\n', { timeoutMs: 300 })).rejects.toThrow(/no answer within 300 ms/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a remote path or user that is not plain, before connecting or sending', async () => {
    session = await connect(knownHostsFor(server.port));

    await expect(session.putFileAtomic('relative/group', 'x', { timeoutMs: 1000 })).rejects.toThrow(/invalid remote file path/);
    await expect(session.getFile(`${dir}/../etc/passwd`, { timeoutMs: 1000 })).rejects.toThrow(/invalid remote file path/);
    await expect(
      SshSession.connect({ host: '127.0.0.1', port: server.port, username: 'root;id', privateKey: clientKey.private, knownHosts: knownHostsFor(server.port), timeoutMs: 1000 }),
    ).rejects.toThrow(/invalid SSH user/);
    await expect(
      SshSession.connect({ host: '127.0.0.1 -oProxyCommand=x', username: 'dbss', privateKey: clientKey.private, knownHosts: knownHostsFor(server.port), timeoutMs: 1000 }),
    ).rejects.toThrow(/invalid SSH host/);
    await expect(session.exec(['ls; id'], { timeoutMs: 1000 })).rejects.toThrow(/invalid remote program/);
  });
});

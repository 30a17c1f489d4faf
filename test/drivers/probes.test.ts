import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecError } from '../../src/drivers/exec.ts';
import {
  NETWORK_EXAMINATION_TIMEOUT_MS,
  SERVICE_EXAMINATION_TIMEOUT_MS,
  checkFtp,
  checkHttp,
  checkProxy,
  checkService,
  checkSmtp,
  checkSsh,
  pingHost,
  tcpConnect,
} from '../../src/drivers/probes.ts';
import { type FakeBin, makeFakeBin } from './helpers/fake-bin.ts';

const servers: Server[] = [];
const sockets = new Set<Socket>();

/** listen starts a tiny TCP server on an ephemeral port of 127.0.0.1 and records what it received. */
async function listen(onConnection: (socket: Socket, received: () => string) => void): Promise<{ port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    let text = '';
    const index = received.push('') - 1;
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      received[index] = text;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket, () => text);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received };
}

/** refusedPort returns a port of 127.0.0.1 on which nothing listens. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** answerAfterRequest writes reply once the client has sent a blank line (the end of an HTTP request). */
function answerAfterRequest(reply: string) {
  return (socket: Socket, received: () => string): void => {
    socket.on('data', () => {
      if (received().includes('\r\n\r\n')) socket.end(reply);
    });
  };
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('service examination', () => {
  it('uses the waits of Table 1 as defaults', () => {
    expect(NETWORK_EXAMINATION_TIMEOUT_MS).toBe(2000);
    expect(SERVICE_EXAMINATION_TIMEOUT_MS).toBe(3000);
  });

  it('finds an FTP server healthy on its 220 greeting and says QUIT', async () => {
    const server = await listen((socket) => socket.write('220 (vsFTPd 3.0.5)\r\n'));

    const result = await checkFtp('127.0.0.1', server.port);

    expect(result).toMatchObject({ ok: true, detail: 'FTP: 220 (vsFTPd 3.0.5)' });
    expect(result.elapsedMs).toBeLessThan(1000);
    await expect.poll(() => server.received[0]).toBe('QUIT\r\n');
  });

  it('accepts a multi-line FTP greeting', async () => {
    const server = await listen((socket) => socket.write('220-Welcome to the lab\r\n220 ready\r\n'));

    expect((await checkFtp('127.0.0.1', server.port)).ok).toBe(true);
  });

  it('finds an FTP server that greets with 421 not healthy', async () => {
    const server = await listen((socket) => socket.end('421 Too many users, try later\r\n'));

    expect(await checkFtp('127.0.0.1', server.port)).toMatchObject({ ok: false, detail: 'FTP: 421 Too many users, try later' });
  });

  it('finds an SMTP server healthy on its 220 greeting', async () => {
    const server = await listen((socket) => socket.write('220 mail.lab ESMTP Postfix\r\n'));

    expect(await checkSmtp('127.0.0.1', server.port)).toMatchObject({ ok: true });
  });

  it('finds an HTTP server healthy on a status below 500 and sends a well-formed request', async () => {
    const server = await listen(answerAfterRequest('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'));

    const result = await checkHttp('127.0.0.1', server.port);

    expect(result).toMatchObject({ ok: true, detail: 'HTTP: HTTP/1.1 404 Not Found' });
    expect(server.received[0]).toMatch(/^GET \/ HTTP\/1\.0\r\nHost: 127\.0\.0\.1\r\n/);
  });

  it('finds an HTTP server that answers 503 not healthy', async () => {
    const server = await listen(answerAfterRequest('HTTP/1.1 503 Service Unavailable\r\n\r\n'));

    expect(await checkHttp('127.0.0.1', server.port)).toMatchObject({ ok: false });
  });

  it('finds an SSH server healthy on an SSH-2.0 identification string, after other lines', async () => {
    const server = await listen((socket) => socket.write('Authorised use only\r\nSSH-2.0-OpenSSH_9.6p1 Debian-3\r\n'));

    expect(await checkSsh('127.0.0.1', server.port)).toMatchObject({ ok: true, detail: 'SSH: SSH-2.0-OpenSSH_9.6p1 Debian-3' });
  });

  it('finds an SSH-1 only server not healthy', async () => {
    const server = await listen((socket) => socket.write('SSH-1.5-ancient\r\n'));

    expect((await checkSsh('127.0.0.1', server.port)).ok).toBe(false);
  });

  it('finds a proxy healthy when it answers an absolute-URI request with any status line', async () => {
    const server = await listen(answerAfterRequest('HTTP/1.1 503 Service Unavailable\r\nServer: squid\r\n\r\n'));

    const result = await checkProxy('127.0.0.1', server.port, { targetHost: '198.18.1.5' });

    expect(result).toMatchObject({ ok: true, detail: 'proxy: HTTP/1.1 503 Service Unavailable' });
    expect(server.received[0]).toMatch(/^GET http:\/\/198\.18\.1\.5\/ HTTP\/1\.0\r\n/);
  });

  it('finds a proxy port that answers with something other than HTTP not healthy', async () => {
    const server = await listen(answerAfterRequest('220 this is an FTP server\r\n'));

    expect((await checkProxy('127.0.0.1', server.port)).ok).toBe(false);
  });

  it('gives up on a server that accepts but never answers, after the timeout', async () => {
    const server = await listen(() => undefined);

    const result = await checkFtp('127.0.0.1', server.port, { timeoutMs: 300 });

    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/no answer within 300 ms/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(result.elapsedMs).toBeLessThan(2000);
  });

  it('reports a refused port at once as not healthy, without throwing', async () => {
    const port = await refusedPort();

    const result = await checkSmtp('127.0.0.1', port, { timeoutMs: 3000 });

    expect(result).toMatchObject({ ok: false, detail: 'connection failed: ECONNREFUSED' });
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it('reports a server that closes without a word as not healthy', async () => {
    const server = await listen((socket) => socket.end());

    expect(await checkFtp('127.0.0.1', server.port)).toMatchObject({ ok: false, detail: expect.stringMatching(/closed before answering/) });
  });

  it('dispatches a service kind to its check', async () => {
    const server = await listen((socket) => socket.write('SSH-2.0-dropbear\r\n'));

    expect((await checkService('ssh', '127.0.0.1', { port: server.port })).ok).toBe(true);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const server = await listen(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('agent stopping')), 50);

    await expect(checkFtp('127.0.0.1', server.port, { signal: controller.signal })).rejects.toThrow('agent stopping');
  });

  it('refuses an address carrying shell metacharacters before connecting', () => {
    expect(() => checkHttp('127.0.0.1;reboot', 80)).toThrow(/invalid probe address/);
    expect(() => checkFtp('$(id)', 21)).toThrow(/invalid probe address/);
  });
});

describe('TCP connect examination', () => {
  it('succeeds when the port accepts a connection', async () => {
    const server = await listen(() => undefined);

    expect(await tcpConnect('127.0.0.1', server.port)).toMatchObject({ ok: true });
  });

  it('fails without throwing on a refused port', async () => {
    expect(await tcpConnect('127.0.0.1', await refusedPort())).toMatchObject({ ok: false, detail: 'connection failed: ECONNREFUSED' });
  });
});

describe('network examination through ping', () => {
  let bin: FakeBin;
  beforeEach(async () => {
    bin = await makeFakeBin();
  });
  afterEach(async () => {
    await bin.cleanup();
  });

  const fakePing = (status: number, stdout: string): string =>
    `#!/bin/sh\nprintf '%s\\n' "$*" >> "$FAKEBIN_DIR/ping.calls"\nprintf '%s' '${stdout}'\nexit ${status}\n`;

  it('runs ping once with a whole-second wait and no name lookups, and reports the reply', async () => {
    await bin.add('ping', fakePing(0, 'PING 198.18.1.3 56(84) bytes of data.\n64 bytes from 198.18.1.3: icmp_seq=1 ttl=64 time=0.045 ms\n'));

    const result = await pingHost('198.18.1.3', { env: bin.env });

    expect(result).toMatchObject({ ok: true, detail: '64 bytes from 198.18.1.3: icmp_seq=1 ttl=64 time=0.045 ms' });
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(`${bin.dir}/ping.calls`, 'utf8')).toBe('-c 1 -W 2 -n 198.18.1.3\n');
  });

  it('rounds a fractional wait up to whole seconds', async () => {
    await bin.add('ping', fakePing(0, ''));

    await pingHost('198.18.1.3', { env: bin.env, timeoutMs: 1500 });

    const { readFile } = await import('node:fs/promises');
    expect(await readFile(`${bin.dir}/ping.calls`, 'utf8')).toBe('-c 1 -W 2 -n 198.18.1.3\n');
  });

  it('reports no reply (status 1) as a down network, not an error', async () => {
    await bin.add('ping', fakePing(1, ''));

    expect(await pingHost('198.18.1.3', { env: bin.env })).toMatchObject({ ok: false, detail: 'no reply from 198.18.1.3 within 2 s' });
  });

  it('says clearly that ping is not installed instead of calling every target down', async () => {
    const error = await pingHost('198.18.1.3', { env: { PATH: bin.dir } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecError);
    expect((error as Error).message).toMatch(/ping is not installed \(Debian: iputils-ping\)/);
  });

  it('refuses an address carrying shell metacharacters before running ping', async () => {
    await bin.add('ping', fakePing(0, ''));

    await expect(pingHost('198.18.1.3; rm -rf /', { env: bin.env })).rejects.toThrow(/invalid ping address/);
    await expect(pingHost('-f', { env: bin.env })).rejects.toThrow(/invalid ping address/);
    expect(await bin.calls('ping')).toEqual([]);
  });
});

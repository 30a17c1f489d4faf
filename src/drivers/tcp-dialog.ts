// A short TCP conversation with a timeout: connect, optionally say one thing, read until the
// answer can be judged. The service checks of probes.ts are built on it.
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isHostName, isIpv4 } from '../core/model/validate.ts';
import { assertCallOptions, type CallOptions } from './exec.ts';

/** ProbeResult is what every examination returns; a down service is ok: false, never an exception. */
export interface ProbeResult {
  ok: boolean;
  elapsedMs: number;
  detail: string;
}

/** Judgement is a verdict on what a server said so far, or null to keep reading. */
export type Judgement = { ok: boolean; detail: string } | null;

export interface DialogOptions extends CallOptions {
  /** send is written as soon as the connection is up (a request); omit it for banner protocols. */
  send?: string;
  /** farewell is written after a verdict, before closing (QUIT for FTP and SMTP). */
  farewell?: string;
  /** maxBytes bounds what is read before giving up on an answer that never becomes judgeable. */
  maxBytes?: number;
  /** connected, when given, judges the connection itself as soon as it is up (a bare port check). */
  connected?: () => Judgement;
}

/** assertProbeTarget refuses an address that is neither an IPv4 address nor a host name, and a bad port. */
export function assertProbeTarget(address: string, port: number): void {
  if (!isIpv4(address) && !isHostName(address)) throw new TypeError(`invalid probe address ${JSON.stringify(address)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid TCP port ${port}`);
}

/**
 * tcpDialog connects to address:port and feeds everything received to judge until it returns a
 * verdict. A refused connection, a reset, a close before a verdict or the timeout give ok: false
 * with the reason in detail. Only the caller's abort rejects, with the signal's reason: the
 * caller asked to stop, and no verdict about the service exists.
 */
export function tcpDialog(address: string, port: number, judge: (received: string) => Judgement, opts: DialogOptions): Promise<ProbeResult> {
  assertCallOptions(opts);
  assertProbeTarget(address, port);
  const maxBytes = opts.maxBytes ?? 8192;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted === true) {
      reject(opts.signal.reason);
      return;
    }
    const startedMs = performance.now();
    const socket = new Socket();
    let received = '';
    let settled = false;
    const finish = (ok: boolean, detail: string, farewell?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (farewell !== undefined && socket.writable) socket.end(farewell);
      else socket.destroy();
      // A farewell that the server never reads must not keep the socket open.
      setTimeout(() => socket.destroy(), 1000).unref();
      resolve({ ok, elapsedMs: performance.now() - startedMs, detail });
    };
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(opts.signal?.reason);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let isConnected = false;
    const timer = setTimeout(() => {
      if (!isConnected) return finish(false, `no connection within ${opts.timeoutMs} ms`);
      const said = received === '' ? 'nothing' : JSON.stringify(received.slice(0, 200));
      finish(false, `no answer within ${opts.timeoutMs} ms (received ${said})`);
    }, opts.timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      isConnected = true;
      const verdict = opts.connected?.() ?? null;
      if (verdict !== null) return finish(verdict.ok, verdict.detail);
      if (opts.send !== undefined) socket.write(opts.send);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const verdict = judge(received);
      if (verdict !== null) finish(verdict.ok, verdict.detail, verdict.ok ? opts.farewell : undefined);
      else if (received.length > maxBytes) finish(false, `no recognisable answer in the first ${maxBytes} bytes`);
    });
    socket.on('end', () => finish(false, `closed before answering (received ${JSON.stringify(received.slice(0, 200))})`));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(false, `connection failed: ${err.code ?? err.message}`));
    socket.on('close', () => finish(false, 'connection closed'));
    socket.connect({ host: address, port });
  });
}

/** firstLine returns the first complete line (CRLF or LF) of text, or null while it is still incomplete. */
export function firstLine(text: string): string | null {
  const end = text.indexOf('\n');
  if (end < 0) return null;
  return text.slice(0, end).replace(/\r$/, '');
}

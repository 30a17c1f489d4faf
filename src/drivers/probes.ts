// Network and service examination of a target server (Sec. 2.1, Fig. 1): ICMP through the
// system ping, a TCP connect, and checks that speak each service's protocol far enough to know
// it works. Defaults are the waits of Table 1.
import { performance } from 'node:perf_hooks';
import { isHostName, isIpv4 } from '../core/model/validate.ts';
import { ExecError, type ExecOptions, runProgramStatus } from './exec.ts';
import { type ProbeResult, assertProbeTarget, firstLine, tcpDialog } from './tcp-dialog.ts';

export type { ProbeResult };

/** NETWORK_EXAMINATION_TIMEOUT_MS is Table 1's network examination time when the network is down (Tnd). */
export const NETWORK_EXAMINATION_TIMEOUT_MS = 2000;
/** SERVICE_EXAMINATION_TIMEOUT_MS is Table 1's maximum wait for a service examination. */
export const SERVICE_EXAMINATION_TIMEOUT_MS = 3000;

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * pingHost sends one ICMP echo through the system ping (`ping -c 1 -W s -n address`), which needs
 * no privileges of ours. No reply within the wait is ok: false. A missing ping is thrown as an
 * ExecError: reporting every target as down because a package is not installed would make the
 * ring fail over healthy servers.
 */
export async function pingHost(address: string, opts: ProbeOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<ProbeResult> {
  if (!isIpv4(address) && !isHostName(address)) throw new TypeError(`invalid ping address ${JSON.stringify(address)}`);
  const timeoutMs = opts.timeoutMs ?? NETWORK_EXAMINATION_TIMEOUT_MS;
  // iputils before 2019 takes whole seconds for -W; round up so that the wait is never shorter.
  const waitS = Math.max(1, Math.ceil(timeoutMs / 1000));
  const execOpts: ExecOptions = {
    timeoutMs: waitS * 1000 + 1000,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
  };
  const startedMs = performance.now();
  try {
    const result = await runProgramStatus('ping', ['-c', '1', '-W', String(waitS), '-n', address], execOpts);
    const elapsedMs = performance.now() - startedMs;
    if (result.exitCode === 0) return { ok: true, elapsedMs, detail: replyLine(result.stdout) };
    if (result.exitCode === 1) return { ok: false, elapsedMs, detail: `no reply from ${address} within ${waitS} s` };
    return { ok: false, elapsedMs, detail: `ping failed (status ${result.exitCode}): ${result.stderr.trim()}` };
  } catch (error) {
    if (error instanceof ExecError && error.failure === 'missing') {
      throw new ExecError('ping', error.args, 'missing', null, '', '', 'ping is not installed (Debian: iputils-ping); the network examination cannot run');
    }
    if (error instanceof ExecError && error.failure === 'timeout') {
      return { ok: false, elapsedMs: performance.now() - startedMs, detail: error.message };
    }
    throw error;
  }
}

function replyLine(stdout: string): string {
  return stdout.split('\n').find((line) => line.includes('bytes from')) ?? 'reply received';
}

/** tcpConnect examines whether address:port accepts a connection, without speaking to it. */
export function tcpConnect(address: string, port: number, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const verdict = { ok: true, detail: `connected to ${address}:${port}` };
  return tcpDialog(address, port, () => null, { ...withDefaults(opts), connected: () => verdict });
}

function withDefaults(opts: ProbeOptions): { timeoutMs: number; signal?: AbortSignal } {
  return { timeoutMs: opts.timeoutMs ?? SERVICE_EXAMINATION_TIMEOUT_MS, ...(opts.signal === undefined ? {} : { signal: opts.signal }) };
}

/** greeting220 judges FTP and SMTP greetings: a 220 reply means ready (RFC 959, RFC 5321); 421 and others mean not. */
function greeting220(protocol: string): (received: string) => { ok: boolean; detail: string } | null {
  return (received) => {
    const line = firstLine(received);
    if (line === null) return null;
    const m = /^(\d{3})[ -]/.exec(line);
    if (m === null) return { ok: false, detail: `${protocol}: not a reply line: ${JSON.stringify(line.slice(0, 200))}` };
    return { ok: m[1] === '220', detail: `${protocol}: ${line.slice(0, 200)}` };
  };
}

/** checkFtp waits for the FTP server's 220 greeting (vsftpd in the paper's FTP server). */
export function checkFtp(address: string, port = 21, opts: ProbeOptions = {}): Promise<ProbeResult> {
  return tcpDialog(address, port, greeting220('FTP'), { ...withDefaults(opts), farewell: 'QUIT\r\n' });
}

/** checkSmtp waits for the SMTP server's 220 greeting (postfix in the paper's Mail server). */
export function checkSmtp(address: string, port = 25, opts: ProbeOptions = {}): Promise<ProbeResult> {
  return tcpDialog(address, port, greeting220('SMTP'), { ...withDefaults(opts), farewell: 'QUIT\r\n' });
}

/**
 * checkSsh waits for the identification string "SSH-2.0-..." (RFC 4253 Sec. 4.2; "SSH-1.99-" also
 * speaks 2.0). The server may send other lines first, which are skipped.
 */
export function checkSsh(address: string, port = 22, opts: ProbeOptions = {}): Promise<ProbeResult> {
  return tcpDialog(
    address,
    port,
    (received) => {
      for (const raw of received.split('\n').slice(0, -1)) {
        const line = raw.replace(/\r$/, '');
        if (line.startsWith('SSH-')) {
          const ok = line.startsWith('SSH-2.0-') || line.startsWith('SSH-1.99-');
          return { ok, detail: `SSH: ${line.slice(0, 255)}` };
        }
      }
      return null;
    },
    { ...withDefaults(opts), maxBytes: 4096 },
  );
}

function statusLine(protocol: string, acceptStatus: (status: number) => boolean): (received: string) => { ok: boolean; detail: string } | null {
  return (received) => {
    const line = firstLine(received);
    if (line === null) return null;
    const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(line);
    if (m === null) return { ok: false, detail: `${protocol}: not an HTTP status line: ${JSON.stringify(line.slice(0, 200))}` };
    return { ok: acceptStatus(Number(m[1])), detail: `${protocol}: ${line.slice(0, 200)}` };
  };
}

/** checkHttp asks for / and accepts any status below 500: a 404 or a redirect still shows a working server (Apache in the paper). */
export function checkHttp(address: string, port = 80, opts: ProbeOptions & { hostHeader?: string } = {}): Promise<ProbeResult> {
  assertProbeTarget(address, port);
  const host = opts.hostHeader ?? address;
  if (!isIpv4(host) && !isHostName(host)) throw new TypeError(`invalid Host header ${JSON.stringify(host)}`);
  const send = `GET / HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: dbss-probe\r\nConnection: close\r\n\r\n`;
  return tcpDialog(address, port, statusLine('HTTP', (status) => status < 500), { ...withDefaults(opts), send });
}

/**
 * checkProxy sends `GET http://<targetHost>/ HTTP/1.0` to the proxy (squid in the paper) and
 * accepts any HTTP status line: a 502 or 503 about an unreachable origin is still an answer from
 * a working proxy, and the origin is not the server under examination.
 */
export function checkProxy(address: string, port = 3128, opts: ProbeOptions & { targetHost?: string } = {}): Promise<ProbeResult> {
  assertProbeTarget(address, port);
  const target = opts.targetHost ?? address;
  if (!isIpv4(target) && !isHostName(target)) throw new TypeError(`invalid proxy target ${JSON.stringify(target)}`);
  const send = `GET http://${target}/ HTTP/1.0\r\nHost: ${target}\r\nUser-Agent: dbss-probe\r\n\r\n`;
  return tcpDialog(address, port, statusLine('proxy', () => true), { ...withDefaults(opts), send });
}

/** ServiceKind is a protocol that a service check speaks. */
export type ServiceKind = 'ftp' | 'smtp' | 'http' | 'ssh' | 'proxy';

/** SERVICE_OF_DAEMON maps the daemons of the management data (Fig. 4, line 5) to the check that examines them. */
export const SERVICE_OF_DAEMON: Readonly<Record<string, ServiceKind>> = {
  vsftpd: 'ftp',
  proftpd: 'ftp',
  postfix: 'smtp',
  sendmail: 'smtp',
  exim4: 'smtp',
  sshd: 'ssh',
  ssh: 'ssh',
  httpd: 'http',
  apache2: 'http',
  nginx: 'http',
  squid: 'proxy',
};

/** checkService runs the check for kind on its default port unless port is given. */
export function checkService(kind: ServiceKind, address: string, opts: ProbeOptions & { port?: number } = {}): Promise<ProbeResult> {
  switch (kind) {
    case 'ftp':
      return checkFtp(address, opts.port ?? 21, opts);
    case 'smtp':
      return checkSmtp(address, opts.port ?? 25, opts);
    case 'http':
      return checkHttp(address, opts.port ?? 80, opts);
    case 'ssh':
      return checkSsh(address, opts.port ?? 22, opts);
    case 'proxy':
      return checkProxy(address, opts.port ?? 3128, opts);
  }
}

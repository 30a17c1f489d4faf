// sd_notify(3) for the agent under systemd (Type=notify): READY=1 once it runs, WATCHDOG=1 at
// half of WATCHDOG_USEC, STOPPING=1 on the way out. The protocol is one datagram of
// "VARIABLE=value" lines to the Unix datagram socket in NOTIFY_SOCKET, which Node cannot send
// (dgram speaks UDP only, net streams only), so the message goes through systemd-notify(1), run
// with execFile and an argument array. Because systemd-notify is a child process, the unit needs
// NotifyAccess=all; systemd-notify waits (BARRIER=1, systemd >= 246) until the manager has read
// the message, so that the manager still finds the sender in the unit's cgroup.
import { isSafeAbsolutePath } from './paths.ts';
import { runProgram } from './exec.ts';

/** NOTIFY_TIMEOUT_MS bounds one systemd-notify; its barrier waits for the manager to read. */
const NOTIFY_TIMEOUT_MS = 10_000;
/** ABSTRACT_RE is an abstract socket name as systemd hands it out ("@/org/freedesktop/systemd1/notify/..."). */
const ABSTRACT_RE = /^@[A-Za-z0-9._\/-]{1,106}$/;
/** ASSIGNMENT_RE is one sd_notify variable: upper-case name, a value on one line. */
const ASSIGNMENT_RE = /^[A-Z][A-Z_]*=[^\n\0]{0,1000}$/;

/** notifySocketOf is NOTIFY_SOCKET when it is a socket path or an abstract name, else null (not run by systemd, or a value refused). */
export function notifySocketOf(env: NodeJS.ProcessEnv): string | null {
  const socket = env.NOTIFY_SOCKET;
  if (socket === undefined || socket === '') return null;
  if (ABSTRACT_RE.test(socket)) return socket;
  return isSafeAbsolutePath(socket) && Buffer.byteLength(socket) <= 107 ? socket : null;
}

/**
 * watchdogIntervalMs is how often WATCHDOG=1 is due: half of WATCHDOG_USEC (sd_watchdog_enabled(3)),
 * or null when systemd asks for none, or asks another process (WATCHDOG_PID).
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = env.WATCHDOG_USEC;
  if (usec === undefined || !/^[1-9][0-9]{0,15}$/.test(usec)) return null;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== String(pid)) return null;
  return Math.max(1, Math.floor(Number(usec) / 2000));
}

/** SdNotify sends sd_notify messages to one socket. */
export class SdNotify {
  constructor(
    readonly socket: string,
    private readonly program = 'systemd-notify',
  ) {
    if (notifySocketOf({ NOTIFY_SOCKET: socket }) === null) throw new TypeError(`invalid NOTIFY_SOCKET ${JSON.stringify(socket)}`);
  }

  /** fromEnv is the notifier systemd asked for, or null when the agent was not started by a Type=notify unit. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): SdNotify | null {
    const socket = notifySocketOf(env);
    return socket === null ? null : new SdNotify(socket);
  }

  /** notify sends the assignments as one message, e.g. notify('READY=1', 'STATUS=managing FTP'); it rejects with the ExecError. */
  async notify(...assignments: string[]): Promise<void> {
    if (assignments.length === 0 || assignments.some((a) => !ASSIGNMENT_RE.test(a))) throw new TypeError(`invalid sd_notify message ${JSON.stringify(assignments)}`);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NOTIFY_SOCKET: this.socket };
    await runProgram(this.program, assignments, { timeoutMs: NOTIFY_TIMEOUT_MS, env });
  }
}

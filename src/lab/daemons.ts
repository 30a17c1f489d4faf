// Long-running lab processes (sshd, chronyd, the services, the power controller), each started
// inside a namespace and tracked by a pid file under the lab directory. They outlive the `dbss
// lab up` that started them, so spawn (no shell, an argument array) replaces execFile here,
// which would wait for them to end. `down` kills them by pid file and by namespace.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { assertSafeAbsolutePath } from '../drivers/paths.ts';
import { assertNamespace, namespacePids } from './netns.ts';

const ROLE_RE = /^[a-z0-9][a-z0-9.-]{0,40}$/;

/** START_CHECK_MS is how long a new daemon must stay alive to count as started: a bad config or a taken port ends it sooner. */
const START_CHECK_MS = 150;

/** DaemonSpec is a process to start in a namespace, known by a role such as "mail.sshd". */
export interface DaemonSpec {
  ns: string;
  role: string;
  program: string;
  args: readonly string[];
  pidDir: string;
  logDir: string;
}

export function pidFileOf(pidDir: string, role: string): string {
  if (!ROLE_RE.test(role)) throw new TypeError(`invalid daemon role ${JSON.stringify(role)}`);
  return join(pidDir, `${role}.pid`);
}

/**
 * startDaemon starts spec.program in spec.ns through `ip netns exec` (which execs the program,
 * so the pid is the daemon's), appends its output to logs/<role>.log and writes its pid file.
 * It waits a moment and throws if the process has already died, with the end of its log.
 */
export async function startDaemon(spec: DaemonSpec): Promise<number> {
  assertNamespace(spec.ns);
  assertSafeAbsolutePath(spec.program, 'daemon program');
  const logPath = join(spec.logDir, `${spec.role}.log`);
  const pidPath = pidFileOf(spec.pidDir, spec.role);
  const logFd = openSync(logPath, 'a', 0o640);
  let pid: number | undefined;
  let exited: string | null = null;
  try {
    const child = spawn('ip', ['netns', 'exec', spec.ns, spec.program, ...spec.args], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `status ${code}`}`;
    });
    child.once('error', (error) => {
      exited = error.message;
    });
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(logFd);
  }
  if (pid === undefined) throw new Error(`${spec.role}: could not start ${spec.program}`);
  await writeFileAtomic(pidPath, `${pid}\n`);
  await new Promise((resolve) => setTimeout(resolve, START_CHECK_MS));
  if (exited !== null) {
    const tail = (await readFile(logPath, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${spec.role}: ${spec.program} ${exited} at start: ${tail}`);
  }
  return pid;
}

/** readPidFile reads a pid file; a missing or garbled one is null. */
export async function readPidFile(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 1 ? pid : null;
}

/** isAlive says whether pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** commandLineOf reads /proc/<pid>/cmdline with NULs as spaces; a gone process gives "". */
export async function commandLineOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
}

/**
 * stopDaemon kills the process of role and removes its pid file. The pid is only killed when
 * its command line still mentions the lab directory: a pid reused by an unrelated process after
 * a reboot of the host must never be killed.
 */
export async function stopDaemon(pidDir: string, role: string, labDir: string): Promise<boolean> {
  const path = pidFileOf(pidDir, role);
  const pid = await readPidFile(path);
  let killed = false;
  if (pid !== null && (await commandLineOf(pid)).includes(labDir)) {
    killed = await killAndWait([pid]);
  }
  await unlink(path).catch(() => undefined);
  return killed;
}

/** isDaemonRunning says whether role's pid file names a live process of this lab. */
export async function isDaemonRunning(pidDir: string, role: string, labDir: string): Promise<boolean> {
  const pid = await readPidFile(pidFileOf(pidDir, role));
  return pid !== null && isAlive(pid) && (await commandLineOf(pid)).includes(labDir);
}

/** KILL_WAIT_MS bounds how long a SIGKILLed process may take to disappear. */
const KILL_WAIT_MS = 5000;

/** killAndWait sends SIGKILL to pids and waits until they are gone (zombies of ours are reaped by init). */
export async function killAndWait(pids: readonly number[]): Promise<boolean> {
  let any = false;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      any = true;
    } catch {
      // already gone
    }
  }
  const deadlineMs = Date.now() + KILL_WAIT_MS;
  while (pids.some((pid) => isAlive(pid) && !isZombie(pid)) && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return any;
}

function isZombie(pid: number): boolean {
  try {
    // A synchronous read keeps the poll loop simple; /proc reads do not block.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return / Z /.test(stat.slice(stat.lastIndexOf(')')));
  } catch {
    return true;
  }
}

/**
 * killNamespace kills every process in ns (`ip netns pids`), repeating until none is left, so
 * that a powered-off server answers nothing and a namespace can be deleted with nothing in it.
 */
export async function killNamespace(ns: string): Promise<number> {
  assertNamespace(ns);
  let killed = 0;
  for (let round = 0; round < 10; round += 1) {
    const pids = await namespacePids(ns);
    if (pids.length === 0) return killed;
    killed += pids.length;
    await killAndWait(pids);
  }
  const left = await namespacePids(ns);
  if (left.length > 0) throw new Error(`processes ${left.join(', ')} in ${ns} survive SIGKILL`);
  return killed;
}

/** removePidFiles deletes the pid files whose role starts with prefix (all when prefix is ""). */
export async function removePidFiles(pidDir: string, prefix: string): Promise<void> {
  const names = await readdir(pidDir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.endsWith('.pid') && name.startsWith(prefix)) await unlink(join(pidDir, name)).catch(() => undefined);
  }
}

// The daemon as systemd and an operator see it (issue 13, running it): a real `dbss agent` child
// process (daemon.ts, every address on loopback) tells systemd READY=1, WATCHDOG=1 and
// STOPPING=1 over a real Unix datagram socket, writes journald lines, serves `dbss agent status`
// and /metrics, and reloads agent.yaml on SIGHUP. The tests run in order on one daemon.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DBSS, startDaemon, writeConfigDir, type Daemon } from './daemon.ts';

const run = promisify(execFile);
/** WATCHDOG_USEC of 400 ms: WATCHDOG=1 is due every 200 ms. */
const WATCHDOG_USEC = 400_000;

/** dbss runs the CLI and returns its exit status and output, also when the status is not 0. */
async function dbss(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DBSS, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir = '';
let daemon: Daemon;
/** socketPath is in a directory the daemon makes itself, as stateDir/agent.sock is before a first start. */
const socketPath = (): string => join(dir, 'run', 'status.sock');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-daemon-'));
  await writeConfigDir(dir, ['statusSocket: ' + socketPath(), 'metrics: { address: 127.0.0.1, port: 0 }', 'logFormat: journal'].join('\n'));
  daemon = await startDaemon(dir, WATCHDOG_USEC);
}, 30_000);
afterAll(async () => {
  await daemon?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('dbss agent under systemd', () => {
  test('the daemon tells systemd READY=1 once it runs, then WATCHDOG=1 at half of WATCHDOG_USEC', async () => {
    const ready = await daemon.notified.wait(/READY=1/);
    expect(ready).toContain('STATUS=dbss agent Mail running');
    const at = daemon.notified.all.indexOf(ready);
    await daemon.notified.wait(/^WATCHDOG=1$/, 5000, at);
    const started = Date.now();
    const before = daemon.notified.all.filter((l) => l === 'WATCHDOG=1').length;
    await new Promise((r) => setTimeout(r, 1000));
    const pings = daemon.notified.all.filter((l) => l === 'WATCHDOG=1').length - before;
    // 200 ms apart: about 5 in a second, and never at the full WATCHDOG_USEC (2 or fewer).
    expect(pings, `${pings} pings in ${Date.now() - started} ms`).toBeGreaterThanOrEqual(3);
    expect(pings).toBeLessThanOrEqual(7);
  }, 30_000);

  test('stdout lines carry sd-daemon priority prefixes and no time of their own when logFormat is journal', async () => {
    await daemon.stdout.wait(/Agent_started/);
    const started = daemon.stdout.all.find((l) => l.includes('Agent_started'))!;
    expect(started).toMatch(/^<6>Mail Agent_started Mail pid \d+ hardening /);
    for (const line of daemon.stdout.all) {
      expect(line).toMatch(/^<[3467]>Mail /);
      expect(line).not.toMatch(/\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d/);
    }
    // The log file keeps its JSON Lines with times.
    const file = (await readFile(join(dir, 'log/agent.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { at: string; text: string });
    expect(file.find((r) => r.text.startsWith('Agent_started'))?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 30_000);

  test('dbss agent status --config prints the ring and who manages whom from the running daemon, and --json the snapshot', async () => {
    const text = await dbss('agent', 'status', '--config', dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^dbss agent Mail \(pid \d+\)/);
    expect(text.stdout).toMatch(/^ +1 Mail +running +managed by Web1 .*<- this server$/m);
    expect(text.stdout).toMatch(/^ +2 FTP +running +managed by Mail /m);
    expect(text.stdout).toContain('Program: not running (no flag file); holds the management files');
    const json = await dbss('agent', 'status', '--socket', socketPath(), '--json');
    const snapshot = JSON.parse(json.stdout) as { server: string; pid: number; ring: { server: string; manager: string }[]; program: { running: boolean } };
    expect(snapshot.server).toBe('Mail');
    expect(snapshot.pid).toBe(daemon.child.pid);
    expect(snapshot.ring.map((r) => `${r.manager}->${r.server}`)).toEqual(['Web1->Mail', 'Mail->FTP', 'FTP->Web1']);
    expect(snapshot.program.running).toBe(false);
  }, 30_000);

  test('the metrics endpoint answers on the loopback address agent.yaml names', async () => {
    const line = await daemon.stdout.wait(/Metrics_listening/);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toMatch(/^dbss_ticks_total\{server="Mail"\} \d+$/m);
    expect(body).toMatch(/^dbss_program_running\{server="Mail"\} 0$/m);
    expect(body).toContain('# TYPE dbss_recovery_duration_seconds histogram');
  }, 30_000);

  test('SIGHUP applies a new logLevel and logs that a changed protocol timing needs a restart', async () => {
    const yaml = await readFile(join(dir, 'agent.yaml'), 'utf8');
    await writeFile(join(dir, 'agent.yaml'), `${yaml}logLevel: info\nparameters: { monitorInterval: 20 }\n`);
    const from = daemon.stdout.all.length;
    daemon.child.kill('SIGHUP');
    expect(await daemon.stdout.wait(/Reload logLevel/, 10_000, from)).toBe('<6>Mail Reload logLevel applied');
    await daemon.stdout.wait(/Reload parameters.monitorInterval/, 10_000, from);
    // The parameters that follow the interval (config/agent-dir.ts) change with it; none is applied, logLevel is.
    const reloads = daemon.stdout.all.slice(from).filter((l) => l.includes('Reload '));
    expect(reloads).toContain('<6>Mail Reload parameters.monitorInterval needs_restart');
    expect(reloads.filter((l) => l.includes(' parameters.')).every((l) => l.endsWith(' needs_restart'))).toBe(true);
    expect(reloads.filter((l) => l.endsWith(' applied'))).toEqual(['<6>Mail Reload logLevel applied']);
    // A broken agent.yaml is refused and the running configuration kept.
    await writeFile(join(dir, 'agent.yaml'), `${yaml}logLevel: loud\n`);
    daemon.child.kill('SIGHUP');
    expect(await daemon.stdout.wait(/Reload_refused/, 10_000, from)).toMatch(/^<3>Mail Reload_refused_configuration_kept .*logLevel/);
    expect(daemon.child.exitCode).toBeNull();
  }, 30_000);

  test('SIGTERM sends STOPPING=1 and removes the status socket; dbss agent status then says the agent is not running, exit 3', async () => {
    const from = daemon.notified.all.length;
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    await daemon.notified.wait(/^STOPPING=1$/, 5000, from);
    expect(existsSync(socketPath())).toBe(false);
    const after = await dbss('agent', 'status', '--socket', socketPath());
    expect(after.code).toBe(3);
    expect(after.stdout).toBe('');
    expect(after.stderr).toBe(`dbss agent status: the agent is not running: no status socket at ${socketPath()}\n`);
  }, 30_000);
});

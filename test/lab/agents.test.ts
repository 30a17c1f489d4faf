// The agents on the lab (issue 5, item 4): one `dbss agent` per server of the paper's ring
// (Sec. 5.1, Fig. 13), started by the lab's power controller at every boot, recover St and Nt
// on one server and on two at once. The three times of Sec. 5.2 are measured from the agents'
// system logs and the client's accesses, and printed beside the simulator's prediction for the
// same parameters. Root only (`npm run test:lab`, after `bash test/lab/setup-host.sh`).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commandLineOf, isAlive, killAndWait, pidFileOf, readPidFile, startDaemon } from '../../src/cli/lab/daemons.ts';
import { DEFAULT_SERVERS, labServers, type LabServer } from '../../src/cli/lab/layout.ts';
import { labDown } from '../../src/cli/lab/lab-down.ts';
import { labFault } from '../../src/cli/lab/lab-fault.ts';
import { labUp } from '../../src/cli/lab/lab-up.ts';
import { parseManagementFile, STORED_FILE_NAMES } from '../../src/core/management-files.ts';
import type { TargetTimes } from '../../src/sim/metrics.ts';
import {
  BOOT_DELAY_MS, LAB_DIR, LAB_PARAMS_S, agentCommand, agentDir, agentLog, agentYaml, handOutFlags, measure, paths, predict, prepareAgents, startClient,
  stateDir, systemLog, type Client, type Prediction,
} from './agents-lab.ts';
import { isRoot, leftovers } from './leftovers.ts';

const servers = labServers(DEFAULT_SERVERS);
const byName = (name: string): LabServer => servers.find((s) => s.name === name)!;
const managerOf = (s: LabServer): LabServer => servers[(servers.indexOf(s) + servers.length - 1) % servers.length]!;
const log = (line: string): void => void process.stdout.write(`    lab: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!isRoot()) console.warn('test/lab/agents.test.ts: skipped, the lab needs root (namespaces, bridges, daemons)');

interface Row {
  scenario: string;
  measured: TargetTimes;
  predicted: Prediction | undefined;
}
const rows: Row[] = [];

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1000);
  }
}

/** normalSince tells whether every target's manager has found it normal after sinceUs (Fig. 14 "IPR_is_normal"). */
async function normalSince(sinceUs: number): Promise<boolean> {
  const lines = await systemLog(servers);
  return servers.every((t) => lines.some((l) => l.atUs > sinceUs && l.server === managerOf(t).name && l.text.startsWith(`IPR_is_normal ${t.name} `)));
}

/** diskFiles reads one agent's management files from its state directory (null in standby). */
async function diskFiles(s: LabServer): Promise<Record<string, string[]> | null> {
  const out: Record<string, string[]> = {};
  for (const name of STORED_FILE_NAMES) {
    const text = await readFile(join(stateDir(s), name), 'utf8').catch(() => null);
    if (text === null) return null;
    out[name] = parseManagementFile(name, text, name);
  }
  return out;
}

/**
 * converged: every agent holds the files of a whole ring (all servers in the group file, none
 * separated, no virtual server), every target has been found normal by its own manager since
 * sinceUs, and the client reaches every VIP.
 */
async function converged(sinceUs: number, client: Client): Promise<boolean> {
  const ring = servers.map((s, i) => `${i + 1} ${s.name} ${s.name}.dat`);
  for (const s of servers) {
    const f = await diskFiles(s);
    if (f === null || f['group.file']?.join('|') !== ring.join('|') || f['separation.file']?.length !== 0 || f['problem.file']?.length !== 0) return false;
  }
  if (!(await normalSince(sinceUs))) return false;
  for (const s of servers) {
    const last = (await client.accesses(s.name)).at(-1);
    if (last === undefined || !last.ok || last.atUs < sinceUs) return false;
  }
  return true;
}

/** atMidInterval waits for the midpoint of a monitoring interval (Table 2: faults 5 s after a tick) and returns its time. */
async function atMidInterval(): Promise<number> {
  const intervalMs = 10_000;
  await sleep((intervalMs + 5000 - (Date.now() % intervalMs)) % intervalMs);
  return Date.now() * 1000;
}

/** runScenario injects faults at once at a mid-interval, waits for every target recovery and for the ring to converge, and records the times. */
async function runScenario(client: Client, scenario: string, faults: { server: string; type: 'St' | 'Nt' }[]): Promise<TargetTimes[]> {
  const faultAtUs = await atMidInterval();
  for (const f of faults) await labFault({ dir: LAB_DIR, server: f.server, fault: f.type, log });
  const times = await waitFor(`target recovery of ${faults.map((f) => f.server).join(', ')}`, 150_000, async () => {
    const ts = await Promise.all(faults.map((f) => measure(servers, client, f.server, f.type, faultAtUs)));
    return ts.every((t) => t.targetRecoveryUs !== null && t.clientDisconnectionUs !== null) ? ts : null;
  });
  const backUs = Math.max(...times.map((t) => (t.detectedAtUs ?? 0) + (t.targetRecoveryUs ?? 0)));
  await waitFor('the ring to converge', 90_000, () => converged(backUs, client));
  const predicted = predict(servers, faults);
  for (const t of times) rows.push({ scenario, measured: t, predicted: predicted.get(t.server) });
  return times;
}

const s2 = (us: number | null | undefined): string => (us === null || us === undefined ? '   -  ' : (us / 1e6).toFixed(2).padStart(6));
const p2 = (s: number | null | undefined): string => (s === null || s === undefined ? '   -  ' : s.toFixed(2).padStart(6));

function report(): string {
  const lines = [
    '',
    `Agents on the lab vs. the simulator (runOnce, 10 seeds), same parameters: monitoring interval 10 s, Tnd 2 s, service wait 3 s (Table 1),`,
    `restart wait ${LAB_PARAMS_S.restartWaitMaxS} s and start wait ${LAB_PARAMS_S.startWaitMaxS} s (Table 1: 50 s), server boot ${BOOT_DELAY_MS / 1000} s (Table 1: 31.07 s start). Times in seconds.`,
    '',
    'scenario               server fault | function recovery  | target recovery    | client disconnection',
    '                                    |   lab     sim      |   lab     sim      |   lab     sim',
    ...rows.map((r) => `${r.scenario.padEnd(22)} ${r.measured.server.padEnd(6)} ${r.measured.fault.padEnd(5)} | ${s2(r.measured.functionRecoveryUs)}  ${p2(r.predicted?.functionRecoveryS)}     | ${s2(r.measured.targetRecoveryUs)}  ${p2(r.predicted?.targetRecoveryS)}     | ${s2(r.measured.clientDisconnectionUs)}  ${p2(r.predicted?.clientDisconnectionS)}`),
    '',
    'Why the lab differs from the simulator:',
    '- Function recovery: the simulator resumes a suspended virtual server in 1.52 s + 0.28 s and sets the VIP in 0.15 s (Table 1, Fig. 14).',
    '  The lab makes one SSH connection per command (key exchange each time) and its virtual server is a Node.js service started (or',
    '  SIGCONTed) by a TypeScript helper that tsx compiles at every run; load collection waits its full 300 ms timeout because the failed',
    '  server never answers (the simulator: 0.08 s, Fig. 14).',
    `- Target recovery after St: the lab's restart is a power-off and a ${BOOT_DELAY_MS / 1000} s boot, plus the daemons' start (sshd, chronyd, the`,
    '  service: about a second) and the next 1 s poll of the background job; the simulator adds 2.26 s of shutdown before its boot.',
    `- Target recovery after Nt: both wait the ${LAB_PARAMS_S.restartWaitMaxS} s restart wait, then Wake-on-LAN and the boot; the lab adds the daemons' start.`,
    '  The hand-back (VIP, suspend, files and flag over SSH) costs the lab a few SSH connections more than Fig. 14\'s 1.9 s.',
    '- Client disconnection: the lab client gives an access 1 s before it counts it failed, then waits 1 s, as Fig. 14\'s client does;',
    '  the first success comes with the VIP on the virtual server, so it follows the function recovery time plus detection.',
    '- Detection itself is the same in both: chrony keeps the ticks on multiples of 10 s in UNIX time, and the fault is injected 5 s after a tick.',
    '',
  ];
  return lines.join('\n');
}

describe.skipIf(!isRoot())('dbss agent on the lab', () => {
  let client: Client | null = null;

  beforeAll(async () => {
    await labDown({ dir: LAB_DIR, log });
    const hook = await prepareAgents(servers);
    await labUp({ dir: LAB_DIR, servers: [...DEFAULT_SERVERS], bootDelayMs: BOOT_DELAY_MS, onBoot: hook, kvm: false, vmAccel: 'kvm', readyTimeoutMs: 60_000, log });
    const flagsAtUs = Date.now() * 1000;
    await handOutFlags(servers);
    client = startClient(servers);
    await waitFor('every agent to run and find its target normal', 120_000, () => normalSince(flagsAtUs));
  }, 300_000);

  // Runs even when a test failed half-way, so that the host is left as it was found.
  afterAll(async () => {
    client?.stop();
    process.stdout.write(report());
    await labDown({ dir: LAB_DIR, log });
    expect(await leftovers(LAB_DIR)).toEqual([]);
  }, 120_000);

  test('the agents recover St on FTP: Mail restarts it through the power controller, FTPb serves meanwhile, and the ring converges', async () => {
    const [ftp] = await runScenario(client!, 'St on FTP', [{ server: 'FTP', type: 'St' }]);
    expect(ftp!.functionRecoveryUs).toBeGreaterThan(0);
    const texts = (await systemLog(servers)).filter((l) => l.server === 'Mail').map((l) => l.text.split(' ')[0]);
    expect(texts).toContain('__Restart_IPR');
  }, 300_000);
});

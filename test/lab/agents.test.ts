// The agents on the lab (issue 5, item 4): one `dbss agent` per server of the paper's ring
// (Sec. 5.1, Fig. 13), started by the lab's power controller at every boot, recover St and Nt
// on one server and on two at once. The three times of Sec. 5.2 are measured from the agents'
// system logs and the client's accesses, and printed beside the simulator's prediction for the
// same parameters. Then the hardened ring's proof on real processes (issue 9): a server cut off the
// service network (its bridge port down), healed after its manager claimed its VIP or after the
// job gave it up, with the VIP's holders counted by arping at every probe; SEM datagrams dropped by
// nftables; and the same partitions with the paper's method (hardening: none), which split the VIP.
// Root only (`npm run test:lab`, after `bash test/lab/setup-host.sh`).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commandLineOf, killAndWait, pidFileOf, readPidFile, startDaemon } from '../../src/lab/daemons.ts';
import { DEFAULT_SERVERS, labServers, type LabServer } from '../../src/lab/layout.ts';
import { labDown } from '../../src/lab/lab-down.ts';
import { labFault } from '../../src/lab/lab-fault.ts';
import { labUp } from '../../src/lab/lab-up.ts';
import { parseManagementFile, STORED_FILE_NAMES } from '../../src/core/model/management-files.ts';
import type { TargetTimes } from '../../src/sim/run/metrics.ts';
import { logTarget } from '../../src/core/program/log-events.ts';
import type { SystemLogLine } from '../../src/core/program/log-events.ts';
import {
  AGENTS_KEPT_LOGS, BOOT_DELAY_MS, LAB_DIR, LAB_PARAMS_S, STEP_NAMES, agentCommand, agentDir, agentLog, agentYaml, handOutFlags, keepLogs, labParams, measure, paths, predict, prepareAgents,
  chooseVirtualServers, dropSem, restartAgents, type LabVirtualServers, setServiceLink, vipHolders, startClient, stateDir, stepTimes, systemLog, vipOwners, type Client, type Prediction, type Steps,
} from './agents-lab.ts';
import { writeAgentFigures } from './comparison.ts';
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
  steps: Steps;
  predicted: Prediction | undefined;
  notes: string[];
}
const rows: Row[] = [];
/** virtualServers is what the agents resume: the lab's libvirt domains, or process copies (fast mode). */
let virtualServers: LabVirtualServers = 'domains';
const KEPT_LOGS = AGENTS_KEPT_LOGS;

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
  return servers.every((t) => lines.some((l) => l.atUs > sinceUs && l.server === managerOf(t).name && l.entry.event === 'ipIsNormal' && l.entry.target === t.name));
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
  const lines = await systemLog(servers);
  for (const t of times) {
    const p = predicted.get(t.server);
    rows.push({ scenario, measured: t, steps: stepTimes(lines, t.server, faultAtUs), predicted: p, notes: notesOf(lines, t, p) });
  }
  return times;
}

/**
 * notesOf explains, from the agents' logs, the two differences from the simulator that are about
 * the protocol rather than about the lab's timings.
 */
function notesOf(lines: readonly SystemLogLine[], t: TargetTimes, p: Prediction | undefined): string[] {
  const notes: string[] = [];
  const mine = lines.filter((l) => l.atUs >= t.faultAtUs && logTarget(l.entry) === t.server);
  const woken = mine.find((l) => l.entry.event === 'startForcibly');
  const again = woken === undefined ? undefined : mine.find((l) => l.atUs > woken.atUs && l.entry.event === 'restartRequested');
  if (woken !== undefined && again !== undefined) {
    notes.push(
      `${t.server}: restarted again ${((again.atUs - woken.atUs) / 1e6).toFixed(2)} s after its Wake-on-LAN: the background job's poll found its network answering ` +
        'before its service had started, and its restart retry (recovery-job.ts) asked for a restart of the booting server; the ' +
        "simulator's servers answer ping and service at the same instant, so it never does. This costs a whole second boot.",
    );
  }
  const ready = mine.find((l) => l.entry.event === 'virtualServerReady');
  const set = ready === undefined ? undefined : mine.find((l) => l.atUs >= ready.atUs && l.entry.event === 'virtualIpSet');
  const p0 = labParams();
  if (ready !== undefined && set !== undefined && set.atUs - ready.atUs > 1_000_000) {
    notes.push(
      `${t.server}: its VIP was set ${((set.atUs - ready.atUs) / 1e6).toFixed(2)} s after its virtual server was ready: the hardened claim (fencing.ts) ` +
        `waits until ${t.server}'s release is confirmed or its fence deadline passes (its last heartbeat + 1 s + both clocks' tolerance of ` +
        `${p0.maxClockOffsetUs / 1e6} s + an interval + the ${p0.fenceMarginUs / 1e6} s margin). In the lab ${t.server} confirms no release: it is off (Nt) or ` +
        "powered off at once by the lab's restart (St), and its last heartbeat was stamped at the fault (its internal check runs 5 s after a tick, the " +
        "fault's instant), so the deadline falls 14 s after the fault. In the simulator the fault comes before that stamp (Nt: the deadline had passed) " +
        'or the restart releases the VIP before the server stops (St: the release is confirmed).',
    );
  }
  const back = mine.find((l) => l.entry.event === 'backgroundNormal');
  if (t.functionRecoveryUs === null && back !== undefined && t.detectedAtUs !== null && claimGivenUp(mine, t.server)) {
    notes.push(
      `${t.server}: no function recovery: restarted by the lab within seconds, it answered again ${((back.atUs - t.detectedAtUs) / 1e6).toFixed(2)} s after detection, ` +
        "before its VIP was safe to claim (its release unconfirmed, its fence deadline not reached), so the hardened claim was given up and its virtual " +
        'server suspended (function-recovery.ts targetIsBack). The client waited for the restart instead.',
    );
  }
  const detectedS = t.detectedAtUs === null ? null : (t.detectedAtUs - t.faultAtUs) / 1e6;
  if (detectedS !== null && p?.detectionS !== null && p?.detectionS !== undefined && detectedS - p.detectionS > 5) {
    notes.push(
      `${t.server}: detected ${(detectedS - p.detectionS).toFixed(1)} s (one interval) later than in the simulator: its manager had failed too, so it was ` +
        "reached only by dynamic management extension once that manager's heartbeat was stale. The failed manager's internal check runs " +
        '5 s after a tick, the instant of the fault: in the lab it stamped the heartbeat a few ms before the power-off, in the simulator ' +
        'the fault comes first, so its heartbeat is stale one tick earlier.',
    );
  }
  return notes;
}

/**
 * servedAgainByItself tells whether a target that got no VIP on a virtual server was served again by
 * itself: its claim given up as it came back (claimGivenUp), or its virtual server lost with its host
 * before the target's background job found it answering. With two targets failing at once, A3 may
 * choose the other one as the host before that one's own internal check fails (a lab run of St/St
 * put FTPb on Web1, whose address was gone 10.6 s after detection; the resume failed at 12.1 s and
 * FTP answered again at 14.3 s). The paper's flow has no second host for that case.
 */
function servedAgainByItself(lines: readonly SystemLogLine[], server: string): boolean {
  if (claimGivenUp(lines, server)) return true;
  const mine = lines.filter((l) => logTarget(l.entry) === server);
  const failed = mine.find((l) => l.entry.event === 'virtualServerFailed');
  return failed !== undefined && mine.some((l) => l.entry.event === 'backgroundNormal' && l.atUs >= failed.atUs) && !mine.some((l) => l.entry.event === 'virtualIpSet');
}

/** claimGivenUp tells whether a recovery of the target gave up its virtual server after the target's background job found it answering again (backgroundNormal before virtualServerFailed). */
function claimGivenUp(lines: readonly SystemLogLine[], server: string): boolean {
  const mine = lines.filter((l) => logTarget(l.entry) === server);
  const back = mine.find((l) => l.entry.event === 'backgroundNormal');
  return back !== undefined && mine.some((l) => l.entry.event === 'virtualServerFailed' && l.atUs >= back.atUs) && !mine.some((l) => l.entry.event === 'virtualIpSet');
}

const s2 = (us: number | null | undefined): string => (us === null || us === undefined ? '   -  ' : (us / 1e6).toFixed(2).padStart(6));
const p2 = (s: number | null | undefined): string => (s === null || s === undefined ? '   -  ' : s.toFixed(2).padStart(6));

function report(): string {
  const step = (v: number | null | undefined): string => (v === null || v === undefined ? '  -  ' : v.toFixed(2).padStart(5));
  const lines = [
    '',
    `Agents on the lab (virtual servers: ${virtualServers === 'domains' ? 'libvirt domains, one per target' : 'process copies, the fast mode'}) vs. the simulator (runOnce, mean of 10 seeds)`,
    'with the same parameters: monitoring interval 10 s, Tnd 2 s,',
    `service wait 3 s (Table 1), restart wait ${LAB_PARAMS_S.restartWaitMax} s and start wait ${LAB_PARAMS_S.startWaitMax} s (Table 1: 50 s), server boot ${BOOT_DELAY_MS / 1000} s (the simulator's`,
    "bootToServiceUs; Table 1's start is 31.07 s); the simulator's other world timings are the paper's (src/paper/testbed.ts). Seconds.",
    '',
    'scenario                    server fault | detection       | function recovery | target recovery   | client disconnection',
    '                                         |   lab     sim   |   lab     sim     |   lab     sim     |   lab     sim',
    ...rows.map((r) => `${r.scenario.padEnd(27)} ${r.measured.server.padEnd(6)} ${r.measured.fault.padEnd(5)} | ${s2(r.measured.detectedAtUs === null ? null : r.measured.detectedAtUs - r.measured.faultAtUs)}  ${p2(r.predicted?.detectionS)}  | ${s2(r.measured.functionRecoveryUs)}  ${p2(r.predicted?.functionRecoveryS)}    | ${s2(r.measured.targetRecoveryUs)}  ${p2(r.predicted?.targetRecoveryS)}    | ${s2(r.measured.clientDisconnectionUs)}  ${p2(r.predicted?.clientDisconnectionS)}`),
    '',
    `Steps after detection (Fig. 14 words; lab / simulator seed 1): ${STEP_NAMES.join(', ')}`,
    ...rows.map((r) => `${r.scenario.padEnd(27)} ${r.measured.server.padEnd(6)} ${STEP_NAMES.map((n) => `${step(r.steps[n])}/${step(r.predicted?.steps[n])}`).join('  ')}`),
    '',
    ...rows.flatMap((r) => r.notes.map((n) => `Note (${r.scenario}): ${n}`)),
    '',
    'Why they differ:',
    '- Detection and confirmation are the same protocol on the same clock: chrony keeps both worlds\' ticks on multiples of 10 s,',
    '  the fault comes 5 s after a tick, Nt is confirmed after Tnd (2 s) and St after the 3 s service wait of the re-examination.',
    ...(virtualServers === 'domains'
      ? [
          '- Making the virtual server (confirmed -> vsReady): the simulator resumes a KVM domain (Table 1: 1.52 s) and installs the procedure',
          "  file (0.28 s); the lab resumes the target's suspended libvirt domain (TCG on this machine) with `dbss agent vs resume` over an SSH",
          "  session of its own, or locally when the manager chose itself as the host: SSH's key exchange, Node and tsx starting the CLI",
          '  (about 0.3-0.5 s), then virsh resume, which itself takes tens of ms: a paused guest has nothing to load. There is no procedure file.',
          '- VIP (vsReady -> vipSet): the simulator sets it in 0.15 s (Fig. 14); the lab sends vip-add over the guest\'s control line (ip addr and',
          "  a BusyBox gratuitous ARP inside the TCG guest) from a helper started under Node and tsx over SSH, as the resume was.",
        ]
      : [
          '- Making the virtual server (confirmed -> vsReady): the simulator resumes a KVM domain (Table 1: 1.52 s) and installs the procedure',
          "  file (0.28 s); in the fast mode (DBSS_LAB_VS=processes) the lab's virtual server is a copy of the target's service started in the",
          "  host's namespace by a helper under Node and tsx (about 0.6 s), over an SSH session of its own, or locally when the manager chose itself.",
          '- VIP (vsReady -> vipSet): ip addr and a BusyBox gratuitous ARP take milliseconds locally; over SSH a key exchange first.',
        ]),
    '- Target recovery: after St the lab powers the server off at once and boots it after the boot delay; the simulator adds',
    '  2.26 s of shutdown (Table 1: restart 33.33 s - start 31.07 s) that the lab does not have; after Nt both wait the restart wait,',
    '  then Wake-on-LAN and the boot. The lab then starts sshd, chronyd and the service (about a second), and the background job',
    '  finds the server at its next 1 s poll; the hand-back (files, VIP, suspend, flag) costs the lab a few SSH sessions.',
    '- Client disconnection follows function recovery from the first failed access; the lab client, like Fig. 14\'s, counts an',
    '  access failed after 1 s and tries again 1 s later, so it is within about 2 s of detection-to-VIP plus the time to detection.',
    '',
  ];
  return lines.join('\n');
}

describe.skipIf(!isRoot())('dbss agent on the lab', () => {
  let client: Client | null = null;

  beforeAll(async () => {
    await labDown({ dir: LAB_DIR, log });
    virtualServers = await chooseVirtualServers(log);
    const hook = await prepareAgents(servers, virtualServers);
    await labUp({ dir: LAB_DIR, servers: [...DEFAULT_SERVERS], bootDelayMs: BOOT_DELAY_MS, onBoot: hook, kvm: virtualServers === 'domains', vmAccel: 'auto', readyTimeoutMs: 60_000, log });
    const flagsAtUs = Date.now() * 1000;
    await handOutFlags(servers);
    client = startClient(servers);
    await waitFor('every agent to run and find its target normal', 120_000, () => normalSince(flagsAtUs));
  }, 300_000);

  // Runs even when a test failed half-way, so that the host is left as it was found.
  afterAll(async () => {
    client?.stop();
    process.stdout.write(report());
    await keepLogs(KEPT_LOGS);
    await writeAgentFigures(KEPT_LOGS, rows); // for the keepalived comparison (keepalived.test.ts)
    log(`agents' logs kept in ${KEPT_LOGS}`);
    await labDown({ dir: LAB_DIR, log });
    expect(await leftovers(LAB_DIR)).toEqual([]);
  }, 120_000);

  test('the agents recover St on FTP: Mail restarts it through the power controller, FTPb serves meanwhile unless FTP answers first, and the ring converges', async () => {
    const [ftp] = await runScenario(client!, 'St on FTP', [{ server: 'FTP', type: 'St' }]);
    const mail = (await systemLog(servers)).filter((l) => l.server === 'Mail' && l.atUs >= ftp!.faultAtUs).map((l) => l.entry.event);
    expect(mail).toContain('restartRequested');
    expect(mail).not.toContain('startForcibly');
    // The lab's restart is a 5 s boot, so FTP answers again about 10 s after detection; a claim that
    // waits for the fence deadline (9 s after detection, below) can lose that race and is given up.
    if (ftp!.functionRecoveryUs === null) return expect(claimGivenUp((await systemLog(servers)).filter((l) => l.atUs >= ftp!.faultAtUs), 'FTP'), 'FTP: no VIP set, so its claim was given up as it came back').toBe(true);
    expect(ftp!.functionRecoveryUs).toBeGreaterThan(3_000_000); // the re-examination waits the 3 s service wait
    // The hardened agents claim the VIP at once when FTP's release is confirmed, else at the fence
    // deadline (fencing.ts claimSafeAtUs): FTP's last stamp + 1 s + both clocks' tolerance + an
    // interval + the margin. The restart powers FTP off at once in the lab, so which one happens
    // depends on a race with the release over SSH; the bound allows the later, plus 2 s for SSH.
    const p = labParams();
    expect(ftp!.functionRecoveryUs).toBeLessThan(p.serviceExamWaitMaxUs + 1_000_000 + 2 * p.maxClockOffsetUs + p.monitorIntervalUs + p.fenceMarginUs + 2_000_000);
  }, 300_000);

  test('the agents recover Nt on FTP: Mail wakes it by Wake-on-LAN after the restart wait, and the ring converges', async () => {
    const [ftp] = await runScenario(client!, 'Nt on FTP', [{ server: 'FTP', type: 'Nt' }]);
    expect(ftp!.functionRecoveryUs).toBeGreaterThan(2_000_000); // Tnd of the re-examination
    expect(ftp!.targetRecoveryUs).toBeGreaterThan(LAB_PARAMS_S.restartWaitMax * 1e6 + BOOT_DELAY_MS * 1000);
    const mail = (await systemLog(servers)).filter((l) => l.server === 'Mail' && l.atUs >= ftp!.faultAtUs).map((l) => l.entry.event);
    expect(mail).toContain('startForcibly');
  }, 300_000);

  test('the agents recover St on FTP and St on Web1 at once: Mail manages Web1 by dynamic management extension (Table 2 lower)', async () => {
    const times = await runScenario(client!, 'St/St on FTP and Web1', [{ server: 'FTP', type: 'St' }, { server: 'Web1', type: 'St' }]);
    const lines = (await systemLog(servers)).filter((l) => l.atUs >= times[0]!.faultAtUs);
    // Each target is served again either by a virtual server given its VIP (function recovery), or,
    // restarted by the lab within seconds, by itself before its VIP was safe to claim: the hardened
    // claim waits for the target's release or fence deadline and is given up once the target answers
    // (function-recovery.ts targetIsBack), a run CI met with the slower domains.
    for (const t of times) expect(t.functionRecoveryUs !== null ? t.functionRecoveryUs > 0 : servedAgainByItself(lines, t.server), `${t.server}: VIP set on a virtual server, or served again by itself (claim given up, or its host failed too)`).toBe(true);
    const about = (server: string, event: string) => lines.some((l) => l.server === server && l.entry.event === event && 'target' in l.entry && l.entry.target === 'Web1');
    // Mail reaches Web1 past FTP by extension. The lab restarts FTP within seconds (the paper's
    // restart takes 33 s): when FTP is handed back before Mail confirms Web1's failure, the hardened
    // Mail yields to the manager that answers again (heartbeatTrust, stillManages: Already_handled)
    // and FTP recovers Web1 at its next tick; otherwise Mail gives Web1's VIP to a virtual server.
    expect(about('Mail', 'startDbss')).toBe(true);
    expect(about('Mail', 'virtualIpSet') || (about('Mail', 'alreadyHandled') && about('FTP', 'virtualIpSet')) || servedAgainByItself(lines, 'Web1')).toBe(true);
  }, 300_000);

  test('the agents recover Nt on FTP and Nt on Web1 at once (Table 2 lower, Nt/Nt)', async () => {
    const times = await runScenario(client!, 'Nt/Nt on FTP and Web1', [{ server: 'FTP', type: 'Nt' }, { server: 'Web1', type: 'Nt' }]);
    for (const t of times) expect(t.targetRecoveryUs, t.server).toBeGreaterThan(LAB_PARAMS_S.restartWaitMax * 1e6);
  }, 300_000);

  test('an agent SIGKILLed in the middle of a management-file write starts again with whole files, and the ring converges', async () => {
    const proxy = byName('Proxy');
    const role = 'proxy.agent';
    // Arrange: Proxy's agent is started again with every file write held after its temporary file.
    const first = await readPidFile(pidFileOf(paths.pidDir, 'proxy.onboot'));
    expect(first).not.toBeNull();
    expect(await commandLineOf(first!)).toContain(' agent --config ');
    await killAndWait([first!]);
    await writeFile(join(agentDir(proxy), 'agent.yaml'), agentYaml(proxy, servers, 'testing: { holdFileWriteMs: 5000 }'));
    const cmd = agentCommand(proxy);
    const holding = await startDaemon({ ns: proxy.ns, role, program: cmd.program, args: cmd.args, pidDir: paths.pidDir, logDir: paths.logDir });
    const temp = await waitFor('a management-file write under way', 40_000, async () => (await readdir(stateDir(proxy))).find((n) => n.includes('.dbss-tmp-')) ?? null);
    // Act: SIGKILL in the middle of the write, then start the agent again as it was.
    await killAndWait([holding]);
    const whole = await diskFiles(proxy);
    expect((await readdir(stateDir(proxy))).includes(temp)).toBe(true);
    await writeFile(join(agentDir(proxy), 'agent.yaml'), agentYaml(proxy, servers));
    const restartedAtUs = Date.now() * 1000;
    await startDaemon({ ns: proxy.ns, role, program: cmd.program, args: cmd.args, pidDir: paths.pidDir, logDir: paths.logDir });
    // Assert: every file was whole after the kill, the unfinished write was cleared at start, and the ring converged.
    expect(whole).not.toBeNull();
    await waitFor('the ring to converge after the restart', 90_000, () => converged(restartedAtUs, client!));
    const records = (await agentLog(proxy)).filter((r) => r.atUs >= restartedAtUs);
    expect(records.some((r) => r.event === 'staleTemps' && String(r.text).includes(temp))).toBe(true);
    expect(records.some((r) => r.kind === 'system' && r.text === 'Management_program_start')).toBe(true);
  }, 300_000);
  /**
   * partitionFtp cuts FTP off the service network at a mid-interval (its bridge port goes down; the
   * management network stays), heals it once Mail has logged `until` for FTP (virtualIpSet: the
   * VIP claimed on a virtual server; findDownFile: the job gave FTP up), and then asks the service
   * network who holds FTP's VIP, probe after probe for 10 s.
   */
  async function partitionFtp(until: 'virtualIpSet' | 'findDownFile', timeoutMs: number): Promise<{ holders: string[]; owners: number[]; faultAtUs: number }> {
    const ftp = byName('FTP');
    const faultAtUs = await atMidInterval();
    await setServiceLink(ftp, 'down');
    let holders: string[];
    try {
      await waitFor(`Mail's ${until} for FTP`, timeoutMs, async () =>
        (await systemLog(servers)).some((l) => l.atUs >= faultAtUs && l.server === 'Mail' && l.entry.event === until && logTarget(l.entry) === 'FTP'),
      );
      holders = await vipHolders(servers, ftp.vip);
    } finally {
      await setServiceLink(ftp, 'up');
    }
    const owners: number[] = [];
    for (const untilMs = Date.now() + 10_000; Date.now() < untilMs; ) owners.push((await vipOwners(ftp.vip)).size);
    log(`holders of FTP's VIP before the heal (${until}): ${holders.join(', ')}; owners answering ARP at each probe after it: ${owners.join(' ')}`);
    return { holders, owners, faultAtUs };
  }

  /** heartbeatOf is the UNIX second of server's heartbeat in files (0 when absent). */
  const heartbeatOf = (files: Record<string, string[]> | null, server: string): number =>
    Number(files?.['heartbeat.file']?.find((l) => l.startsWith(`${server} `))?.split(' ')[1] ?? 0);

  test("the hardened agents keep FTP's VIP on one MAC at every probe across a service partition healed after Mail claimed it, and the ring converges", async () => {
    // Act: the agents run the hardened ring, agent.yaml's default.
    const { holders, owners, faultAtUs } = await partitionFtp('virtualIpSet', 120_000);
    // Assert: FTP fenced itself (its internal check failed) before the claim, one owner answered at every probe, and the ring came back whole.
    expect(holders).toHaveLength(1);
    expect(holders).not.toContain('FTP');
    expect(owners.length).toBeGreaterThan(3);
    expect(Math.max(...owners)).toBe(1);
    expect(owners.at(-1)).toBe(1);
    const ftpEvents = (await systemLog(servers)).filter((l) => l.server === 'FTP' && l.atUs >= faultAtUs).map((l) => l.entry.event);
    expect(ftpEvents).toContain('internalProblem');
    await waitFor('the ring to converge after the partition', 120_000, () => converged(faultAtUs, client!));
  }, 300_000);

  test('the hardened agents re-admit a server cut off the service network for longer than the give-up time: its VIP has one owner at every probe and the ring converges', async () => {
    // Act: the partition lasts until Mail's background job gives FTP up (restart wait, Wake-on-LAN, start wait: down.file).
    const { holders, owners, faultAtUs } = await partitionFtp('findDownFile', 150_000);
    expect(holders).toHaveLength(1);
    // Assert: Mail watched FTP, found it answering, handed its VIP back and sent files and flag (vip-back closed).
    expect(Math.max(...owners)).toBe(1);
    const healedAtUs = Date.now() * 1000;
    await waitFor('FTP to be re-admitted and the ring to converge', 120_000, () => converged(faultAtUs, client!));
    log(`FTP re-admitted ${((Date.now() * 1000 - healedAtUs) / 1e6).toFixed(1)} s after the probes that followed the heal`);
    const mail = (await systemLog(servers)).filter((l) => l.server === 'Mail' && l.atUs >= faultAtUs && logTarget(l.entry) === 'FTP').map((l) => l.entry.event);
    expect(mail.slice(mail.indexOf('findDownFile'))).toContain('ipIsNormal');
  }, 400_000);

  test('the hardened agents bring a server that missed SEM datagrams up to date once it hears again (resynchronisation)', async () => {
    const [mail, proxy] = [byName('Mail'), byName('Proxy')];
    // Arrange: Proxy drops every SEM datagram sent to it; St on FTP makes Mail separate FTP (A4).
    await dropSem(proxy, true);
    let faultAtUs: number;
    try {
      faultAtUs = await atMidInterval();
      await labFault({ dir: LAB_DIR, server: 'FTP', fault: 'St', log });
      await waitFor("FTP in Mail's separation file", 60_000, async () => (await diskFiles(mail))?.['separation.file']?.some((l) => l.includes(' FTP ')) ?? false);
      // Proxy missed A4 and the heartbeats of a whole interval.
      expect((await diskFiles(proxy))?.['separation.file']?.some((l) => l.includes(' FTP '))).toBe(false);
    } finally {
      await dropSem(proxy, false);
    }
    // Act: Proxy hears SEM again.
    const healedAtMs = Date.now();
    const mailStampAtHeal = heartbeatOf(await diskFiles(mail), 'Mail');
    // Assert: within the bound (two intervals and two poll intervals, 22 s; sem-ledger.ts) Proxy holds Mail's heartbeat of the heal and the same files.
    await waitFor("Proxy to hold Mail's files again", 40_000, async () => {
      const [m, p] = [await diskFiles(mail), await diskFiles(proxy)];
      const same = ['group.file', 'separation.file', 'problem.file'].every((f) => m?.[f]?.join('|') === p?.[f]?.join('|'));
      return same && heartbeatOf(p, 'Mail') >= mailStampAtHeal;
    });
    log(`Proxy agreed with Mail ${((Date.now() - healedAtMs) / 1000).toFixed(1)} s after it heard SEM again`);
    await waitFor('the ring to converge', 120_000, () => converged(faultAtUs, client!));
  }, 300_000);

  // Last: the paper's method leaves the ring split (two tests), and the lab is taken down after them.
  test("with the paper's method (hardening: none) the same partition leaves FTP's VIP answered from two MACs after the heal (vip-unique)", async () => {
    const restartedAtUs = Date.now() * 1000;
    await restartAgents(servers, 'hardening: none');
    await waitFor("every agent to run the paper's method and find its target normal", 120_000, () => normalSince(restartedAtUs));
    const started = (await agentLog(byName('Mail'))).filter((r) => r.atUs >= restartedAtUs && r.event === 'started');
    expect(started.at(-1)?.text).toContain('hardening none');
    const { holders, owners } = await partitionFtp('virtualIpSet', 120_000);
    // FTP kept its VIP behind the partition while its virtual server took it too; after the heal both
    // answer ARP until the hand-back moves it (a second or so: the job's next poll, then SSH).
    expect(holders).toHaveLength(2);
    expect(holders).toContain('FTP');
    expect(owners.length).toBeGreaterThan(3);
  }, 300_000);
  test("with the paper's method a partition longer than the give-up time leaves FTP given up: separated, never re-admitted, its VIP answered from two MACs (vip-back)", async () => {
    // Arrange: FTP is back after the short partition's hand-back: in Mail's group file and alone with
    // its VIP. (The rest of the paper's ring need not have converged: FTP, cut off, may have separated
    // its own target too.)
    const ftpLine = '2 FTP FTP.dat';
    await waitFor('FTP back in the ring with its VIP before the long partition', 180_000, async () => {
      const files = await diskFiles(byName('Mail'));
      const holders = await vipHolders(servers, byName('FTP').vip);
      return files?.['group.file']?.includes(ftpLine) === true && holders.length === 1 && holders[0] === 'FTP';
    });
    // Act: the partition lasts until Mail's background job gives FTP up (down.file).
    const { holders, owners } = await partitionFtp('findDownFile', 150_000);
    expect(holders).toHaveLength(2);
    // Assert: two holders after the heal, and 30 s later FTP is still separated in every replica that Mail's edits reach.
    expect(Math.max(...owners)).toBe(2);
    await sleep(30_000);
    const mailFiles = await diskFiles(byName('Mail'));
    expect(mailFiles?.['separation.file']?.some((l) => l.includes(' FTP '))).toBe(true);
    expect((await vipOwners(byName('FTP').vip)).size).toBe(2);
  }, 400_000);
});

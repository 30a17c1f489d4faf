// keepalived beside the dbss agents (issue 13, item 4): on the same lab (Sec. 5.1, Fig. 13) the
// same faults on FTP as agents.test.ts (St: its service dies; Nt: it is powered off), handled by
// one keepalived VRRP instance for FTP's VIP between FTP (MASTER) and Mail (BACKUP, FTP's manager
// in the ring, running a standby copy of the FTP service). Measured the same way: the backup's
// transition to MASTER from keepalived's log, the VIP's ARP owners probed from dbss-infra, the
// client's accesses of Sec. 5.2, and the time the VIP takes to go back once FTP answers again.
// Prints one table with the agents' figures (agents.test.ts, run before this file) and the
// simulator's prediction. Root only, and keepalived installed (bash test/lab/setup-host.sh).
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDaemon } from '../../src/lab/daemons.ts';
import { runProgramStatus } from '../../src/drivers/exec.ts';
import { wolFrom } from '../../src/lab/in-namespace.ts';
import { DEFAULT_SERVERS, INFRA_NS, labPaths, labServers, type LabServer } from '../../src/lab/layout.ts';
import { labDown } from '../../src/lab/lab-down.ts';
import { labFault } from '../../src/lab/lab-fault.ts';
import { labUp } from '../../src/lab/lab-up.ts';
import { nodeScript } from '../../src/lab/node-script.ts';
import { findProgram } from '../../src/lab/prerequisites.ts';
import { isPoweredOff, startService } from '../../src/lab/server-power.ts';
import { disconnectionUs } from '../../src/sim/world/client.ts';
import { AGENTS_KEPT_LOGS, BOOT_DELAY_MS, LAB_PARAMS_S, predict, startClient, type Client } from './agents-lab.ts';
import { comparisonTable, readAgentFigures, simulatorFigures, type Figures } from './comparison.ts';
import {
  KEEPALIVED_SETTINGS, firstProbeOwnedBy, keepalivedRole, sampleArpOwners, serviceAnswers, startKeepalived, stopKeepalived, transitionsOf,
  type ArpProbe, type ArpSampler, type KeepalivedPeer, type Transition,
} from './keepalived-lab.ts';
import { isRoot, leftovers } from './leftovers.ts';

const LAB_DIR = '/run/dbss-lab-keepalived';
/** KEPT_LOGS is where keepalived's logs go before `lab down` removes the lab directory. */
const KEPT_LOGS = '/tmp/dbss-lab-keepalived-logs';
const paths = labPaths(LAB_DIR);
const servers = labServers(DEFAULT_SERVERS);
const byName = (name: string): LabServer => servers.find((s) => s.name === name)!;
const [ftp, mail] = [byName('FTP'), byName('Mail')];
const log = (line: string): void => void process.stdout.write(`    lab: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const S = KEEPALIVED_SETTINGS;

const skipReason = !isRoot() ? 'the lab needs root (namespaces, bridges, daemons)' : (await findProgram('keepalived')) === null ? 'keepalived is not installed (Debian: keepalived; run bash test/lab/setup-host.sh)' : null;
if (skipReason !== null) console.warn(`test/lab/keepalived.test.ts: skipped, ${skipReason}`);

/** The two sides of FTP's VRRP instance: FTP holds its own VIP; Mail, FTP's manager in the ring, backs it up. */
const FTP_SIDE: KeepalivedPeer = { self: ftp, peer: mail, target: ftp, priority: S.masterPriority, state: 'MASTER' };
const MAIL_SIDE: KeepalivedPeer = { self: mail, peer: ftp, target: ftp, priority: S.backupPriority, state: 'BACKUP' };

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** entered waits for server's keepalived to log entering state at or after fromUs. */
const entered = (server: LabServer, state: Transition['state'], fromUs: number, timeoutMs: number): Promise<Transition> =>
  waitFor(`${server.name}'s keepalived to log ${state}`, timeoutMs, async () => (await transitionsOf(paths, server)).find((t) => t.atUs >= fromUs && t.state === state));

/** Measured is one keepalived scenario, in microseconds since the epoch. */
interface Measured {
  fault: 'St' | 'Nt';
  faultAtUs: number;
  detectedAtUs: number;
  movedAtUs: number;
  disconnectionUs: number | null;
  returnAtUs: number;
  backAtUs: number;
  /** ftpFaultAtUs is FTP entering FAULT, its track script having failed (St). */
  ftpFaultAtUs: number | null;
}
const measured: Measured[] = [];

const figuresOf = (m: Measured): Figures => ({
  design: 'keepalived',
  scenario: `${m.fault} on FTP`,
  server: 'FTP',
  fault: m.fault,
  detectionS: (m.detectedAtUs - m.faultAtUs) / 1e6,
  vipMovedS: (m.movedAtUs - m.faultAtUs) / 1e6,
  clientDisconnectionS: m.disconnectionUs === null ? null : m.disconnectionUs / 1e6,
  backAfterReturnS: (m.backAtUs - m.returnAtUs) / 1e6,
});

/** report prints the one table: keepalived's rows, the agents' (if agents.test.ts left them), the simulator's. */
async function report(): Promise<string> {
  const version = (await runProgramStatus('/usr/sbin/keepalived', ['--version'], { timeoutMs: 5000 }).catch(() => null))?.stderr.split('\n')[0]?.trim() ?? 'keepalived';
  const agents = await readAgentFigures(AGENTS_KEPT_LOGS);
  const figures: Figures[] = measured.map(figuresOf);
  for (const fault of ['St', 'Nt'] as const) {
    const a = agents?.figures.find((f) => f.scenario === `${fault} on FTP`);
    if (a !== undefined) figures.push(a);
    figures.push(simulatorFigures(`${fault} on FTP`, 'FTP', fault, predict(servers, [{ server: 'FTP', type: fault }]).get('FTP')));
  }
  const settings = [
    `keepalived (${version}): one VRRP instance for FTP's VIP, unicast on the service network; advert_int ${S.advertIntS} s; priority FTP ${S.masterPriority} (MASTER),`,
    `  Mail ${S.backupPriority} (BACKUP), preempt; vrrp_script "busybox nc -w 1 127.0.0.1 21" interval ${S.script.intervalS} s, timeout ${S.script.timeoutS} s, fall ${S.script.fall}, rise ${S.script.rise};`,
    "  no weight, so a failed script puts FTP in FAULT; a standby copy of FTP's service runs on Mail all the time.",
    `dbss agents: the hardened ring, monitoring interval 10 s, Tnd 2 s, service wait 3 s (Table 1), restart wait ${LAB_PARAMS_S.restartWaitMax} s, start wait ${LAB_PARAMS_S.startWaitMax} s,`,
    `  boot ${BOOT_DELAY_MS / 1000} s; ${agents === null ? 'not measured: agents.test.ts has not run on this machine' : `measured by agents.test.ts at ${agents.measuredAt}`}. Simulator: runOnce, mean of 10 seeds, same parameters.`,
  ];
  const notes = [
    'detected: keepalived, the fault to Mail entering MASTER (its notify script); dbss, the fault to the first failed examination.',
    "VIP moved: keepalived, the fault to the first arping from dbss-infra that Mail's MAC alone answered (probes 1 s apart);",
    '  dbss, the fault to virtualIpSet (detection + function recovery, Fig. 14).',
    'client off: client disconnection of Sec. 5.2 from the client\'s accesses (one a second; a failed one waits 1 s more).',
    'back after return: keepalived, the return (St: the service started again, as systemd\'s Restart= would; Nt: keepalived',
    '  started by the rebooted server\'s init) to FTP answering ARP alone; dbss, foundUp (the job\'s 1 s poll finds FTP answering)',
    '  to vipBack. Neither counts how the server comes back: keepalived wakes nobody (here the test sends the Wake-on-LAN',
    '  and restarts the service), dbss restarts or wakes FTP itself after its restart wait. keepalived\'s time back is FTP\'s',
    '  next check (St: up to an interval) and then its master-down interval (3 adverts + skew, 3.4 s): a preempting backup',
    '  discards the lower-priority adverts and takes over when its own timer runs out.',
    ...measured.filter((m) => m.ftpFaultAtUs !== null).map((m) => `${m.fault}: FTP's track script failed and FTP entered FAULT ${((m.ftpFaultAtUs! - m.faultAtUs) / 1e6).toFixed(2)} s after the fault (injected 5 s after a script run).`),
  ];
  return comparisonTable(figures, settings, notes);
}

/** atScriptMidInterval waits until half a script interval after one of FTP's track-script runs (they start with keepalived). */
async function atScriptMidInterval(startedAtUs: number): Promise<number> {
  const intervalMs = S.script.intervalS * 1000;
  const phaseMs = (Date.now() - startedAtUs / 1000) % intervalMs;
  await sleep((intervalMs * 1.5 - phaseMs) % intervalMs);
  return Date.now() * 1000;
}

/**
 * settledOwners are the probes from one second after a move settled (both sides logged their new
 * state) until untilUs: each must be answered by exactly one MAC, the holder's.
 */
function settledOwners(probes: readonly ArpProbe[], fromUs: number, untilUs: number): string[] {
  return probes.filter((p) => p.atUs >= fromUs + 1_000_000 && p.atUs < untilUs).map((p) => p.owners.join('+') || 'nobody');
}

describe.skipIf(skipReason !== null)('keepalived on the lab, beside the dbss agents', () => {
  let client: Client | null = null;
  let sampler: ArpSampler | null = null;
  let ftpStartedAtUs = 0;

  beforeAll(async () => {
    await labDown({ dir: LAB_DIR, log });
    await labUp({ dir: LAB_DIR, servers: [...DEFAULT_SERVERS], bootDelayMs: BOOT_DELAY_MS, onBoot: null, kvm: false, vmAccel: 'kvm', readyTimeoutMs: 60_000, log });
    // keepalived needs the standby before the fault: a copy of FTP's service on Mail, on every address of Mail's namespace.
    const standby = nodeScript('services/lab-service.ts', ['--kind', 'ftp', '--name', 'FTPb', '--port', String(ftp.servicePort), '--dir', LAB_DIR]);
    await startDaemon({ ns: mail.ns, role: 'mail.ftp-standby', program: standby.program, args: standby.args, pidDir: paths.pidDir, logDir: paths.logDir });
    // Each keepalived starts once its service answers (systemd's After=): a first check that fails waits a whole interval.
    await waitFor("the standby FTP on Mail to answer", 20_000, () => serviceAnswers(mail, ftp));
    const mailStartedAtUs = await startKeepalived(paths, MAIL_SIDE);
    ftpStartedAtUs = await startKeepalived(paths, FTP_SIDE);
    await entered(ftp, 'MASTER', ftpStartedAtUs, 30_000);
    await entered(mail, 'BACKUP', mailStartedAtUs, 30_000);
    client = startClient([ftp], join(LAB_DIR, 'client.jsonl'), LAB_DIR);
    sampler = sampleArpOwners(ftp.vip, servers);
    await waitFor('the client to reach FTP', 20_000, async () => (await client!.accesses('FTP')).some((a) => a.ok));
  }, 180_000);

  // Runs even when a test failed half-way, so that the host is left as it was found.
  afterAll(async () => {
    client?.stop();
    await sampler?.stop();
    if (skipReason === null) process.stdout.write(await report());
    await rm(KEPT_LOGS, { recursive: true, force: true });
    await mkdir(KEPT_LOGS, { recursive: true });
    await cp(join(LAB_DIR, 'keepalived'), KEPT_LOGS, { recursive: true, filter: (src) => !src.endsWith('.pid') }).catch(() => undefined);
    for (const s of [ftp, mail]) await cp(join(paths.logDir, `${keepalivedRole(s)}.log`), join(KEPT_LOGS, `${keepalivedRole(s)}.log`)).catch(() => undefined);
    log(`keepalived's configurations and logs kept in ${KEPT_LOGS}`);
    for (const s of [ftp, mail]) log(`keepalived of ${s.name}: ${(await stopKeepalived(paths, s)) ? 'stopped (SIGTERM, waited)' : 'not running'}`);
    await labDown({ dir: LAB_DIR, log });
    expect(await leftovers(LAB_DIR)).toEqual([]);
  }, 120_000);

  test("keepalived moves FTP's VIP to Mail's standby when FTP's service stops (St), and back to FTP once its track script finds the service again", async () => {
    // Arrange: the fault comes half a script interval after a check, as agents.test.ts puts it half a monitoring interval after a tick.
    const faultAtUs = await atScriptMidInterval(ftpStartedAtUs);
    // Act
    await labFault({ dir: LAB_DIR, server: 'FTP', fault: 'St', log });
    const failed = await entered(ftp, 'FAULT', faultAtUs, 30_000); // its track script failed
    const detected = await entered(mail, 'MASTER', faultAtUs, 30_000);
    const moved = await waitFor("Mail's MAC alone to answer for FTP's VIP", 15_000, async () => firstProbeOwnedBy(sampler!.probes(), 'Mail', faultAtUs));
    const off = await waitFor('the client to reach FTP again', 20_000, async () => disconnectionUs(await client!.accesses('FTP'), faultAtUs));
    await sleep(4000); // a few probes of Mail holding the VIP
    const returnAtUs = Date.now() * 1000;
    await startService(paths, ftp);
    const back = await entered(ftp, 'MASTER', returnAtUs, (S.script.intervalS + 10) * 1000);
    const yielded = await entered(mail, 'BACKUP', returnAtUs, 10_000);
    const backProbe = await waitFor("FTP's MAC alone to answer for its VIP", 15_000, async () => firstProbeOwnedBy(sampler!.probes(), 'FTP', returnAtUs));
    await sleep(4000);
    measured.push({ fault: 'St', faultAtUs, detectedAtUs: detected.atUs, movedAtUs: moved.atUs, disconnectionUs: off, returnAtUs, backAtUs: backProbe.atUs, ftpFaultAtUs: failed.atUs });
    // Assert: detection within a script interval (the check) plus Mail's skew, the move seconds later, one owner at every settled probe.
    const skewUs = ((256 - S.backupPriority) / 256) * 1e6;
    expect(detected.atUs - faultAtUs).toBeLessThan(S.script.intervalS * 1e6 + skewUs + 1_000_000);
    expect(detected.atUs).toBeGreaterThanOrEqual(failed.atUs);
    expect(moved.atUs - detected.atUs).toBeLessThan(3_000_000);
    // Back: FTP's next check (within an interval) finds the service, then FTP waits out its master-down interval (about 3.4 s).
    expect(back.atUs - returnAtUs).toBeLessThan((S.script.intervalS + 3 * S.advertIntS + 2) * 1e6);
    const probes = sampler!.probes();
    expect(probes.every((p) => p.owners.length <= 1), JSON.stringify(probes.filter((p) => p.owners.length > 1))).toBe(true);
    const during = settledOwners(probes, detected.atUs, returnAtUs);
    expect(during.length).toBeGreaterThan(2);
    expect(new Set(during)).toEqual(new Set(['Mail']));
    const after = settledOwners(probes, Math.max(back.atUs, yielded.atUs), Number.MAX_SAFE_INTEGER);
    expect(after.length).toBeGreaterThan(2);
    expect(new Set(after)).toEqual(new Set(['FTP']));
  }, 120_000);

  test("keepalived moves FTP's VIP to Mail when FTP is powered off (Nt), after three missed adverts, and back when FTP boots and its keepalived starts", async () => {
    // Act: FTP powered off, its keepalived with it.
    const faultAtUs = Date.now() * 1000;
    await labFault({ dir: LAB_DIR, server: 'FTP', fault: 'Nt', log });
    const detected = await entered(mail, 'MASTER', faultAtUs, 30_000);
    const moved = await waitFor("Mail's MAC alone to answer for FTP's VIP", 15_000, async () => firstProbeOwnedBy(sampler!.probes(), 'Mail', faultAtUs));
    const off = await waitFor('the client to reach FTP again', 20_000, async () => disconnectionUs(await client!.accesses('FTP'), faultAtUs));
    // keepalived wakes nobody: the test powers FTP on through the lab's power controller, and its init starts keepalived.
    await wolFrom(INFRA_NS, ftp.managementMac);
    await waitFor('FTP to boot', BOOT_DELAY_MS + 20_000, async () => !(await isPoweredOff(paths, ftp)));
    await waitFor("FTP's service to answer after the boot", 20_000, () => serviceAnswers(ftp, ftp));
    const returnAtUs = await startKeepalived(paths, FTP_SIDE);
    const back = await entered(ftp, 'MASTER', returnAtUs, (S.script.intervalS + 10) * 1000);
    const yielded = await entered(mail, 'BACKUP', returnAtUs, 10_000);
    const backProbe = await waitFor("FTP's MAC alone to answer for its VIP", 15_000, async () => firstProbeOwnedBy(sampler!.probes(), 'FTP', returnAtUs));
    await sleep(4000);
    measured.push({ fault: 'Nt', faultAtUs, detectedAtUs: detected.atUs, movedAtUs: moved.atUs, disconnectionUs: off, returnAtUs, backAtUs: backProbe.atUs, ftpFaultAtUs: null });
    // Assert: Mail waits for three adverts and its skew (RFC 5798 Master_Down_Interval), no more; one owner at every settled probe.
    const downIntervalUs = 3 * S.advertIntS * 1e6 + ((256 - S.backupPriority) / 256) * 1e6;
    // The last advert came less than advert_int before the fault (200 ms allowed for timers on a busy machine).
    expect(detected.atUs - faultAtUs).toBeGreaterThan(downIntervalUs - S.advertIntS * 1e6 - 200_000);
    expect(detected.atUs - faultAtUs).toBeLessThan(downIntervalUs + 1_000_000);
    expect(moved.atUs - detected.atUs).toBeLessThan(3_000_000);
    // Back: FTP's first check passes, and as a preempting BACKUP it ignores Mail's lower-priority adverts until its own master-down interval.
    const ftpDownIntervalUs = 3 * S.advertIntS * 1e6 + ((256 - S.masterPriority) / 256) * 1e6;
    expect(back.atUs - returnAtUs).toBeGreaterThan(ftpDownIntervalUs - 200_000);
    expect(back.atUs - returnAtUs).toBeLessThan(ftpDownIntervalUs + 2_000_000);
    const probes = sampler!.probes().filter((p) => p.atUs >= faultAtUs);
    expect(probes.every((p) => p.owners.length <= 1), JSON.stringify(probes.filter((p) => p.owners.length > 1))).toBe(true);
    expect(new Set(settledOwners(probes, detected.atUs, returnAtUs))).toEqual(new Set(['Mail']));
    const after = settledOwners(probes, Math.max(back.atUs, yielded.atUs), Number.MAX_SAFE_INTEGER);
    expect(after.length).toBeGreaterThan(2);
    expect(new Set(after)).toEqual(new Set(['FTP']));
  }, 120_000);
});

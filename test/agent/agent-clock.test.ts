// The agent refuses to act as a manager while chrony says the clock is not synchronised. In the
// paper's method its ticks are held (no monitoring, no heartbeat), it says so in its log, and it
// resumes at once when the clock is synchronised again (Sec. 3.2: ticks on multiples of the
// interval in UNIX time). In the hardened ring the program is told (clockStatus): it stops
// managing by itself but keeps checking itself, so that it can still fence its VIPs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { initialFiles } from '../../src/core/model/management-files.ts';
import { HARDENINGS } from '../../src/core/program/hardening.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { Agent } from '../../src/agent/agent.ts';
import { AgentLog, type LogRecord } from '../../src/agent/agent-log.ts';
import { FileStore } from '../../src/agent/file-store.ts';
import type { HostDrivers } from '../../src/agent/host-actions.ts';
import type { AgentConfig } from '../../src/agent/config.ts';
import { realScheduler } from '../../src/agent/runner.ts';
import type { SyncVerdict } from '../../src/drivers/chrony-clock.ts';
import { PAPER, PAPER_RING, agentConfig } from './fake-world.ts';
import { freeUdpPort } from '../helpers/net.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-agent-clock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** withFilesAndFlag gives Mail's state directory the paper ring's files and the flag, so its program runs at start. */
async function withFilesAndFlag(config: AgentConfig): Promise<void> {
  const store = new FileStore({ dir: config.stateDir });
  await store.prepare();
  await store.writeSet(initialFiles(PAPER_RING, Math.floor(Date.now() / 1000)));
  await writeFile(store.flagPath(), 'file management server\n');
}

/** startMail starts Mail's agent on the real clock, its log into log, chrony's verdict from checkClock. */
function startMail(opts: { config: AgentConfig; node: RingNode; log: LogRecord[]; checkClock: () => Promise<SyncVerdict>; drivers: HostDrivers }): Promise<Agent> {
  const clock = { nowUs: () => Date.now() * 1000 };
  return Agent.start({
    config: opts.config,
    data: PAPER,
    node: opts.node,
    key: Buffer.from('kd'.repeat(32)),
    log: new AgentLog('Mail', clock.nowUs, [(r) => void opts.log.push(r)]),
    scheduler: realScheduler(clock),
    checkClock: opts.checkClock,
    drivers: opts.drivers,
    pollMs: 50,
  });
}

const healthy: HostDrivers = {
  ping: async () => true,
  checkService: async () => true,
  measureLoad: async () => ({ freeMemKb: 6_000_000, cpuIdlePct: 700, netBytesPerS: 1_000_000 }),
  collectLoads: async () => [],
  sendSem: () => undefined,
  sendCommit: () => undefined,
  askEdits: () => undefined,
  filesSaved: async () => undefined,
  run: async () => undefined,
  putFiles: async () => undefined,
  sendWol: async () => undefined,
  writeJobFile: async () => undefined,
};

test('in the paper\'s method ticks are held while chrony is unsynchronised and run again once it is synchronised', async () => {
  // Arrange: Mail with files and flag, a 0.5 s monitoring interval, and a clock that chrony does not vouch for.
  const config = agentConfig(join(dir, 'state'), { chrony: { enabled: true, checkIntervalMs: 100 }, hardening: 'none' }, { sem: await freeUdpPort(), load: await freeUdpPort() });
  await withFilesAndFlag(config);
  const params = { ...defaultParams(), monitorIntervalUs: 500_000, internalMonitorOffsetUs: 250_000, heartbeatStaleUs: 60_000_000 };
  const node = new RingNode('Mail', params, { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
  const log: LogRecord[] = [];
  let verdict: SyncVerdict = { ok: false, reason: 'chronyd is not synchronised', tracking: null };
  const agent = await startMail({ config, node, log, checkClock: async () => verdict, drivers: healthy });
  try {
    // Act 1: two seconds unsynchronised.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const texts = (): string[] => log.map((r) => r.text);
    expect(texts()).toContain('Management_program_start');
    expect(texts()).toContain('Clock_not_synchronised_ticks_held chronyd is not synchronised');
    expect(texts().filter((t) => t.startsWith('IPR_is_normal'))).toEqual([]);
    // Act 2: chrony synchronises.
    verdict = { ok: true, offsetUs: 12, tracking: null as never };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(texts()).toContain('Clock_synchronised offset 12 us');
    expect(texts().some((t) => t.startsWith('IPR_is_normal FTP'))).toBe(true);
  } finally {
    await agent.stop();
  }
});

test('in the hardened ring an unsynchronised clock reaches the program, which keeps its internal checks but manages nothing until chrony vouches again', async () => {
  // Arrange: Mail runs the hardened ring; its neighbours answer every resync question at once (with nothing to add).
  const config = agentConfig(join(dir, 'state'), { chrony: { enabled: true, checkIntervalMs: 100 } }, { sem: await freeUdpPort(), load: await freeUdpPort() });
  expect(config.hardening).toEqual([...HARDENINGS]);
  await withFilesAndFlag(config);
  const params = { ...defaultParams(), monitorIntervalUs: 500_000, internalMonitorOffsetUs: 250_000, heartbeatStaleUs: 60_000_000, recoveryPollIntervalUs: 250_000 };
  const node = new RingNode('Mail', params, { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3, [], config.hardening);
  const log: LogRecord[] = [];
  let verdict: SyncVerdict = { ok: false, reason: 'chronyd is not synchronised', tracking: null };
  let gatewayPings = 0;
  let agent: Agent | null = null;
  agent = await startMail({
    config,
    node,
    log,
    checkClock: async () => verdict,
    drivers: {
      ...healthy,
      ping: async (address) => {
        if (address === config.internal.gateway) gatewayPings += 1;
        return true;
      },
      askEdits: (to) => void setTimeout(() => agent?.runner.deliver({ type: 'semRecords', from: to, answer: { records: [], snapshot: null } }), 1),
    },
  });
  try {
    // Act 1: two seconds unsynchronised.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const texts = (): string[] => log.map((r) => r.text);
    expect(texts()).toContain('Clock_not_synchronised_not_managing chronyd is not synchronised');
    expect(agent.runner.gate).toBe(true);
    expect(node.clockSynchronised).toBe(false);
    expect(gatewayPings).toBeGreaterThan(2);
    expect(node.files['heartbeat.file']).toContain('Mail 0');
    expect(texts().filter((t) => t.startsWith('IPR_is_normal'))).toEqual([]);
    // Act 2: chrony synchronises.
    verdict = { ok: true, offsetUs: 12, tracking: null as never };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(texts()).toContain('Clock_synchronised offset 12 us');
    expect(node.clockSynchronised).toBe(true);
    expect(texts().some((t) => t.startsWith('IPR_is_normal FTP'))).toBe(true);
  } finally {
    await agent.stop();
  }
});

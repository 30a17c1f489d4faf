// The agent's runner and host actions carry Mail's ring program through the paper's two faults
// of its target FTP (Table 2, Fig. 14) in a fake world on virtual time: the same code as the
// daemon, with probes, SSH and Wake-on-LAN played by fake-world.ts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { initialFiles } from '../../src/core/model/management-files.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { AgentLog, type LogRecord } from '../../src/agent/agent-log.ts';
import { AgentRunner } from '../../src/agent/runner.ts';
import { PAPER, PAPER_RING, VirtualScheduler, systemTexts } from './fake-world.ts';
import { START_S, START_US, rig } from './fake-rig.ts';
const FTP = PAPER.find((d) => d.hostName === 'FTP')!;

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-runner-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function firstAt(log: readonly LogRecord[], prefix: string): number {
  const r = log.find((l) => l.kind === 'system' && l.text.startsWith(prefix));
  if (r === undefined) throw new Error(`no log line ${prefix}: ${systemTexts(log).join(' | ')}`);
  return r.atUs;
}

describe('agent runner in a fake world', () => {
  test('Mail detects Nt on FTP, recovers its function on a virtual server and gives the VIP back after a Wake-on-LAN boot', async () => {
    // Arrange
    const { clock, world, log, runner, node, store } = await rig(join(dir, 'state'));
    await clock.runUntil(START_US + 15_000_000);
    // Act: FTP is shut down at the midpoint of an interval (Table 2).
    world.state.set('FTP', 'off');
    await clock.runUntil(START_US + 200_000_000);
    // Assert: the paper's sequence of Fig. 14, in order.
    const words = log.filter((r) => r.kind === 'system' && r.target === 'FTP').map((r) => r.event);
    const expected = [
      'networkProblemDetected', 'networkProblemConfirmed', 'restartCheck', 'createVirtualServer', 'virtualServerReady',
      'virtualIpSet', 'startForcibly', 'backgroundNormal', 'makeUpFile', 'findUpFile', 'virtualIpBack',
      'suspendVirtualServer', 'sendFiles', 'sendFlag',
    ];
    let at = 0;
    for (const word of expected) {
      const i = words.indexOf(word, at);
      expect(i, `${word} after ${expected[expected.indexOf(word) - 1]} in ${words.join(', ')}`).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    // The virtual server was made on the host with the most free memory (Web2), the VIP set there, then moved back.
    const resume = world.runs.find((r) => r.commands[0]?.[0] === 'vs' && r.commands[0][1] === 'resume')!;
    expect(resume).toMatchObject({ server: 'Web2', commands: [['vs', 'resume', 'FTPb', 'FTP']] });
    expect(world.runs.some((r) => r.server === 'Web2' && r.commands[0]?.join(' ') === `ip addr replace ${FTP.vip}/24 dev svc0`)).toBe(true);
    expect(world.runs.some((r) => r.server === 'FTP' && r.commands[0]?.join(' ') === `ip addr replace ${FTP.vip}/24 dev svc0`)).toBe(true);
    expect(world.wol).toEqual([FTP.mac]);
    const files = world.puts.find((p) => p.server === 'FTP' && p.paths.some((x) => x.endsWith('/group.file')))!;
    expect(files.paths.at(-1)).toMatch(/-ftp\/group\.file$/);
    expect(world.puts.at(-1)?.paths).toEqual([expect.stringMatching(/-ftp\/flag$/)]);
    // SEM carried the A4 edit and the return; the files on disk are back to FTP running.
    expect(world.sem).toContainEqual({ file: 'group.file', op: 'Del', line: '2 FTP FTP.dat' });
    expect(world.sem).toContainEqual({ file: 'separation.file', op: 'Add', line: '2 FTP FTP.dat' });
    await store.flushed();
    expect(await readFile(join(store.dir, 'group.file'), 'utf8')).toContain('2 FTP FTP.dat');
    expect(await readFile(join(store.dir, 'separation.file'), 'utf8')).toBe('');
    expect(node.files['problem.file']).toEqual([]);
    // Detection came within one interval and Tnd; the function recovery took the virtual delays of the fake world.
    const detectedUs = firstAt(log, 'IPR_network_is_problem FTP');
    expect(detectedUs - (START_US + 15_000_000)).toBeLessThanOrEqual(10_000_000 + 2_000_000 + 300_000);
    const functionUs = firstAt(log, 'Virtual_IP:_VIP_(IPV) FTP') - detectedUs;
    expect(functionUs).toBeGreaterThan(2_000_000); // the re-examination waits Tnd again
    expect(functionUs).toBeLessThan(4_000_000);
    runner.stop();
  });

  test('Mail detects St on FTP, restarts it with the configured command after releasing its VIP, and hands the target back', async () => {
    const { clock, world, log, runner } = await rig(join(dir, 'state'));
    world.bootMs = 8_000;
    await clock.runUntil(START_US + 15_000_000);
    world.state.set('FTP', 'serviceDead');
    await clock.runUntil(START_US + 120_000_000);
    const texts = systemTexts(log);
    expect(texts.some((t) => t.startsWith('IPR_service_is_problem FTP'))).toBe(true);
    expect(texts.some((t) => t.startsWith('Service_is_problem FTP'))).toBe(true);
    expect(texts.some((t) => t.startsWith('__Restart_IPR FTP'))).toBe(true);
    const onFtp = world.runs.filter((r) => r.server === 'FTP').map((r) => r.commands[0]?.join(' '));
    expect(onFtp.slice(0, 2)).toEqual([`ip addr del ${FTP.vip}/24 dev svc0`, '/usr/local/bin/lab-power restart ftp']);
    expect(texts.some((t) => t.startsWith('Virtual_IP:_VIP_(IPV->IPR) FTP'))).toBe(true);
    expect(world.wol).toEqual([]); // the restart brought it back before the restart wait ran out
    // The re-examination retried the service every 0.5 s for Table 1's 3 s before confirming St.
    const detectedUs = firstAt(log, 'IPR_service_is_problem FTP');
    const confirmedUs = firstAt(log, 'Service_is_problem FTP');
    expect(confirmedUs - detectedUs).toBeGreaterThanOrEqual(3_000_000);
    runner.stop();
  });

  test('a command that outlives its deadline is reported failed once and the late answer is dropped', async () => {
    const clock = new VirtualScheduler(START_US);
    const log: LogRecord[] = [];
    const agentLog = new AgentLog('Mail', () => clock.nowUs(), [(r) => void log.push(r)]);
    const node = new RingNode('Mail', defaultParams(), { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
    let aborted = 0;
    const runner = new AgentRunner({
      node,
      scheduler: clock,
      log: agentLog,
      commands: {
        timeoutMs: () => 1000,
        execute: (command, signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => (aborted += 1));
            // Answers only after 5 s, far past the 1 s deadline.
            clock.setTimer(() => resolve(command.type === 'measureLoad' ? { kind: 'load', sample: { freeMemKb: 1, cpuIdlePct: 1, netBytesPerS: 1 } } : { kind: 'done', ok: true }), 5000);
          }),
      },
    });
    runner.deliver({ type: 'filesReceived', files: initialFiles(PAPER_RING, START_S), data: PAPER });
    runner.deliver({ type: 'flagFile', present: true });
    await clock.runUntil(START_US + 12_000_000);
    const failed = log.filter((r) => r.event === 'commandFailed');
    expect(failed.length).toBeGreaterThan(0);
    expect(aborted).toBe(failed.length);
    expect(runner.pending).toBe(0);
    runner.stop();
  });

  test('while the clock gate is closed no tick runs; when it opens the held tick runs at once', async () => {
    const { clock, runner, log } = await rig(join(dir, 'state'));
    runner.setGate(false);
    await clock.runUntil(START_US + 40_000_000);
    const during = systemTexts(log).filter((t) => t.startsWith('IPR_is_normal')).length;
    expect(during).toBe(0);
    runner.setGate(true);
    await clock.runUntil(START_US + 41_000_000);
    expect(systemTexts(log).some((t) => t.startsWith('IPR_is_normal FTP'))).toBe(true);
    runner.stop();
  });
});

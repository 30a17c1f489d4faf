// The agent's Prometheus metrics are counted from what the agent already produces (typed log
// events, command results): Mail's program carried through Nt on FTP in the fake world on
// virtual time, then scraped over HTTP on 127.0.0.1 as Prometheus would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AgentMetrics } from '../../src/agent/metrics.ts';
import { serveMetrics } from '../../src/agent/metrics-server.ts';
import { START_US, rig } from './fake-rig.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-metrics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** sample reads one sample of the exposition by its name and labels, in any label order: sample(text, 'dbss_detections_total', { kind: 'network' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries({ ...labels, server: 'Mail' }).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m !== null && m[1] === name && (m[2] as string).split(',').sort().join(',') === want) return Number(m[3]);
  }
  throw new Error(`no sample ${name}{${want}} in\n${text}`);
}

test('a detection and both recoveries of Nt on FTP are counted, with the function recovery timed from the detection, and served on /metrics', async () => {
  // Arrange
  const metrics = new AgentMetrics('Mail');
  const { clock, world, runner, node, log } = await rig(join(dir, 'state'), { observer: metrics.observer, sinks: [metrics.sink] });
  metrics.attach({ refusals: () => ({ 'sem/replay': 2, 'load/bad-mac': 1 }), running: () => node.running, lastWakeUs: () => runner.lastWakeUs, pending: () => runner.pending });
  await clock.runUntil(START_US + 15_000_000);
  // Act: FTP is shut down (Nt), recovered on a virtual server, woken and handed back.
  world.state.set('FTP', 'off');
  await clock.runUntil(START_US + 200_000_000);
  runner.stop();
  const server = await serveMetrics(metrics, '127.0.0.1', 0);
  const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  const text = await response.text();
  const other = await fetch(`http://127.0.0.1:${server.port}/`);
  await server.close();
  // Assert
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  expect(other.status).toBe(404);
  const s = (name: string, labels: Record<string, string> = {}): number => sample(text, name, labels);
  expect(s('dbss_detections_total', { kind: 'network' })).toBe(1);
  expect(s('dbss_recoveries_total', { kind: 'function' })).toBe(1);
  expect(s('dbss_recoveries_total', { kind: 'target' })).toBe(1);
  const detectedUs = log.find((r) => r.event === 'networkProblemDetected')!.atUs;
  const functionUs = log.find((r) => r.event === 'virtualIpSet')!.atUs;
  expect(s('dbss_recovery_duration_seconds_sum', { kind: 'function' })).toBeCloseTo((functionUs - detectedUs) / 1e6, 6);
  expect(s('dbss_recovery_duration_seconds_count', { kind: 'target' })).toBe(1);
  // Mail ticked every 10 s for 200 s and examined FTP at each tick; the problem was seen by the examinations.
  expect(s('dbss_ticks_total')).toBeGreaterThanOrEqual(20);
  expect(s('dbss_examinations_total', { kind: 'network', result: 'problem' })).toBeGreaterThanOrEqual(2);
  expect(s('dbss_examinations_total', { kind: 'network', result: 'ok' })).toBeGreaterThanOrEqual(2);
  expect(s('dbss_sem_edits_sent_total')).toBeGreaterThanOrEqual(2); // FTP separated, then back
  expect(s('dbss_sem_edits_received_total')).toBeGreaterThan(0); // the others' heartbeats
  expect(s('dbss_sem_records_refused_total', { reason: 'replay' })).toBe(2);
  expect(s('dbss_load_requests_refused_total', { reason: 'bad-mac' })).toBe(1);
  expect(s('dbss_program_running')).toBe(1);
  expect(s('dbss_last_tick_timestamp_seconds')).toBe(runner.lastWakeUs! / 1e6);
  // No command failed in a world where every command answers, and no service detection was counted.
  expect(text).not.toMatch(/^dbss_command_failures_total\{/m);
  expect(text).not.toContain('dbss_detections_total{kind="service"');
});

test('command failures are counted by command and reason, while an examination that finds a problem is no failure', async () => {
  // Arrange
  const metrics = new AgentMetrics('Mail');
  // Act
  metrics.observer.commandDone({ type: 'setVip', id: 1, vip: '198.18.0.12', to: { kind: 'virtual', vsName: 'FTPb', host: 'Web2' }, from: null }, { kind: 'done', ok: false }, 40, null);
  metrics.observer.commandDone({ type: 'restartServer', id: 2, target: 'FTP', address: '198.18.0.2', vip: '198.18.0.12' }, { kind: 'done', ok: false }, 30_000, 'no result within 30000 ms');
  metrics.observer.commandDone({ type: 'sendWol', id: 3, target: 'FTP', mac: '00:00:00:00:00:02' }, { kind: 'done', ok: false }, 3, 'sendto EPERM');
  metrics.observer.commandDone({ type: 'probeNetwork', id: 4, target: 'FTP', address: '198.18.0.2', timeoutUs: 2_000_000 }, { kind: 'done', ok: false }, 2000, null);
  const text = await metrics.text();
  // Assert
  expect(sample(text, 'dbss_command_failures_total', { command: 'setVip', reason: 'not_ok' })).toBe(1);
  expect(sample(text, 'dbss_command_failures_total', { command: 'restartServer', reason: 'timeout' })).toBe(1);
  expect(sample(text, 'dbss_command_failures_total', { command: 'sendWol', reason: 'error' })).toBe(1);
  expect(text).not.toContain('dbss_command_failures_total{command="probeNetwork"');
  expect(sample(text, 'dbss_examinations_total', { kind: 'network', result: 'problem' })).toBe(1);
});

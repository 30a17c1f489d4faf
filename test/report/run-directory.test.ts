// `dbss sim --out DIR` writes one directory per invocation, Jepsen-style, with everything a
// script needs to know what ran and what came of it. Run in-process through the CLI's entry.
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.ts';
import { loadScenarioFile } from '../../src/config/scenario-file.ts';
import { makeRunDirectory, safeDirName, timeStamp } from '../../src/report/run-dir.ts';
import { RunDirectoryWriter } from '../../src/report/run-record.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import { systemLogText } from '../../src/report/run-logs.ts';
import { METRICS_CSV_COLUMNS } from '../../src/report/run-metrics.ts';
import { traceRecord } from '../../src/report/run-trace.ts';

let tmp = '';

/** sim runs `dbss sim ARGS` in-process with its table kept off the test's output. */
async function sim(args: string[]): Promise<number> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return await main(['sim', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** csvRows reads a CSV whose cells hold no commas or quotes (these do not), as objects by header. */
function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n').map((l) => l.split(','));
  return lines.map((cells) => Object.fromEntries((header ?? []).map((h, i) => [h, cells[i] ?? ''])));
}

function only(dir: string): string {
  const stamps = readdirSync(dir).filter((n) => n !== 'latest');
  expect(stamps).toHaveLength(1);
  return join(dir, stamps[0] as string);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dbss-run-dir-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dbss sim --out', () => {
  it('writes the scenario, run.json, metrics and each run\'s logs, timeline and trace into DIR/<scenario>/<stamp>/ with latest pointing at it', async () => {
    const out = join(tmp, 'runs');
    const status = await sim(['scenarios/single-ftp-nt.yaml', '--runs', '2', '--seed', '7', '--out', out, '--trace']);

    expect(status).toBe(0);
    const dir = only(join(out, 'single-ftp-nt'));
    expect(readlinkSync(join(out, 'single-ftp-nt', 'latest'))).toBe(dir.split('/').pop());
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe(readFileSync('scenarios/single-ftp-nt.yaml', 'utf8'));
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ seed: 7, runs: 2, runSeeds: ['7/run-1', '7/run-2'], method: 'ring', hardening: [], disable: [], finished: true, trace: true });
    expect(record.command).toEqual(['dbss', 'sim', 'scenarios/single-ftp-nt.yaml', '--runs', '2', '--seed', '7', '--out', out, '--trace']);
    expect(record.dbssVersion).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(record.parameters).toMatchObject({ monitorInterval: 10, restartWaitMax: 50, vsResume: 1.52, serviceExamByDaemon: { vsftpd: 0.02 } });
    expect(record.overriddenParameters).toEqual([]);
    expect(record.traceHashes).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['metrics.csv', 'metrics.jsonl', 'run-1', 'run-2', 'run.json', 'scenario.yaml']);
    for (const run of ['run-1', 'run-2']) {
      expect(readdirSync(join(dir, run)).sort()).toEqual([
        'client-FTP.log', 'client-Login.log', 'client-Mail.log', 'client-Proxy.log', 'client-Web1.log', 'client-Web2.log',
        'system.log', 'timeline.html', 'timeline.svg', 'trace.jsonl',
      ]);
    }
  });

  it('gives per-run metrics as CSV and JSON Lines with the same numbers, and the trace as JSON Lines', async () => {
    const out = join(tmp, 'metrics');
    await sim(['scenarios/single-ftp-nt.yaml', '--runs', '3', '--out', out, '--trace']);

    const dir = only(join(out, 'single-ftp-nt'));
    const csv = csvRows(readFileSync(join(dir, 'metrics.csv'), 'utf8'));
    const jsonl = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(csv[0] ?? {})).toEqual([...METRICS_CSV_COLUMNS]);
    expect(csv.map((r) => [r.run, r.server, r.fault])).toEqual([['1', 'FTP', 'Nt'], ['2', 'FTP', 'Nt'], ['3', 'FTP', 'Nt']]);
    jsonl.forEach((row, i) => {
      expect(Number(csv[i]?.function_recovery_s)).toBeCloseTo(row.functionRecoveryS, 6);
      expect(Number(csv[i]?.client_disconnection_s)).toBeCloseTo(row.clientDisconnectionS, 6);
      expect(row.violations).toEqual([]);
    });
    // Sec. 5.3's Nt: detection within an interval and Tnd, function recovery about 4 s, target recovery about 82 s.
    expect(jsonl[0].detectionS).toBeGreaterThan(0);
    expect(jsonl[0].detectionS).toBeLessThan(12);
    expect(jsonl[0].functionRecoveryS).toBeGreaterThan(3);
    expect(jsonl[0].targetRecoveryS).toBeGreaterThan(70);
    const trace = readFileSync(join(dir, 'run-1', 'trace.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(trace.length).toBeGreaterThan(500);
    expect(trace).toContainEqual(expect.objectContaining({ tUs: 5_000_000, source: 'FTP', kind: 'fault', detail: 'Nt' }));
  });

  it('puts the injected fault into the system log before the detection it causes', async () => {
    const out = join(tmp, 'faults');
    await sim(['scenarios/single-ftp-nt.yaml', '--runs', '1', '--out', out]);

    const log = readFileSync(join(only(join(out, 'single-ftp-nt')), 'run-1', 'system.log'), 'utf8').split('\n');
    const fault = log.findIndex((l) => l === '13:43:05.00 [simulator] Fault_injected Nt FTP (Nt FTP at 5 s)');
    const detection = log.findIndex((l) => / Mail IPR_network_is_problem FTP /.test(l));
    expect(fault).toBeGreaterThan(0);
    expect(detection).toBeGreaterThan(fault);
  });

  it('records parameter overrides by their scenario names, with those that follow the interval', async () => {
    const scenario = join(tmp, 'fast-interval.yaml');
    writeFileSync(scenario, 'name: fast-interval\nservers: [Mail, FTP, Web1]\nfaults:\n  - { server: FTP, type: St, at: 2 }\nparameters: { monitorInterval: 5, vsResume: 2 }\nruns: 1\n');
    const out = join(tmp, 'overrides');
    await sim([scenario, '--out', out]);

    const record = JSON.parse(readFileSync(join(only(join(out, 'fast-interval')), 'run.json'), 'utf8'));
    expect(record.parameters).toMatchObject({ monitorInterval: 5, internalMonitorOffset: 2.5, heartbeatStale: 5, vsResume: 2 });
    expect(record.overriddenParameters.sort()).toEqual(['heartbeatStale', 'internalMonitorOffset', 'monitorInterval', 'vsResume']);
    expect(record.servers).toEqual(['Mail', 'FTP', 'Web1']);
  });

  it('gives each invocation its own directory and moves latest to the newest, leaving the older one whole', async () => {
    const out = join(tmp, 'twice');
    await sim(['scenarios/single-ftp-st.yaml', '--runs', '2', '--out', out]);
    const first = only(join(out, 'single-ftp-st'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sim(['scenarios/single-ftp-st.yaml', '--runs', '1', '--out', out]);

    const stamps = readdirSync(join(out, 'single-ftp-st')).filter((n) => n !== 'latest').sort();
    expect(stamps).toHaveLength(2);
    expect(join(out, 'single-ftp-st', stamps[0] as string)).toBe(first);
    expect(readlinkSync(join(out, 'single-ftp-st', 'latest'))).toBe(stamps[1]);
    expect(readdirSync(first)).toContain('run-2');
    const second = join(out, 'single-ftp-st', stamps[1] as string);
    expect(readdirSync(second)).not.toContain('run-2');
    // The same run gives the same bytes: logs and timelines hold no clock of the machine.
    for (const file of ['system.log', 'client-FTP.log', 'timeline.svg', 'timeline.html']) {
      expect(readFileSync(join(second, 'run-1', file), 'utf8')).toBe(readFileSync(join(first, 'run-1', file), 'utf8'));
    }
  });

  it('copies a scenario piped to standard input (dbss sim - --out) and says where on stderr, through a real process', () => {
    const scenario = '# piped\nname: piped\nservers: [Mail, FTP]\nfaults: [{ server: FTP, type: Nt, at: 5 }]\nruns: 1\n';
    const out = join(tmp, 'stdin');

    const r = spawnSync(process.execPath, [resolve('bin/dbss.js'), 'sim', '-', '--json', '--out', out], { input: scenario, encoding: 'utf8', timeout: 60_000 });

    expect(r.status).toBe(0);
    const dir = only(join(out, 'piped'));
    expect(r.stderr).toBe(`run directory: ${dir}\n`);
    expect(JSON.parse(r.stdout).scenario).toBe('piped');
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe(scenario);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).scenario.file).toBe('stdin');
  });

  it('keeps --logs writing run-N/ with the faults in the system log', async () => {
    const logs = join(tmp, 'logs');
    await sim(['scenarios/single-ftp-nt.yaml', '--runs', '1', '--logs', logs]);

    expect(readdirSync(join(logs, 'run-1'))).toContain('client-FTP.log');
    expect(readFileSync(join(logs, 'run-1', 'system.log'), 'utf8')).toContain('[simulator] Fault_injected Nt FTP');
  });
});

describe('run directory parts', () => {
  it('names a stamp by UTC time to the millisecond, in an order that sorts by time', () => {
    expect(timeStamp(new Date(Date.UTC(2026, 11, 2, 9, 5, 7, 42)))).toBe('20261202T090507.042Z');
    expect(timeStamp(new Date(Date.UTC(2026, 11, 2, 10, 0, 0, 0))) > timeStamp(new Date(Date.UTC(2026, 11, 2, 9, 59, 59, 999)))).toBe(true);
  });

  it('makes two invocations of the same millisecond two directories', async () => {
    const at = new Date(Date.UTC(2026, 0, 1));
    const a = await makeRunDirectory(tmp, 'same-ms', at);
    const b = await makeRunDirectory(tmp, 'same-ms', at);

    expect([a.stamp, b.stamp]).toEqual(['20260101T000000.000Z', '20260101T000000.000Z-2']);
    expect(readlinkSync(join(tmp, 'same-ms', 'latest'))).toBe(b.stamp);
  });

  it('says finished: false in run.json until the runs are written, so an interrupted directory tells', async () => {
    const scenario = loadScenarioFile('scenarios/single-ftp-st.yaml');
    const invocation = { scenario: { name: 'interrupted', file: scenario.file, description: null }, seed: 1, runs: 1, parameters: {}, overriddenParameters: [], command: ['dbss'], cwd: '/', trace: false, dbssVersion: '0.0.0' };
    const writer = await RunDirectoryWriter.open(tmp, scenario.spec, invocation, 'faults: []\n', new Date(Date.UTC(2026, 0, 2)));

    expect(JSON.parse(readFileSync(join(writer.where.dir, 'run.json'), 'utf8'))).toMatchObject({ finished: false, traceHashes: [] });
    writer.addRun(1, '1/run-1', runOnce(scenario.spec, '1/run-1', { clientLogs: true }));
    await writer.finish();
    expect(JSON.parse(readFileSync(join(writer.where.dir, 'run.json'), 'utf8'))).toMatchObject({ finished: true, dbssVersion: '0.0.0' });
  });

  it('keeps a scenario named by an odd file name inside DIR', () => {
    expect(safeDirName('my scenario (2)')).toBe('my_scenario__2_');
    expect(safeDirName('..')).toBe('scenario..');
    expect(safeDirName('.hidden')).toBe('scenario.hidden');
  });

  it('writes a window fault\'s start and end into the system log in time order, before lines of the same instant', () => {
    const firstTickUs = 1_000_000_000;
    const text = systemLogText([{ server: 'FTP', type: 'ServicePartition', atUs: 2_000_000, durationUs: 3_000_000 }], {
      firstTickUs,
      endUs: firstTickUs + 60_000_000,
      log: [
        { atUs: firstTickUs + 1_000_000, server: 'Mail', entry: { event: 'programStart' } },
        { atUs: firstTickUs + 2_000_000, server: 'Mail', entry: { event: 'startDbss', target: 'FTP', role: null } },
        { atUs: firstTickUs + 9_000_000, server: 'Mail', entry: { event: 'endDbss', target: 'FTP', role: null } },
      ],
    });

    expect(text.split('\n').map((l) => l.slice(12))).toEqual([
      'Mail Management_program_start',
      '[simulator] Fault_injected ServicePartition FTP (ServicePartition FTP at 2 s for 3 s)',
      'Mail Start_DBSS FTP',
      '[simulator] Fault_ended ServicePartition FTP',
      'Mail End_DBSS FTP',
      '',
    ]);
  });

  it('splits a canonical trace line back into time, source, kind and detail', () => {
    expect(traceRecord('-4951211 FTP sem Mail 1', 100)).toEqual({ tUs: -4951211, atUs: 100 - 4951211, source: 'FTP', kind: 'sem', detail: 'Mail 1' });
    expect(traceRecord('5000000 FTP booted', 0)).toEqual({ tUs: 5000000, atUs: 5000000, source: 'FTP', kind: 'booted', detail: '' });
    expect(() => traceRecord('no time here', 0)).toThrow(/not a canonical trace line/);
  });
});

// dbss sweep end to end, in-process: a small study gives the same directory on one job and on
// two, shards merged give it byte for byte, and a merge refuses shards that do not make a whole.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, main } from '../../src/cli/cli.ts';

let tmp = '';
let sweepFile = '';

const SWEEP = `name: small
description: Two methods, two intervals, St on FTP at a random phase.
scenario: ${join(import.meta.dirname, '../../scenarios/single-ftp-st.yaml')}
axes:
  method: [ring, p2p]
  monitorInterval: [5, 10]
  faults:
    St: [{ server: FTP, type: St, at: 5 }]
replications: 3
seed: 7
phase: random
`;

async function dbss(...args: string[]): Promise<{ status: number; stderr: string }> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return { status: await main(args), stderr: '' };
  } catch (e) {
    return { status: failureOf(e).status, stderr: failureOf(e).stderr };
  } finally {
    console.log = log;
  }
}

function directory(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dbss-sweep-'));
  sweepFile = join(tmp, 'small.yaml');
  writeFileSync(sweepFile, SWEEP);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dbss sweep', () => {
  it('charts availability as accesses not answered per million, where architectures 1e-5 apart stand apart', async () => {
    const file = join(tmp, 'avail.yaml');
    writeFileSync(file, `scenario: ${join(import.meta.dirname, '../../sweeps/base/paper-cluster.yaml')}\naxes:\n  architecture: [failover-cluster, load-balancer]\n  mtbfHours: [200, 2000]\navailability: { years: 1 }\nreplications: 3\n`);
    expect(await dbss('sweep', file, '--out', join(tmp, 'avail'), '--jobs', '1')).toEqual({ status: 0, stderr: '' });
    const svg = readFileSync(join(tmp, 'avail', 'chart-availability-mtbfHours.svg'), 'utf8');
    expect(svg).toContain('not answered per million');
    // Each dot's tooltip holds its value: per million, so well above the 0-1 of a fraction.
    const values = [...svg.matchAll(/mtbfHours (\d+): ([\d.]+)</g)].map((m) => Number(m[2]));
    expect(values).toHaveLength(4);
    expect(Math.max(...values)).toBeGreaterThan(5);
  });

  it('writes the sweep, its scenario, points.csv, summary.csv, a chart per time metric and numeric axis, and REPORT.md', async () => {
    expect(await dbss('sweep', sweepFile, '--out', join(tmp, 'one'), '--jobs', '1')).toEqual({ status: 0, stderr: '' });
    const files = directory(join(tmp, 'one'));
    expect(Object.keys(files)).toEqual([
      'REPORT.md',
      'chart-client_disconnection-monitorInterval.svg',
      'chart-detection-monitorInterval.svg',
      'chart-function_recovery-monitorInterval.svg',
      'chart-target_recovery-monitorInterval.svg',
      'points.csv',
      'scenario.yaml',
      'summary.csv',
      'sweep.yaml',
    ]);
    const points = (files['points.csv'] as string).trim().split('\n');
    // 4 points x 3 replications x (4 times of FTP + the run's violations)
    expect(points).toHaveLength(1 + 4 * 3 * 5);
    expect(points[0]).toBe('point,method,monitorInterval,faults,replication,seed,shift_s,server,fault,metric,value');
    const violations = points.filter((l) => l.includes(',violations,'));
    expect(violations.every((l) => l.endsWith(',0'))).toBe(true);
    // every St fault is detected and its function recovered in every run
    expect(points.filter((l) => /,FTP,St,(detection|function_recovery)_s,$/.test(l))).toEqual([]);
    const summary = (files['summary.csv'] as string).trim().split('\n');
    expect(summary).toHaveLength(1 + 4 * 5);
    expect(files['REPORT.md']).toContain('| ring | 5 | St |');
  });

  it('gives the same files on two jobs as on one', async () => {
    expect((await dbss('sweep', sweepFile, '--out', join(tmp, 'two'), '--jobs', '2')).status).toBe(0);
    expect(directory(join(tmp, 'two'))).toEqual(directory(join(tmp, 'one')));
  });

  it('leaves only a shard\'s files when a shard is written over a whole sweep\'s directory', async () => {
    const dir = join(tmp, 'whole-then-shard');
    expect((await dbss('sweep', sweepFile, '--out', dir, '--jobs', '1')).status).toBe(0);
    expect((await dbss('sweep', sweepFile, '--out', dir, '--shard', '1/3', '--jobs', '1')).status).toBe(0);
    expect(Object.keys(directory(dir))).toEqual(['points.csv', 'scenario.yaml', 'shard.json', 'sweep.yaml']);
  });

  it('merges shards into the files one machine writes, byte for byte', async () => {
    for (const i of [1, 2, 3]) expect((await dbss('sweep', sweepFile, '--out', join(tmp, `shard-${i}`), '--shard', `${i}/3`, '--jobs', '1')).status).toBe(0);
    expect(Object.keys(directory(join(tmp, 'shard-2')))).toEqual(['points.csv', 'scenario.yaml', 'shard.json', 'sweep.yaml']);
    expect((await dbss('sweep', 'merge', join(tmp, 'shard-3'), join(tmp, 'shard-1'), join(tmp, 'shard-2'), '--out', join(tmp, 'merged'))).status).toBe(0);
    expect(directory(join(tmp, 'merged'))).toEqual(directory(join(tmp, 'one')));
  });

  it('refuses a merge that lacks a shard or holds one twice, with one line and status 2', async () => {
    const missing = await dbss('sweep', 'merge', join(tmp, 'shard-1'), join(tmp, 'shard-2'), '--out', join(tmp, 'bad'));
    expect(missing).toEqual({ status: 2, stderr: 'error: dbss sweep merge: expected shard 3 of 3 once, got it in none\n' });
    const twice = await dbss('sweep', 'merge', join(tmp, 'shard-1'), join(tmp, 'shard-1'), join(tmp, 'shard-2'), join(tmp, 'shard-3'), '--out', join(tmp, 'bad'));
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/^error: dbss sweep merge: expected shard 1 of 3 once, got it in .* and .*\n$/);
  });

  it('refuses a shard whose rows carry another seed than the sweep gives their run', async () => {
    const dir = join(tmp, 'shard-2');
    const text = readFileSync(join(dir, 'points.csv'), 'utf8');
    const lines = text.split('\n');
    lines[1] = (lines[1] as string).replace(/,(\d+)\/run-1,/, ',12345/run-1,');
    writeFileSync(join(dir, 'points.csv'), lines.join('\n'));
    const r = await dbss('sweep', 'merge', join(tmp, 'shard-1'), dir, join(tmp, 'shard-3'), '--out', join(tmp, 'bad'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/points\.csv:2: seed: expected \d+\/run-1 \(point 1 of this sweep\), got "12345\/run-1"\n$/);
    writeFileSync(join(dir, 'points.csv'), text);
  });

  it('refuses a shard whose points.csv was cut short', async () => {
    const dir = join(tmp, 'shard-2');
    const text = readFileSync(join(dir, 'points.csv'), 'utf8');
    writeFileSync(join(dir, 'points.csv'), text.split('\n').slice(0, 6).join('\n') + '\n');
    const r = await dbss('sweep', 'merge', join(tmp, 'shard-1'), dir, join(tmp, 'shard-3'), '--out', join(tmp, 'bad'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/points\.csv: rows: expected the 3 runs of shard 2\/3, got "1 runs"\n$/);
    writeFileSync(join(dir, 'points.csv'), text);
  });

  it.each([
    ['a row deleted', (lines: string[]) => lines.splice(2, 1), /points\.csv:3: row: expected FTP,St,function_recovery_s of point 1, replication 1 \(the rows its run writes, in order\), got "FTP,St,target_recovery_s"\n$/],
    ['a row repeated', (lines: string[]) => lines.splice(2, 0, lines[2] as string), /points\.csv:4: row: expected FTP,St,target_recovery_s of point 1, replication 1 .*, got "FTP,St,function_recovery_s"\n$/],
    ['a negative time', (lines: string[]) => (lines[2] = (lines[2] as string).replace(/,[\d.]*$/, ',-5')), /points\.csv:3: value: expected function_recovery_s: seconds with 6 decimals, or nothing when it never happened, got "-5"\n$/],
    ['a server renamed', (lines: string[]) => (lines[2] = (lines[2] as string).replace(',FTP,', ',Nobody,')), /points\.csv:3: row: expected FTP,St,function_recovery_s .*, got "Nobody,St,function_recovery_s"\n$/],
  ])('refuses a shard whose points.csv has %s, naming the line', async (_, change, message) => {
    const dir = join(tmp, 'shard-2');
    const text = readFileSync(join(dir, 'points.csv'), 'utf8');
    const lines = text.split('\n');
    change(lines);
    writeFileSync(join(dir, 'points.csv'), lines.join('\n'));
    const r = await dbss('sweep', 'merge', join(tmp, 'shard-1'), dir, join(tmp, 'shard-3'), '--out', join(tmp, 'bad'));
    writeFileSync(join(dir, 'points.csv'), text);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('dbss sweep --slurm', () => {
  it('writes an array job whose tasks, run as Slurm would run them, and its merge job give the directory one machine writes', async () => {
    const out = join(tmp, 'slurm');
    expect(await dbss('sweep', sweepFile, '--slurm', '--shards', '2', '--out', out)).toEqual({ status: 0, stderr: '' });
    expect(readdirSync(out).sort()).toEqual(['submit.sh', 'sweep-array.sbatch', 'sweep-merge.sbatch']);
    const array = readFileSync(join(out, 'sweep-array.sbatch'), 'utf8');
    expect(array).toContain('#SBATCH --array=1-2\n');
    for (const task of ['1', '2']) {
      const r = spawnSync('bash', [join(out, 'sweep-array.sbatch')], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: task, SLURM_CPUS_PER_TASK: '1' } });
      expect(r.status, r.stderr).toBe(0);
    }
    const merge = spawnSync('bash', [join(out, 'sweep-merge.sbatch')], { encoding: 'utf8' });
    expect(merge.status, merge.stderr).toBe(0);
    const merged = directory(out);
    for (const name of ['submit.sh', 'sweep-array.sbatch', 'sweep-merge.sbatch']) delete merged[name];
    for (const name of Object.keys(merged)) if (name.startsWith('shard-')) delete merged[name];
    expect(merged).toEqual(directory(join(tmp, 'one')));
  }, 60_000);
});

describe('the shipped study (npm run sweep:paper)', () => {
  it('reproduces: a shard of sweeps/monitoring-interval.yaml gives the rows reports/sweep-monitoring-interval/points.csv holds for its points', async () => {
    const out = join(tmp, 'shipped-shard');
    expect((await dbss('sweep', 'sweeps/monitoring-interval.yaml', '--shard', '5/12', '--out', out, '--jobs', '1')).status).toBe(0);
    const shard = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n');
    const committed = readFileSync('reports/sweep-monitoring-interval/points.csv', 'utf8').trim().split('\n');
    const mine = new Set(shard.slice(1).map((l) => l.split(',')[0]));
    expect(mine.size).toBe(6);
    expect(shard).toEqual([committed[0], ...committed.slice(1).filter((l) => mine.has(l.split(',')[0] as string))]);
  });
});


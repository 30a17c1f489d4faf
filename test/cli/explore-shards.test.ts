// dbss explore on several machines: shards of a search (--shard I/N) merged by dbss explore merge
// find the schedules, seeds and paths the search on one machine finds, and write the same
// scenario files; a merge of shards that do not make one whole search is refused.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let tmp = '';
const SEARCH = ['--method', 'ring', '--runs', '60', '--seed', '2', '--max-faults', '3', '--faults', 'paper', '--disable', 'automaticConnectionSelection'];

const DBSS = join(import.meta.dirname, '../../bin/dbss.js');

/** dbss runs a real process: bin/dbss.js runs the build when it is fresh, so its search workers start without compiling. */
async function dbss(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = spawnSync(process.execPath, [DBSS, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** findingsOf reads --json output without the work figures and with the output directory cut from paths. */
function findingsOf(json: string, dir: string): unknown {
  const value = JSON.parse(json) as { methods: { label: string; runs: number; findings: unknown[] }[] };
  return JSON.parse(JSON.stringify(value.methods.map((m) => [m.label, m.runs, m.findings])).replaceAll(dir, 'DIR'));
}

function scenarioFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dbss-explore-shards-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dbss explore --shard and dbss explore merge', () => {
  it('find, shrink and write what the search on one machine does', async () => {
    const one = await dbss('explore', ...SEARCH, '--out', join(tmp, 'one'), '--json');
    expect(one.status).toBe(1);
    for (const i of [1, 2]) expect((await dbss('explore', ...SEARCH, '--shard', `${i}/2`, '--out', join(tmp, `shard-${i}`))).status).toBe(0);
    const merged = await dbss('explore', 'merge', join(tmp, 'shard-2'), join(tmp, 'shard-1'), '--out', join(tmp, 'merged'), '--json');
    expect(merged.status).toBe(1);
    const found = findingsOf(one.stdout, join(tmp, 'one'));
    expect((found as unknown[][])[0]?.[2]).not.toEqual([]);
    expect(findingsOf(merged.stdout, join(tmp, 'merged'))).toEqual(found);
    expect(scenarioFiles(join(tmp, 'merged'))).toEqual(scenarioFiles(join(tmp, 'one')));
  }, 120_000);

  it('writes a Slurm array job whose tasks, run as Slurm runs them, and its merge find what the search on one machine finds', async () => {
    const out = join(tmp, 'slurm');
    const report = join(tmp, 'slurm-findings.md');
    const write = await dbss('explore', ...SEARCH, '--slurm', '--shards', '2', '--out', out, '--report', report);
    expect(write.status, write.stderr).toBe(0);
    expect(readFileSync(join(out, 'explore-array.sbatch'), 'utf8')).toContain('#SBATCH --array=1-2\n');
    for (const task of ['1', '2']) {
      const r = spawnSync('bash', [join(out, 'explore-array.sbatch')], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: task } });
      expect(r.status, r.stderr).toBe(0);
    }
    const merge = spawnSync('bash', [join(out, 'explore-merge.sbatch')], { encoding: 'utf8' });
    expect(merge.status).toBe(1); // it found something, as the search on one machine does
    expect(scenarioFiles(out)).toEqual(scenarioFiles(join(tmp, 'one')));
    expect(readFileSync(report, 'utf8')).toContain('managed-once');
  }, 120_000);

  it('refuses shards that lack one, or come from another search, with one line and status 2', async () => {
    const missing = await dbss('explore', 'merge', join(tmp, 'shard-1'), '--out', join(tmp, 'bad'));
    expect(missing).toMatchObject({ status: 2, stderr: 'error: dbss explore merge: expected shard 2 of 2 once, got it in none\n' });
    // A shard of another search: the same file with another seed.
    mkdirSync(join(tmp, 'other'));
    const shard = JSON.parse(readFileSync(join(tmp, 'shard-2', 'explore-shard.json'), 'utf8')) as { args: string[] };
    shard.args = shard.args.map((a) => (a === '2' ? '9' : a));
    writeFileSync(join(tmp, 'other', 'explore-shard.json'), JSON.stringify(shard));
    const other = await dbss('explore', 'merge', join(tmp, 'shard-1'), join(tmp, 'other'), '--out', join(tmp, 'bad'));
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/explore-shard\.json: args: expected the search of .*--seed 2 .*, got ".*--seed 9 .*"\n$/);
  }, 60_000);
});

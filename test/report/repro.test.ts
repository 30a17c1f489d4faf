// `dbss repro` writes the committed reports/ byte for byte (so reports/ is current), the same
// seed always writes the same bytes, another seed other bytes, and results.csv holds every
// Table 2 value of the paper for both methods.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reproCommand } from '../../src/cli/repro-command.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, FILES, repro, totalRuns } from '../../src/report/repro.ts';
import { UsageError } from '../../src/config/usage-error.ts';

const REPORTS = join(import.meta.dirname, '..', '..', 'reports');
const temps: string[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dbss-repro-'));
  temps.push(dir);
  return dir;
}

async function readAll(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of Object.values(FILES)) out.set(name, await readFile(join(dir, name), 'utf8'));
  return out;
}

function csvRows(csv: string): Record<string, string>[] {
  const [head, ...lines] = csv.trimEnd().split('\n');
  const columns = (head ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    expect(cells, line).toHaveLength(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

describe('dbss repro', () => {
  it('writes exactly the committed reports/ with the default seed and runs (run `npm run repro` when this fails)', async () => {
    const dir = await freshDir();
    await repro({ outDir: dir, runs: DEFAULT_RUNS, seed: DEFAULT_SEED });
    const ours = await readAll(dir);
    const committed = await readAll(REPORTS);
    for (const [name, text] of ours) expect(text, `reports/${name} is stale`).toBe(committed.get(name));
    // FINDINGS.md is written by `npm run explore`, the sweep-* directories by `npm run sweep:*`, scale/ and scale-large/ by `npm run scale` and `scale:large`, not by repro.
    const listed = (await readdir(REPORTS)).filter((n) => !n.startsWith('.') && n !== 'FINDINGS.md' && !n.startsWith('sweep-') && n !== 'scale' && n !== 'scale-large').sort();
    expect(listed, 'reports/ holds only what repro (and explore and the sweeps) write').toEqual(Object.values(FILES).sort());
  });

  it('writes the same bytes for the same seed and other bytes for another seed', async () => {
    const [a, b, c] = [await freshDir(), await freshDir(), await freshDir()];
    await repro({ outDir: a, runs: 2, seed: 3 });
    await repro({ outDir: b, runs: 2, seed: 3 });
    await repro({ outDir: c, runs: 2, seed: 4 });
    const [first, second, other] = [await readAll(a), await readAll(b), await readAll(c)];
    for (const [name, text] of first) expect(second.get(name), name).toBe(text);
    expect(other.get(FILES.csv)).not.toBe(first.get(FILES.csv));
    expect(other.get(FILES.timeline)).not.toBe(first.get(FILES.timeline));
  });

  it('counts every run it makes for the progress bar, each once, up to the total', async () => {
    const counted: [number, number][] = [];
    await repro({ outDir: await freshDir(), runs: 1, seed: 3, onProgress: (done, total) => counted.push([done, total]) });
    expect(counted).toEqual(Array.from({ length: totalRuns(1) }, (_, i) => [i + 1, totalRuns(1)]));
  });

  it('puts no absolute path, output directory or generated id in any file', async () => {
    const dir = await freshDir();
    await repro({ outDir: dir, runs: 1, seed: 1 });
    for (const [name, text] of await readAll(dir)) {
      expect(text.includes(dir), `${name} names the output directory`).toBe(false);
      expect(text.includes(process.cwd()), `${name} names the working directory`).toBe(false);
      expect(text, `${name} has a random id`).not.toMatch(/id="/);
    }
  });

  it('results.csv holds every Table 2 value of the paper: 6 upper and 8 lower per method, and no paper value for Fig. 15', async () => {
    const rows = csvRows(await readFile(join(REPORTS, FILES.csv), 'utf8'));
    const withPaper = rows.filter((r) => r.paper !== '');
    const count = (prefix: string, method: string): number => withPaper.filter((r) => r.experiment?.startsWith(prefix) && r.method === method).length;
    expect(count('table2-upper', 'ring')).toBe(6);
    expect(count('table2-upper', 'p2p')).toBe(6);
    expect(count('table2-lower', 'ring')).toBe(8);
    expect(count('table2-lower', 'p2p')).toBe(8);
    expect(withPaper).toHaveLength(28);
    expect(rows.filter((r) => r.experiment === 'fig15-three-nt' && r.paper !== '')).toEqual([]);
    // 7 experiments x 2 methods x their servers (1, 1, 2, 2, 2, 2, 3) x 4 metrics.
    expect(rows).toHaveLength(2 * (1 + 1 + 2 * 4 + 3) * 4);
    for (const r of withPaper) {
      expect(r.mean, `${r.experiment} ${r.method} ${r.metric}`).toMatch(/^\d+\.\d{3}$/);
      expect(r.error_pct).toMatch(/^-?\d+\.\d$/);
      const error = ((Number(r.mean) - Number(r.paper)) / Number(r.paper)) * 100;
      expect(Math.abs(error - Number(r.error_pct))).toBeLessThan(0.06);
    }
  });

  it('REPORT.md states the replay command and embeds every chart', async () => {
    const report = await readFile(join(REPORTS, FILES.report), 'utf8');
    expect(report).toContain(`npm run repro -- --seed ${DEFAULT_SEED} --runs ${DEFAULT_RUNS}`);
    for (const svg of [FILES.upper, FILES.lower, FILES.fig15, FILES.timeline]) expect(report).toContain(`](${svg})`);
    expect(report).toContain('## Model assumptions');
    expect(report).toContain('## Where the simulation differs');
  });

  it('refuses a run count below one as a usage error', async () => {
    await expect(reproCommand(['--runs', '0'])).rejects.toThrow(UsageError);
    await expect(reproCommand(['extra'])).rejects.toThrow(UsageError);
  });
});

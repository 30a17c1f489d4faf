// `dbss sweep FILE`: a parameter study (sweeps/*.yaml) run on every core, written as a results
// directory; `--shard I/N` makes one shard of it and `dbss sweep merge` joins the shards into the
// directory one machine writes, byte for byte.
import { readdirSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { DBSS_BIN } from './dbss-bin.ts';
import { parseCommandLine } from '../config/command-line.ts';
import { parseIntOption } from '../config/options.ts';
import { prepareOutputDir, writesFiles } from '../config/output-dir.ts';
import { readText } from '../config/read-text.ts';
import type { Sweep } from '../config/parse-sweep.ts';
import { loadSweepFile, sweepOfTexts } from '../config/sweep-file.ts';
import type { SweepTexts } from '../config/sweep-file.ts';
import { UsageError } from '../config/usage-error.ts';
import { checkWholeShards, parseShardOption, slurmOutDir } from '../config/shards.ts';
import { InputError } from '../core/model/input-error.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { sweepOutputFiles } from '../report/sweep/sweep-output.ts';
import { slurmFiles } from '../report/sweep/slurm-script.ts';
import { parsePointsCsv, pointsCsv } from '../report/sweep/sweep-rows.ts';
import type { SweepRow } from '../report/sweep/sweep-rows.ts';
import { clockText, Progress } from './progress.ts';
import { runSweep } from './sweep-workers.ts';

export const SWEEP_HELP = `Usage: dbss sweep <sweep.yaml> [--out DIR] [--jobs N] [--shard I/N]
       dbss sweep <sweep.yaml> --slurm [--shards N] [--jobs N] [--out DIR]
       dbss sweep merge <shard-dir>... --out DIR

Run a parameter study: a base scenario varied along axes (the method, named fault patterns,
any scenario parameter as a list or a range), each point replicated with its own seed, every
invariant checked. With an availability: block, each replication is instead months or years
under a fault process (MTBF, St/Nt share), for the five architectures of Fig. 16 (ring and P2P
simulated incident by incident, the others as documented models). See sweeps/ for examples and
docs/sweeps.md for the file format.

Writes DIR (default sweep-results/<name>): sweep.yaml and scenario.yaml (copied in),
points.csv (one row per point x replication x failed server x metric), summary.csv (means
with 95 % intervals), chart-<metric>-<axis>.svg (one per time metric and numeric axis, ring
and P2P side by side) and REPORT.md.

Options:
  --out DIR       the results directory (default sweep-results/<the sweep's name>)
  --jobs N        worker threads (default: the cores of this machine, ${availableParallelism()} here)
  --shard I/N     make only the points I, I+N, I+2N, ... (1 <= I <= N): DIR then holds that
                  shard's points.csv and shard.json, for dbss sweep merge
  --slurm         run nothing: write DIR/sweep-array.sbatch (an array job, one task per shard,
                  SLURM_ARRAY_TASK_ID to --shard, --jobs from SLURM_CPUS_PER_TASK),
                  DIR/sweep-merge.sbatch (the merge, after every task ended well) and
                  DIR/submit.sh, which submits both: bash DIR/submit.sh
  --shards N      with --slurm, the array's tasks (default: the points, at most 16)
  -h, --help      show this help

Each point's seed derives from the sweep's seed and the point's values, so a shard, or a sweep
with more points, makes the same runs for the points it shares.

Exit status: 0 when every run was made (a run that breaks an invariant is counted in the
violations metric, not an error), 2 on bad input.`;

const SHARD_FILE = 'shard.json';

/** SWEEP_OUTPUTS are the files a sweep, its shard, its merge or its Slurm scripts write in --out. */
const SWEEP_OUTPUTS = writesFiles('sweep.yaml', 'scenario.yaml', 'points.csv', 'summary.csv', 'REPORT.md', SHARD_FILE, /^chart-.*\.svg$/, /\.sbatch$/, 'submit.sh');

interface ShardInfo {
  sweepFile: string;
  baseFile: string;
  shard: number;
  shards: number;
}

export async function sweepCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1));
  const { values, positionals } = parseCommandLine('sweep', {
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, jobs: { type: 'string' }, shard: { type: 'string' }, slurm: { type: 'boolean', default: false }, shards: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(SWEEP_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`dbss sweep takes one sweep file, got ${positionals.length} (see dbss sweep --help)`);
  const file = positionals[0] as string;
  const jobs = values.jobs === undefined ? availableParallelism() : parseIntOption('--jobs', values.jobs, 1, 256);
  const sweep = loadSweepFile(file);
  if (values.shards !== undefined && !values.slurm) throw new UsageError('--shards: goes with --slurm (one machine takes --shard I/N)');
  if (values.slurm && values.shard !== undefined) throw new UsageError('--slurm and --shard: give one of them (the Slurm array sets each task\'s shard)');
  const shard = values.shard === undefined ? null : parseShard(values.shard, sweep.points.length);
  const outDir = await prepareOutputDir('--out', values.out ?? join('sweep-results', sweep.name), SWEEP_OUTPUTS);
  if (values.slurm) {
    const fullOut = slurmOutDir(outDir);
    const shards = values.shards === undefined ? Math.min(16, sweep.points.length) : parseIntOption('--shards', values.shards, 1, sweep.points.length);
    const plan = { command: 'sweep' as const, name: sweep.name, taskArgs: [resolve(file)], mergeArgs: [], outDir: fullOut, nodePath: process.execPath, dbssPath: DBSS_BIN, shards, cpusPerTask: values.jobs === undefined ? 1 : jobs };
    const scripts = slurmFiles(plan);
    for (const [name, text] of scripts) await writeFileAtomic(join(outDir, name), text, { mode: 0o755 });
    console.log(`wrote ${[...scripts.keys()].join(', ')} to ${outDir}: ${shards} array tasks of ${sweep.points.length} points x ${sweep.replications} replications, then the merge into ${outDir}`);
    console.log(`submit with: bash ${join(outDir, 'submit.sh')}`);
    return 0;
  }
  const texts: SweepTexts = { file: sweep.file, text: sweep.text, baseFile: sweep.baseFile, baseText: sweep.baseText };
  const points = sweep.points.filter((p) => shard === null || p.index % shard.shards === shard.shard - 1).map((p) => p.index);
  const runs = points.length * sweep.replications;
  const progress = new Progress(shard === null ? `sweep ${sweep.name}` : `sweep ${sweep.name} shard ${shard.shard}/${shard.shards}`, runs);
  const t0 = performance.now();
  const rows = await runSweep(sweep, texts, points, jobs, (done) => progress.tick(done));
  progress.phase('writing results');
  const files = shard === null ? sweepOutputFiles(sweep, rows) : shardFiles(sweep, rows, shard);
  await writeAll(outDir, files);
  progress.done();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${sweep.name}: ${points.length} points x ${sweep.replications} replications = ${runs} runs on ${Math.min(jobs, Math.max(1, runs))} job${jobs === 1 ? '' : 's'} in ${clockText(seconds * 1000)} (${seconds.toFixed(1)} s)`);
  console.log(`wrote ${[...files.keys()].length} files to ${outDir}${shard === null ? ` (see ${join(outDir, 'REPORT.md')})` : `; merge the ${shard.shards} shards with dbss sweep merge`}`);
  return 0;
}

/** parseShard reads I/N with 1 <= I <= N <= the sweep's points. */
function parseShard(text: string, points: number): { shard: number; shards: number } {
  const shard = parseShardOption(text);
  if (shard.shards > points) throw new UsageError(`--shard: expected at most ${points} shards (one point each at least), got ${JSON.stringify(text)}`);
  return shard;
}

function shardFiles(sweep: Sweep, rows: readonly SweepRow[], shard: { shard: number; shards: number }): Map<string, string> {
  const info: ShardInfo = { sweepFile: sweep.file, baseFile: sweep.baseFile, shard: shard.shard, shards: shard.shards };
  return new Map([
    ['sweep.yaml', sweep.text],
    ['scenario.yaml', sweep.baseText],
    ['points.csv', pointsCsv(sweep, rows)],
    [SHARD_FILE, `${JSON.stringify(info, null, 2)}\n`],
  ]);
}

/**
 * writeAll writes every file atomically, then removes what an earlier sweep left in the directory
 * and this one did not write (its charts, or a whole run's summary and report beside a shard's rows).
 */
async function writeAll(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [name, text] of files) await writeFileAtomic(join(outDir, name), text);
  for (const name of readdirSync(outDir)) {
    if (/^chart-.*\.svg$|^summary\.csv$|^REPORT\.md$/.test(name) && !files.has(name)) unlinkSync(join(outDir, name));
  }
  if (!files.has(SHARD_FILE) && readdirSync(outDir).includes(SHARD_FILE)) unlinkSync(join(outDir, SHARD_FILE));
}

async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('sweep merge', {
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(SWEEP_HELP);
    return 0;
  }
  if (values.out === undefined) throw new UsageError('dbss sweep merge: --out DIR is required');
  if (positionals.length === 0) throw new UsageError('dbss sweep merge: expected the shard directories to merge');
  const into = positionals.find((dir) => resolve(dir) === resolve(values.out as string));
  if (into !== undefined) throw new UsageError(`--out: expected a directory other than the shards merged, got ${JSON.stringify(values.out)} (the shard ${JSON.stringify(into)})`);
  const shards = positionals.map(readShard);
  const first = shards[0] as (typeof shards)[number];
  for (const s of shards) {
    const differs = s.text !== first.text ? 'sweep.yaml' : s.baseText !== first.baseText ? 'scenario.yaml' : s.info.sweepFile !== first.info.sweepFile || s.info.baseFile !== first.info.baseFile ? SHARD_FILE : null;
    if (differs !== null) throw new InputError(join(s.dir, differs), null, 'sweep', `the ${differs} of ${first.dir} (every shard of one sweep)`, 'another one');
    if (s.info.shards !== first.info.shards) throw new InputError(join(s.dir, SHARD_FILE), null, 'shards', `${first.info.shards}, as in ${first.dir}`, String(s.info.shards));
  }
  const n = first.info.shards;
  checkWholeShards('dbss sweep merge', shards.map((s) => ({ shard: s.info.shard, dir: s.dir })), n);
  const sweep = sweepOfTexts({ file: first.info.sweepFile, text: first.text, baseFile: first.info.baseFile, baseText: first.baseText });
  const rows = shards.flatMap((s) => {
    const mine = parsePointsCsv(s.points, join(s.dir, 'points.csv'), sweep);
    const expected = sweep.points.filter((p) => p.index % n === s.info.shard - 1).length * sweep.replications;
    const runs = new Set(mine.map((r) => `${r.point}/${r.replication}`));
    const stray = mine.find((r) => r.point % n !== s.info.shard - 1);
    if (stray !== undefined) throw new InputError(join(s.dir, 'points.csv'), null, 'point', `points of shard ${s.info.shard}/${n} only`, String(stray.point));
    if (runs.size !== expected) throw new InputError(join(s.dir, 'points.csv'), null, 'rows', `the ${expected} runs of shard ${s.info.shard}/${n}`, `${runs.size} runs`);
    return mine;
  });
  const outDir = await prepareOutputDir('--out', values.out, SWEEP_OUTPUTS);
  const files = sweepOutputFiles(sweep, rows);
  await writeAll(outDir, files);
  console.log(`merged ${n} shards of ${sweep.name} (${sweep.points.length} points x ${sweep.replications} replications) into ${outDir}`);
  return 0;
}

function readShard(dir: string): { dir: string; info: ShardInfo; text: string; baseText: string; points: string } {
  const infoFile = join(dir, SHARD_FILE);
  const raw = readText(infoFile, 'shard', 'the shard.json of a dbss sweep --shard directory');
  let info: ShardInfo;
  try {
    info = JSON.parse(raw) as ShardInfo;
  } catch {
    throw new InputError(infoFile, null, 'shard', 'JSON written by dbss sweep --shard', raw.slice(0, 40));
  }
  if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new InputError(infoFile, null, 'shard', 'an object of sweepFile, baseFile, shard and shards as dbss sweep --shard writes it', raw.slice(0, 40));
  const extra = Object.keys(info).find((k) => !['sweepFile', 'baseFile', 'shard', 'shards'].includes(k));
  if (extra !== undefined) throw new InputError(infoFile, null, extra, 'no other key than sweepFile, baseFile, shard and shards', extra);
  for (const k of ['sweepFile', 'baseFile'] as const) if (typeof info[k] !== 'string') throw new InputError(infoFile, null, k, 'the path of the file, a string', JSON.stringify(info[k]) ?? 'nothing');
  if (!Number.isInteger(info.shards) || info.shards < 1) throw new InputError(infoFile, null, 'shards', 'a whole number from 1', JSON.stringify(info.shards) ?? 'nothing');
  if (!Number.isInteger(info.shard) || info.shard < 1 || info.shard > info.shards) throw new InputError(infoFile, null, 'shard', `a whole number from 1 to shards (${info.shards})`, JSON.stringify(info.shard) ?? 'nothing');
  return {
    dir,
    info,
    text: readText(join(dir, 'sweep.yaml'), 'sweep', 'the sweep.yaml of a shard directory'),
    baseText: readText(join(dir, 'scenario.yaml'), 'scenario', 'the scenario.yaml of a shard directory'),
    points: readText(join(dir, 'points.csv'), 'points', 'the points.csv of a shard directory', 1 << 30),
  };
}

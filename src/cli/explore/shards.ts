// A search spread over machines: `dbss explore ... --shard I/N --out DIR` runs the batches of one
// shard and writes DIR/explore-shard.json (the search's own flags, and each method's first break
// of every invariant among the shard's batches, unshrunk); `dbss explore merge DIR... ` takes
// each invariant's first break over all shards, which is the one a single machine's search meets
// first, and shrinks and reports it as that search would. Slurm runs the shards as an array job.
import { join } from 'node:path';
import { InputError } from '../../core/model/input-error.ts';
import { readText } from '../../config/read-text.ts';
import { UsageError } from '../../config/usage-error.ts';
import { checkWholeShards, slurmOutDir } from '../../config/shards.ts';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../drivers/atomic-file.ts';
import { parseIntOption } from '../../config/options.ts';
import { DBSS_BIN } from '../dbss-bin.ts';
import { slurmFiles } from '../../report/sweep/slurm-script.ts';
import { batchesOf } from '../../sim/explore/search.ts';
import type { Break } from '../../sim/explore/search.ts';

export const SHARD_FILE = 'explore-shard.json';

/** OUTPUT_FLAGS say where a search's results go or how it is spread, not what it searches: a shard drops them, its merge takes its own. */
const OUTPUT_FLAGS = ['--shard', '--shards', '--out', '--report', '--baseline'];

/** ShardMethod is one method's part of a shard: its random schedules, worker time, and first breaks by batch index and offset. */
export interface ShardMethod {
  label: string;
  runs: number;
  randomSeconds: number;
  workers: number;
  breaks: { invariant: string; batch: number; offset: number }[];
}

export interface ShardFile {
  /** args are the search's flags as given, less the output flags: every shard of one search has the same. */
  args: string[];
  shard: number;
  shards: number;
  methods: ShardMethod[];
}

/** searchArgs drops the output flags (and their values) and --json from an explore command line. */
export function searchArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json' || a === '--slurm') continue;
    if (OUTPUT_FLAGS.includes(a)) {
      i++;
      continue;
    }
    if (OUTPUT_FLAGS.some((f) => a.startsWith(`${f}=`))) continue;
    out.push(a);
  }
  return out;
}

/** readShards reads the shard files of one search, checking that they belong together and make a whole. */
export function readShards(dirs: readonly string[]): { args: string[]; shards: number; methods: Map<string, ShardMethod[]> } {
  if (dirs.length === 0) throw new UsageError('dbss explore merge: expected the shard directories to merge');
  const files = dirs.map((dir) => {
    const file = join(dir, SHARD_FILE);
    const text = readText(file, 'shard', `the ${SHARD_FILE} of a dbss explore --shard directory`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError(file, null, 'shard', `JSON written by dbss explore --shard`, text.slice(0, 40));
    }
    if (!isShardFile(value)) throw new InputError(file, null, 'shard', 'args, shard, shards and methods as dbss explore --shard writes them', text.slice(0, 40));
    return { dir, file, shard: value };
  });
  const first = files[0] as (typeof files)[number];
  for (const f of files) {
    if (JSON.stringify(f.shard.args) !== JSON.stringify(first.shard.args)) throw new InputError(f.file, null, 'args', `the search of ${first.file} (${first.shard.args.join(' ')})`, f.shard.args.join(' '));
    if (f.shard.shards !== first.shard.shards) throw new InputError(f.file, null, 'shards', `${first.shard.shards}, as in ${first.file}`, String(f.shard.shards));
  }
  const n = first.shard.shards;
  checkWholeShards('dbss explore merge', files.map((f) => ({ shard: f.shard.shard, dir: f.dir })), n);
  const methods = new Map<string, ShardMethod[]>();
  for (const f of files) for (const m of f.shard.methods) methods.set(m.label, [...(methods.get(m.label) ?? []), m]);
  return { args: first.shard.args, shards: n, methods };
}

/** firstBreaks takes each invariant's first break over every shard of a method, as batches of the whole search. */
export function firstBreaks(parts: readonly ShardMethod[], runs: number, seed: number): Break[] {
  const batches = batchesOf(runs, seed);
  const first = new Map<string, Break>();
  for (const part of parts) {
    for (const b of part.breaks) {
      const batch = batches[b.batch];
      if (batch === undefined || b.offset < 0 || b.offset >= batch.runs) throw new UsageError(`dbss explore merge: a break at batch ${b.batch}, schedule ${b.offset}, which the search of ${runs} schedules does not have`);
      const known = first.get(b.invariant);
      const at = batch.firstRun + b.offset;
      if (known === undefined || at < known.batch.firstRun + known.offset) first.set(b.invariant, { invariant: b.invariant, batch, offset: b.offset });
    }
  }
  return [...first.values()];
}

function isShardFile(v: unknown): v is ShardFile {
  const o = v as Partial<ShardFile> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Array.isArray(o.args) &&
    o.args.every((a) => typeof a === 'string') &&
    Number.isInteger(o.shard) &&
    Number.isInteger(o.shards) &&
    (o.shard as number) >= 1 &&
    (o.shard as number) <= (o.shards as number) &&
    Array.isArray(o.methods) &&
    o.methods.every((m) => typeof m.label === 'string' && Number.isInteger(m.runs) && typeof m.randomSeconds === 'number' && Number.isInteger(m.workers) && Array.isArray(m.breaks) && m.breaks.every((b) => typeof b.invariant === 'string' && Number.isInteger(b.batch) && Number.isInteger(b.offset)))
  );
}

/**
 * exploreSlurm writes the search as a Slurm array job of --shards tasks (default 16) and its merge
 * (slurm-script.ts), which gets the --report and --baseline given here as absolute paths.
 */
export async function exploreSlurm(argv: readonly string[], outDir: string, o: { shards?: string; report?: string; baseline?: string; alone: boolean }): Promise<number> {
  if (!o.alone) throw new UsageError('--slurm: spreads a random search (no --shard, --exhaustive, --coverage or --replay)');
  const shards = o.shards === undefined ? 16 : parseIntOption('--shards', o.shards, 1, 10_000);
  const full = slurmOutDir(outDir);
  const mergeArgs = [...(o.report === undefined ? [] : ['--report', resolve(o.report)]), ...(o.baseline === undefined ? [] : ['--baseline', resolve(o.baseline)])];
  const scripts = slurmFiles({ command: 'explore', name: 'search', taskArgs: searchArgs(argv), mergeArgs, outDir: full, nodePath: process.execPath, dbssPath: DBSS_BIN, shards, cpusPerTask: 2 });
  for (const [name, text] of scripts) await writeFileAtomic(join(full, name), text, { mode: 0o755 });
  console.log(`wrote ${[...scripts.keys()].join(', ')} to ${outDir}; submit with: bash ${join(outDir, 'submit.sh')} (the merge exits 1 when it finds something, as dbss explore does)`);
  return 0;
}

// Shards of a sweep or a search spread over machines (dbss sweep, dbss explore): the --shard I/N
// option, the check that the shards given to a merge make one whole, and the output directory a
// Slurm script can name. One place for both commands, so that they answer alike.
import { resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

/** parseShardOption reads --shard I/N with 1 <= I <= N. */
export function parseShardOption(text: string): { shard: number; shards: number } {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const shard = Number(m?.[1]);
  const shards = Number(m?.[2]);
  if (m === null || shard < 1 || shard > shards) throw new UsageError(`--shard: expected I/N with 1 <= I <= N, such as 1/4, got ${JSON.stringify(text)}`);
  return { shard, shards };
}

/** checkWholeShards refuses a merge that lacks one of the n shards or holds one twice. */
export function checkWholeShards(command: string, found: readonly { shard: number; dir: string }[], n: number): void {
  for (let i = 1; i <= n; i++) {
    const have = found.filter((f) => f.shard === i);
    if (have.length !== 1) throw new UsageError(`${command}: expected shard ${i} of ${n} once, got it ${have.length === 0 ? 'in none' : `in ${have.map((f) => f.dir).join(' and ')}`}`);
  }
}

/** slurmOutDir is the absolute output directory of a Slurm job, refused when #SBATCH lines (which take no quoting) could not name it. */
export function slurmOutDir(outDir: string): string {
  const full = resolve(outDir);
  if (!/^[A-Za-z0-9_./+-]+$/.test(full)) throw new UsageError(`--out: expected a directory path of letters, digits and _ . / + - for --slurm (#SBATCH lines take no quoting), got ${JSON.stringify(outDir)}`);
  return full;
}

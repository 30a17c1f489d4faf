// A sweep as a Slurm job (`dbss sweep FILE --slurm`): an array job with one task per shard, each
// running `dbss sweep FILE --shard ${SLURM_ARRAY_TASK_ID}/N` into its own directory, and a merge
// job that runs once every task has ended well (afterok), joining the shards into the directory
// one machine writes. Every path is absolute and single-quoted: the scripts run on other nodes,
// from another directory, through a shell.
import { shellQuote } from '../../drivers/shell-quote.ts';

export interface SlurmPlan {
  name: string;
  /** sweepFile, outDir, nodePath and dbssPath are absolute. */
  sweepFile: string;
  outDir: string;
  nodePath: string;
  dbssPath: string;
  shards: number;
  /** cpusPerTask is each task's --jobs. */
  cpusPerTask: number;
}

/** slurmFiles are the scripts by file name: the array job, the merge job and the submit script that chains them. */
export function slurmFiles(plan: SlurmPlan): Map<string, string> {
  const q = shellQuote;
  const dbss = `${q(plan.nodePath)} ${q(plan.dbssPath)}`;
  const shardDir = (i: string): string => `${q(plan.outDir)}/shard-${i}`;
  const array = [
    '#!/bin/bash',
    `# dbss sweep ${plan.name}: shard \${SLURM_ARRAY_TASK_ID} of ${plan.shards}, written by dbss sweep --slurm (submit.sh submits it).`,
    `#SBATCH --job-name=dbss-${plan.name}`,
    `#SBATCH --array=1-${plan.shards}`,
    `#SBATCH --cpus-per-task=${plan.cpusPerTask}`,
    `#SBATCH --output=${plan.outDir}/slurm-%A_%a.out`,
    'set -euo pipefail',
    `exec ${dbss} sweep ${q(plan.sweepFile)} --shard "\${SLURM_ARRAY_TASK_ID}/${plan.shards}" --jobs "\${SLURM_CPUS_PER_TASK:-${plan.cpusPerTask}}" --out ${shardDir('"${SLURM_ARRAY_TASK_ID}"')}`,
    '',
  ].join('\n');
  const shards = Array.from({ length: plan.shards }, (_, i) => shardDir(String(i + 1))).join(' ');
  const merge = [
    '#!/bin/bash',
    `# dbss sweep ${plan.name}: merges the ${plan.shards} shards once every array task has ended well (submit.sh submits it with afterok).`,
    `#SBATCH --job-name=dbss-${plan.name}-merge`,
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --output=${plan.outDir}/slurm-merge-%j.out`,
    'set -euo pipefail',
    `exec ${dbss} sweep merge ${shards} --out ${q(plan.outDir)}`,
    '',
  ].join('\n');
  const submit = [
    '#!/bin/bash',
    `# Submits the sweep ${plan.name} to Slurm: the array job, then the merge job after it.`,
    'set -euo pipefail',
    `array=$(sbatch --parsable ${q(`${plan.outDir}/sweep-array.sbatch`)})`,
    'array=${array%%;*}',
    `merge=$(sbatch --parsable --dependency="afterok:\${array}" ${q(`${plan.outDir}/sweep-merge.sbatch`)})`,
    'echo "submitted array job ${array} and merge job ${merge%%;*}"',
    '',
  ].join('\n');
  return new Map([
    ['sweep-array.sbatch', array],
    ['sweep-merge.sbatch', merge],
    ['submit.sh', submit],
  ]);
}

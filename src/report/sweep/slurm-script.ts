// A sweep or a search as a Slurm job (`dbss sweep FILE --slurm`, `dbss explore ... --slurm`): an
// array job with one task per shard, each running the command with `--shard ${SLURM_ARRAY_TASK_ID}/N`
// into its own directory, and a merge job that runs once every task has ended well (afterok),
// joining the shards as one machine would write them. Every path is absolute and every argument
// single-quoted: the scripts run on other nodes, from another directory, through a shell.
import { shellQuote } from '../../drivers/shell-quote.ts';

export interface SlurmPlan {
  /** command is what runs sharded: dbss sweep or dbss explore. */
  command: 'sweep' | 'explore';
  name: string;
  /** taskArgs are the command's arguments before --shard (the sweep file, or the search's flags); mergeArgs go to its merge. */
  taskArgs: readonly string[];
  mergeArgs: readonly string[];
  /** outDir, nodePath and dbssPath are absolute. */
  outDir: string;
  nodePath: string;
  dbssPath: string;
  shards: number;
  /** cpusPerTask is what each task asks of Slurm, and a sweep's --jobs. */
  cpusPerTask: number;
}

/** slurmFiles are the scripts by file name: the array job, the merge job and the submit script that chains them. */
export function slurmFiles(plan: SlurmPlan): Map<string, string> {
  const q = shellQuote;
  const dbss = `${q(plan.nodePath)} ${q(plan.dbssPath)}`;
  const shardDir = (i: string): string => `${q(plan.outDir)}/shard-${i}`;
  const what = `dbss ${plan.command} ${plan.name}`;
  const jobs = plan.command === 'sweep' ? ` --jobs "\${SLURM_CPUS_PER_TASK:-${plan.cpusPerTask}}"` : '';
  const array = [
    '#!/bin/bash',
    `# ${what}: shard \${SLURM_ARRAY_TASK_ID} of ${plan.shards}, written by dbss ${plan.command} --slurm (submit.sh submits it).`,
    `#SBATCH --job-name=dbss-${plan.name}`,
    `#SBATCH --array=1-${plan.shards}`,
    `#SBATCH --cpus-per-task=${plan.cpusPerTask}`,
    `#SBATCH --output=${plan.outDir}/slurm-%A_%a.out`,
    'set -euo pipefail',
    `exec ${dbss} ${plan.command} ${plan.taskArgs.map(q).join(' ')} --shard "\${SLURM_ARRAY_TASK_ID}/${plan.shards}"${jobs} --out ${shardDir('"${SLURM_ARRAY_TASK_ID}"')}`,
    '',
  ].join('\n');
  const shards = Array.from({ length: plan.shards }, (_, i) => shardDir(String(i + 1))).join(' ');
  const merge = [
    '#!/bin/bash',
    `# ${what}: merges the ${plan.shards} shards once every array task has ended well (submit.sh submits it with afterok).`,
    `#SBATCH --job-name=dbss-${plan.name}-merge`,
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --output=${plan.outDir}/slurm-merge-%j.out`,
    'set -euo pipefail',
    `exec ${dbss} ${plan.command} merge ${shards} --out ${q(plan.outDir)}${plan.mergeArgs.map((a) => ` ${q(a)}`).join('')}`,
    '',
  ].join('\n');
  const submit = [
    '#!/bin/bash',
    `# Submits ${what} to Slurm: the array job, then the merge job after it.`,
    'set -euo pipefail',
    `array=$(sbatch --parsable ${q(`${plan.outDir}/${plan.command}-array.sbatch`)})`,
    'array=${array%%;*}',
    `merge=$(sbatch --parsable --dependency="afterok:\${array}" ${q(`${plan.outDir}/${plan.command}-merge.sbatch`)})`,
    'echo "submitted array job ${array} and merge job ${merge%%;*}"',
    '',
  ].join('\n');
  return new Map([
    [`${plan.command}-array.sbatch`, array],
    [`${plan.command}-merge.sbatch`, merge],
    ['submit.sh', submit],
  ]);
}

// A one-node Slurm cluster for the lab test of `dbss sweep --slurm`: munged, slurmctld and slurmd
// from Debian's slurm-wlm and munge, started as root in the foreground with every file (key,
// socket, configuration, state, spool, logs, pid files) in one temporary directory, on loopback
// ports, so that stopping them and removing the directory leaves nothing behind.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram, runProgramStatus } from '../../src/drivers/exec.ts';

const TIMEOUT_MS = 15_000;

export interface SlurmCluster {
  dir: string;
  /** env is process.env with SLURM_CONF pointing at the cluster's configuration. */
  env: NodeJS.ProcessEnv;
  /** idle waits until the queue is empty (every job ended), up to timeoutMs. */
  idle(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** startSlurm starts munged, slurmctld and slurmd and waits until the node is idle. */
export async function startSlurm(): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'dbss-slurm-'));
  for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o400);
  const socket = join(dir, 'munge.socket');
  await runProgram('munged', ['--force', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(dir, 'munged.pid')}`, `--log-file=${join(dir, 'munged.log')}`, `--seed-file=${join(dir, 'munge.seed')}`], { timeoutMs: TIMEOUT_MS });
  const node = hostname();
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=dbsslab',
      `SlurmctldHost=${node}(127.0.0.1)`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'SlurmctldPort=16817',
      'SlurmdPort=16818',
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobCompType=jobcomp/none',
      'AccountingStorageType=accounting_storage/none',
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = ['slurmctld', 'slurmd'].map((d) => spawn(d, ['-D', '-f', conf], { env, stdio: 'ignore' }));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const p of daemons) p.kill('SIGTERM');
    await Promise.all(daemons.map((p) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r)))));
    const munged = Number(readFileSync(join(dir, 'munged.pid'), 'utf8').trim());
    if (Number.isInteger(munged) && munged > 1) process.kill(munged, 'SIGTERM');
    for (let i = 0; i < 50 && (await runProgramStatus('pgrep', ['-f', dir], { timeoutMs: TIMEOUT_MS })).exitCode === 0; i++) await new Promise((r) => setTimeout(r, 100));
    rmSync(dir, { recursive: true, force: true });
  };
  const cluster: SlurmCluster = {
    dir,
    env,
    async idle(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const q = await runProgramStatus('squeue', ['-h'], { timeoutMs: TIMEOUT_MS, env });
        if (q.exitCode === 0 && q.stdout.trim() === '') return;
        if (Date.now() > until) throw new Error(`Slurm jobs still queued after ${timeoutMs} ms: ${q.stdout.trim()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    stop,
  };
  try {
    const until = Date.now() + 30_000;
    for (;;) {
      const s = await runProgramStatus('sinfo', ['-h', '-o', '%t'], { timeoutMs: TIMEOUT_MS, env });
      if (s.exitCode === 0 && s.stdout.trim() === 'idle') break;
      if (Date.now() > until) throw new Error(`the Slurm node did not become idle: ${s.stdout.trim()} ${s.stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return cluster;
}

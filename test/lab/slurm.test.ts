// dbss sweep on Slurm: a one-node cluster (munged, slurmctld, slurmd from Debian) runs a small
// sweep as a 4-task array job and the dependent merge job; the merged directory equals the
// one-machine run byte for byte; the daemons stop and nothing is left behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgramStatus } from '../../src/drivers/exec.ts';
import { isRoot } from './leftovers.ts';
import { startSlurm } from './slurm-cluster.ts';
import type { SlurmCluster } from './slurm-cluster.ts';

const DBSS = join(import.meta.dirname, '../../bin/dbss.js');
const haveSlurm = spawnSync('which', ['slurmctld', 'slurmd', 'sbatch', 'munged']).status === 0;

function files(dir: string): Record<string, string> {
  const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  return Object.fromEntries(names.filter((n) => !n.endsWith('.sbatch') && n !== 'submit.sh' && !n.startsWith('slurm-')).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

describe.skipIf(!isRoot() || !haveSlurm)('dbss sweep --slurm on a one-node Slurm cluster', () => {
  let cluster: SlurmCluster;
  let tmp = '';
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'dbss-slurm-sweep-'));
    cluster = await startSlurm();
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs a 4-task array job and its merge, whose results equal the one-machine run byte for byte, and leaves nothing behind', async () => {
    const sweep = join(tmp, 'small.yaml');
    writeFileSync(
      sweep,
      `name: small\nscenario: ${join(import.meta.dirname, '../../scenarios/single-ftp-st.yaml')}\naxes:\n  method: [ring, p2p]\n  monitorInterval: [5, 10]\nreplications: 3\nseed: 7\nphase: random\n`,
    );
    const out = join(tmp, 'slurm');
    const write = spawnSync(process.execPath, [DBSS, 'sweep', sweep, '--slurm', '--shards', '4', '--out', out], { encoding: 'utf8' });
    expect(write.status, write.stderr).toBe(0);
    const submit = spawnSync('bash', [join(out, 'submit.sh')], { encoding: 'utf8', env: cluster.env });
    expect(submit.status, submit.stderr).toBe(0);
    expect(submit.stdout).toMatch(/^submitted array job \d+ and merge job \d+\n$/);
    await cluster.idle(120_000);
    expect(readdirSync(out).filter((n) => /^slurm-\d+_\d\.out$/.test(n))).toHaveLength(4);
    const local = spawnSync(process.execPath, [DBSS, 'sweep', sweep, '--out', join(tmp, 'local'), '--jobs', '1'], { encoding: 'utf8' });
    expect(local.status, local.stderr).toBe(0);
    const merged = files(out);
    expect(Object.keys(merged)).toContain('REPORT.md');
    expect(merged).toEqual(files(join(tmp, 'local')));

    const dir = cluster.dir;
    await cluster.stop();
    const left = await runProgramStatus('pgrep', ['-af', dir], { timeoutMs: 15_000 });
    expect(left.stdout.trim()).toBe('');
    expect(readdirSync(tmpdir()).filter((n) => join(tmpdir(), n) === dir)).toEqual([]);
  });
});

// writeRunLogs writes one run's system log and client access logs (Sec. 5.2, Fig. 14) into a
// directory, each file atomically, so an interrupted run never leaves half a log behind.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLogEvent } from '../core/program/log-events.ts';
import { removeStaleTemps, writeFileAtomic } from '../drivers/atomic-file.ts';
import type { RunOutput } from '../sim/run/run.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';
import { formatClock } from './clock-format.ts';

export async function writeRunLogs(dir: string, spec: RunSpec, out: RunOutput): Promise<string[]> {
  // The parent was made and checked before the runs (config/output-dir.ts): one level, never recursive.
  await mkdir(dir).catch((e: unknown) => {
    if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
  });
  await removeStaleTemps(dir, { deadWritersOnly: true }); // left by a run killed while writing; other runs may be writing here now
  const written: string[] = [];
  const system = out.log.map((l) => `${formatClock(l.atUs)} ${l.server} ${renderLogEvent(l.entry)}`).join('\n') + '\n';
  const systemPath = join(dir, 'system.log');
  await writeFileAtomic(systemPath, system);
  written.push(systemPath);
  for (const [server, accesses] of out.clients) {
    const vip = spec.cluster.find((c) => c.data.hostName === server)?.data.vip ?? '?';
    const header = `# client access log: ${server} at ${vip}; OK: normal, XX: abnormality (Fig. 14)\n`;
    const body = accesses.map((a) => `${formatClock(a.atUs)} ${a.ok ? 'OK' : 'XX'}`).join('\n');
    const path = join(dir, `client-${server}.log`);
    await writeFileAtomic(path, header + body + '\n');
    written.push(path);
  }
  return written;
}

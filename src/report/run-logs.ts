// writeRunLogs writes one run's system log and client access logs (Sec. 5.2, Fig. 14) into a
// directory, each file atomically, so an interrupted run never leaves half a log behind. The
// system log carries the faults the simulator injected, in time order with the management
// programs' lines, so that a reader sees what happened beside what the servers noticed.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLogEvent } from '../core/program/log-events.ts';
import { removeStaleTemps, writeFileAtomic } from '../drivers/atomic-file.ts';
import type { RunOutput } from '../sim/run/run.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';
import { describeFault } from '../sim/world/faults.ts';
import type { Fault } from '../sim/world/faults.ts';
import { formatClock } from './clock-format.ts';

/** SIMULATOR_SOURCE stands in the server column of a fault's line: no management server wrote it. */
export const SIMULATOR_SOURCE = '[simulator]';

export async function writeRunLogs(dir: string, spec: RunSpec, out: RunOutput): Promise<string[]> {
  // The parent was made and checked before the runs (config/output-dir.ts): one level, never recursive.
  await mkdir(dir).catch((e: unknown) => {
    if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
  });
  await removeStaleTemps(dir, { deadWritersOnly: true }); // left by a run killed while writing; other runs may be writing here now
  const written: string[] = [];
  const systemPath = join(dir, 'system.log');
  await writeFileAtomic(systemPath, systemLogText(spec.faults, out));
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

/**
 * systemLogText renders the system log with a line for each fault injected and, for a window
 * fault, for its end. At the same instant a fault comes first: the simulator injects it before
 * any program can react.
 */
export function systemLogText(faults: readonly Fault[], out: Pick<RunOutput, 'log' | 'firstTickUs' | 'endUs'>): string {
  const faultLines = faultLogLines(faults, out.firstTickUs, out.endUs);
  const lines: string[] = [];
  let f = 0;
  for (const l of out.log) {
    while (f < faultLines.length && (faultLines[f]?.atUs ?? Infinity) <= l.atUs) lines.push(faultLines[f++]?.text ?? '');
    lines.push(`${formatClock(l.atUs)} ${l.server} ${renderLogEvent(l.entry)}`);
  }
  while (f < faultLines.length) lines.push(faultLines[f++]?.text ?? '');
  return lines.join('\n') + '\n';
}

/** faultLogLines are the fault lines in time order (stable: the scenario's order at the same instant), those after the run's end left out. */
function faultLogLines(faults: readonly Fault[], firstTickUs: number, endUs: number): { atUs: number; text: string }[] {
  const lines: { atUs: number; text: string }[] = [];
  for (const fault of faults) {
    const atUs = firstTickUs + fault.atUs;
    lines.push({ atUs, text: `${formatClock(atUs)} ${SIMULATOR_SOURCE} Fault_injected ${fault.type} ${fault.server} (${describeFault(fault)})` });
    if (fault.durationUs !== undefined) {
      const toUs = atUs + fault.durationUs;
      lines.push({ atUs: toUs, text: `${formatClock(toUs)} ${SIMULATOR_SOURCE} Fault_ended ${fault.type} ${fault.server}` });
    }
  }
  return lines.filter((l) => l.atUs <= endUs).sort((a, b) => a.atUs - b.atUs);
}

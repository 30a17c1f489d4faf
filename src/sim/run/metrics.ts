// The three times of Sec. 5.2-5.3, read from the system log the way the paper reads Fig. 14:
// function recovery = VIP set on the virtual server - failure detected; target recovery = VIP
// moved back to the target - failure detected; client disconnection from the client log.
import { logTarget } from '../../core/program/log-events.ts';
import type { SystemLogLine } from '../../core/program/log-events.ts';

export interface TargetTimes {
  server: string;
  fault: string;
  faultAtUs: number;
  detectedAtUs: number | null;
  functionRecoveryUs: number | null;
  targetRecoveryUs: number | null;
  clientDisconnectionUs: number | null;
}

/** logByTarget splits a system log by the server each line is about, so each fault reads only its own lines. */
export function logByTarget(log: readonly SystemLogLine[]): Map<string, SystemLogLine[]> {
  const by = new Map<string, SystemLogLine[]>();
  for (const line of log) {
    const target = logTarget(line.entry);
    if (target === null) continue;
    let lines = by.get(target);
    if (lines === undefined) by.set(target, (lines = []));
    lines.push(line);
  }
  return by;
}

/** isDetection tells whether a log event is a manager's first failed examination of its target. */
export function isDetection(event: string): boolean {
  return event === 'networkProblemDetected' || event === 'serviceProblemDetected';
}

/** targetTimes measures one fault of one server from a run's system log and its client disconnection. */
export function targetTimes(
  log: readonly SystemLogLine[],
  clientDisconnectionUs: number | null,
  server: string,
  fault: string,
  faultAtUs: number,
): TargetTimes {
  let detectedAtUs: number | null = null;
  let functionAtUs: number | null = null;
  let targetAtUs: number | null = null;
  for (const line of log) {
    if (line.atUs < faultAtUs) continue;
    const e = line.entry;
    if (logTarget(e) !== server) continue;
    if (detectedAtUs === null) {
      if (isDetection(e.event)) detectedAtUs = line.atUs;
      continue;
    }
    if (functionAtUs === null && e.event === 'virtualIpSet') functionAtUs = line.atUs;
    if (targetAtUs === null && e.event === 'virtualIpBack') targetAtUs = line.atUs;
    if (functionAtUs !== null && targetAtUs !== null) break;
  }
  const since = (t: number | null): number | null => (t === null || detectedAtUs === null ? null : t - detectedAtUs);
  return {
    server,
    fault,
    faultAtUs,
    detectedAtUs,
    functionRecoveryUs: since(functionAtUs),
    targetRecoveryUs: since(targetAtUs),
    clientDisconnectionUs,
  };
}

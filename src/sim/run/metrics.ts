// The three times of Sec. 5.2-5.3, read from the system log the way the paper reads Fig. 14:
// function recovery = VIP set on the virtual server - failure detected; target recovery = VIP
// moved back to the target - failure detected; client disconnection from the client log.
import { LOG } from '../../core/program/log-events.ts';
import type { SystemLogLine } from '../world/world.ts';

export interface TargetTimes {
  server: string;
  fault: string;
  faultAtUs: number;
  detectedAtUs: number | null;
  functionRecoveryUs: number | null;
  targetRecoveryUs: number | null;
  clientDisconnectionUs: number | null;
}

const DETECTION_WORDS = new Set<string>([LOG.networkProblemDetected, LOG.serviceProblemDetected]);

/** wordAndTarget splits a log text into its Fig. 14 word and the server it is about. */
export function wordAndTarget(text: string): [string, string | undefined] {
  const parts = text.split(' ');
  return [parts[0] as string, parts[1]];
}

/** logByTarget splits a system log by the server each line is about, so each fault reads only its own lines. */
export function logByTarget(log: readonly SystemLogLine[]): Map<string, SystemLogLine[]> {
  const by = new Map<string, SystemLogLine[]>();
  for (const line of log) {
    const target = wordAndTarget(line.text)[1];
    if (target === undefined) continue;
    let lines = by.get(target);
    if (lines === undefined) by.set(target, (lines = []));
    lines.push(line);
  }
  return by;
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
    const [word, target] = wordAndTarget(line.text);
    if (target !== server) continue;
    if (detectedAtUs === null) {
      if (DETECTION_WORDS.has(word)) detectedAtUs = line.atUs;
      continue;
    }
    if (functionAtUs === null && word === LOG.virtualIpSet) functionAtUs = line.atUs;
    if (targetAtUs === null && word === LOG.virtualIpBack) targetAtUs = line.atUs;
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

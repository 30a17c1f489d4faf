// firstEventTimes reads, from one run's system log, the first time each log word about the failed
// server appears after the fault: what the Fig. 14 comparison (chart and table) lines up.
import { wordAndTarget } from '../sim/run/metrics.ts';
import type { TimelineRun } from './run-all.ts';

/** firstEventTimes maps each log word to its first time after the fault, in seconds. */
export function firstEventTimes(run: TimelineRun): Map<string, number> {
  const first = new Map<string, number>();
  for (const line of run.log) {
    const [word, target] = wordAndTarget(line.text);
    if (line.atUs < run.faultAtUs || target !== run.server || first.has(word)) continue;
    first.set(word, (line.atUs - run.faultAtUs) / 1e6);
  }
  return first;
}

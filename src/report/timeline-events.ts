// firstEventTimes reads, from one run's system log, the first time each event about the failed
// server appears after the fault: what the Fig. 14 comparison (chart and table) lines up.
import { logTarget } from '../core/program/log-events.ts';
import type { LogEventName } from '../core/program/log-events.ts';
import type { TimelineRun } from './run-all.ts';

/** firstEventTimes maps each log event to its first time after the fault, in seconds. */
export function firstEventTimes(run: TimelineRun): Map<LogEventName, number> {
  const first = new Map<LogEventName, number>();
  for (const line of run.log) {
    const event = line.entry.event;
    if (line.atUs < run.faultAtUs || logTarget(line.entry) !== run.server || first.has(event)) continue;
    first.set(event, (line.atUs - run.faultAtUs) / 1e6);
  }
  return first;
}

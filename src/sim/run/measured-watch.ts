// MeasuredWatch tells when every fault of a run has its three times (metrics.ts): the failure
// detected, the VIP set on a virtual server or not, and the VIP moved back to the target. Each is
// the first such line of the system log after the one before it, so nothing the run does later
// changes them; a run asked to stop once measured (RunObservation.stopOnceMeasured) ends a
// client's round trip or two after the last of them, where the client has met the service again
// (its disconnection ends at the first access answered after the failure, before the VIP moves
// back, or within an access of it). A fault whose target is never handed back keeps the run going
// to its full length, as without the watch.
import type { SystemLogLine } from '../../core/program/log-events.ts';
import { logTarget } from '../../core/program/log-events.ts';
import type { Fault } from '../world/faults.ts';

interface Watched {
  server: string;
  faultAtUs: number;
  detected: boolean;
  back: boolean;
}

export class MeasuredWatch {
  private readonly watched: Watched[];
  private left: number;
  /** measuredAtUs is when the last fault's target was handed back, or null while one is not. */
  measuredAtUs: number | null = null;

  constructor(faults: readonly Fault[], firstTickUs: number) {
    this.watched = faults.map((f) => ({ server: f.server, faultAtUs: firstTickUs + f.atUs, detected: false, back: false }));
    this.left = this.watched.length;
  }

  /** onLog reads one system log line, as targetTimes does (the detection line itself counts for nothing else). */
  onLog(line: SystemLogLine): void {
    if (this.left === 0) return;
    const target = logTarget(line.entry);
    if (target === null) return;
    for (const w of this.watched) {
      if (w.back || w.server !== target || line.atUs < w.faultAtUs) continue;
      if (!w.detected) {
        w.detected = line.entry.event === 'networkProblemDetected' || line.entry.event === 'serviceProblemDetected';
        continue;
      }
      if (line.entry.event !== 'virtualIpBack') continue;
      w.back = true;
      if (--this.left === 0) this.measuredAtUs = line.atUs;
    }
  }
}

// MeasuredWatch tells when every fault of a run has its three times (metrics.ts): the failure
// detected, the VIP set on a virtual server and the VIP moved back to the target. Each is the first
// such line of the system log after the detection, so once all are seen nothing the run does later
// changes them; a run asked to stop once measured (RunObservation.stopOnceMeasured) ends a
// client's round trip or two after the last of them, where the client has met the service again
// (its disconnection ends at the first access answered after the failure, before the VIP moves
// back, or within an access of it). A fault whose VIP is never set on a virtual server, or never
// handed back, keeps the run going to its full length, as without the watch.
import type { SystemLogLine } from '../../core/program/log-events.ts';
import { logTarget } from '../../core/program/log-events.ts';
import type { Fault } from '../world/faults.ts';
import { isDetection } from './metrics.ts';

interface Watched {
  server: string;
  faultAtUs: number;
  detected: boolean;
  set: boolean;
  back: boolean;
}

export class MeasuredWatch {
  private readonly watched: Watched[];
  private left: number;
  /** measuredAtUs is when the last of the faults' times was logged, or null while one is missing. */
  measuredAtUs: number | null = null;

  constructor(faults: readonly Fault[], firstTickUs: number) {
    this.watched = faults.map((f) => ({ server: f.server, faultAtUs: firstTickUs + f.atUs, detected: false, set: false, back: false }));
    this.left = this.watched.length;
  }

  /** onLog reads one system log line, as targetTimes does (the detection line itself counts for nothing else). */
  onLog(line: SystemLogLine): void {
    if (this.left === 0) return;
    const target = logTarget(line.entry);
    if (target === null) return;
    for (const w of this.watched) {
      if ((w.set && w.back) || w.server !== target || line.atUs < w.faultAtUs) continue;
      if (!w.detected) {
        w.detected = isDetection(line.entry.event);
        continue;
      }
      if (line.entry.event === 'virtualIpSet') w.set = true;
      else if (line.entry.event === 'virtualIpBack') w.back = true;
      else continue;
      if (w.set && w.back && --this.left === 0) this.measuredAtUs = line.atUs;
    }
  }
}

// AvailabilityLog keeps, for each service's VIP, the timeline of what a client reaching it
// would get. The client of Sec. 5.2 never changes the system, so its access log is computed
// from this timeline after the run instead of costing a simulated event every second.

/** Reach is what an access to the VIP meets: the service, a refused port, or nobody. */
export type Reach = 'ok' | 'refused' | 'unreachable';

export interface ReachChange {
  atUs: number;
  reach: Reach;
}

export class AvailabilityLog {
  private readonly timelines = new Map<string, ReachChange[]>();

  /** set records the reach of server's service from atUs on, when it changed. */
  set(server: string, atUs: number, reach: Reach): void {
    let line = this.timelines.get(server);
    if (line === undefined) {
      line = [];
      this.timelines.set(server, line);
    }
    const last = line[line.length - 1];
    if (last !== undefined && last.reach === reach) return;
    if (last !== undefined && last.atUs === atUs) line.pop();
    line.push({ atUs, reach });
  }

  timeline(server: string): readonly ReachChange[] {
    return this.timelines.get(server) ?? [];
  }

  servers(): string[] {
    return [...this.timelines.keys()];
  }
}

/** downSpans lists the spans [from, to) between fromUs and toUs in which a timeline's service was not answering (refused or unreachable). */
export function downSpans(timeline: readonly ReachChange[], fromUs: number, toUs: number): [number, number][] {
  const spans: [number, number][] = [];
  timeline.forEach((change, i) => {
    if (change.reach === 'ok') return;
    const next = timeline[i + 1];
    const a = Math.max(fromUs, change.atUs);
    const b = Math.min(toUs, next === undefined ? toUs : next.atUs);
    if (b > a) spans.push([a, b]);
  });
  return spans;
}

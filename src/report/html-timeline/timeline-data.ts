// TimelineData is what the per-run timeline draws, in seconds after the first tick (t = 0): the
// client's OK/XX strip of every service (Fig. 14's client log, runs of equal answers merged into
// bands, since a simulated day holds 86,400 accesses a service), each management server's log
// events, the faults, per fault its detection, function recovery and target recovery marks, and
// where the run first broke each invariant it broke (src/sim/checkers).
import type { LogEventName } from '../../core/program/log-events.ts';
import { renderLogEvent } from '../../core/program/log-events.ts';
import type { RunOutput } from '../../sim/run/run.ts';
import type { RunSpec } from '../../sim/run/run-spec.ts';
import { describeFault } from '../../sim/world/faults.ts';
import { formatClock } from '../clock-format.ts';
import { fixed } from '../format.ts';

export type MarkKind = 'fault' | 'detection' | 'function' | 'target' | 'violation';

/** EventKind colours a log event: the failure detection, the two recoveries of Sec. 5.2, or any other. */
export type EventKind = 'detection' | 'function' | 'target' | 'other';

export interface TimelineData {
  title: string;
  firstTickUs: number;
  fromS: number;
  toS: number;
  clients: { server: string; bands: { fromS: number; toS: number; ok: boolean; accesses: number }[] }[];
  logs: { server: string; events: { atS: number; kind: EventKind; tip: string }[] }[];
  /** windows are the spans of window faults (partitions, SEM loss or delay). */
  windows: { fromS: number; toS: number; tip: string }[];
  marks: { atS: number; kind: MarkKind; label: string; tip: string }[];
}

const EVENT_KINDS: Partial<Record<LogEventName, EventKind>> = {
  networkProblemDetected: 'detection',
  serviceProblemDetected: 'detection',
  virtualIpSet: 'function',
  virtualIpBack: 'target',
};

/** timelineData reads one run; the servers keep the ring's order. */
export function timelineData(title: string, spec: RunSpec, out: RunOutput): TimelineData {
  const origin = out.firstTickUs;
  const s = (atUs: number): number => (atUs - origin) / 1e6;
  const when = (atUs: number): string => `${formatClock(atUs)} (t = ${fixed(s(atUs), 2)} s)`;
  const order = spec.cluster.map((c) => c.data.hostName);
  const clients = order.flatMap((server) => {
    const accesses = out.clients.get(server);
    if (accesses === undefined || accesses.length === 0) return [];
    const bands: TimelineData['clients'][number]['bands'] = [];
    accesses.forEach((a, i) => {
      const toS = s(accesses[i + 1]?.atUs ?? a.atUs + 1_000_000);
      const last = bands[bands.length - 1];
      if (last !== undefined && last.ok === a.ok) {
        last.toS = toS;
        last.accesses++;
      } else bands.push({ fromS: s(a.atUs), toS, ok: a.ok, accesses: 1 });
    });
    return [{ server, bands }];
  });
  const logs = order.map((server) => ({
    server,
    events: out.log
      .filter((l) => l.server === server)
      .map((l) => ({ atS: s(l.atUs), kind: EVENT_KINDS[l.entry.event] ?? 'other', tip: `${when(l.atUs)} ${server}: ${renderLogEvent(l.entry)}` })),
  }));
  const windows = spec.faults
    .filter((f) => f.durationUs !== undefined)
    .map((f) => ({ fromS: f.atUs / 1e6, toS: (f.atUs + (f.durationUs ?? 0)) / 1e6, tip: `fault window: ${describeFault(f)}` }));
  const marks: TimelineData['marks'] = spec.faults.map((f) => ({ atS: f.atUs / 1e6, kind: 'fault', label: `${f.type} ${f.server}`, tip: `${when(origin + f.atUs)} fault injected: ${describeFault(f)}` }));
  for (const t of out.targets) {
    if (t.detectedAtUs === null) continue;
    const d = t.detectedAtUs;
    const after = (us: number): string => `${fixed((us - t.faultAtUs) / 1e6, 2)} s after the fault`;
    marks.push({ atS: s(d), kind: 'detection', label: `detected ${t.server}`, tip: `${when(d)} ${t.fault} of ${t.server} detected, ${after(d)}` });
    if (t.functionRecoveryUs !== null) {
      const at = d + t.functionRecoveryUs;
      marks.push({ atS: s(at), kind: 'function', label: `function ${t.server}`, tip: `${when(at)} function recovery of ${t.server}: ${fixed(t.functionRecoveryUs / 1e6, 2)} s after detection` });
    }
    if (t.targetRecoveryUs !== null) {
      const at = d + t.targetRecoveryUs;
      marks.push({ atS: s(at), kind: 'target', label: `target ${t.server}`, tip: `${when(at)} target recovery of ${t.server}: ${fixed(t.targetRecoveryUs / 1e6, 2)} s after detection` });
    }
  }
  for (const v of out.violations) {
    const times = v.count === 1 ? '' : ` (${v.count} times; the first shown)`;
    marks.push({ atS: s(v.atUs), kind: 'violation', label: v.invariant, tip: `${when(v.atUs)} invariant ${v.invariant} broken${times}: ${v.detail}` });
  }
  marks.sort((a, b) => a.atS - b.atS);
  // The run starts one monitoring interval before the first tick (sim/run/run.ts).
  return { title, firstTickUs: origin, fromS: -spec.params.monitorIntervalUs / 1e6, toS: s(out.endUs), clients, logs, windows, marks };
}

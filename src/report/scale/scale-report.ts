// The study at scale as files: scale.csv (one row per method and ring size), an SVG chart of the
// simulator's wall time and the protocol's messages against the ring size on log-log axes with the
// fitted exponents, and REPORT.md with where the ring method's management traffic fills a
// 1000BASE-T management switch, beside SWIM-style gossip and heartbeats to a dedicated server.
import { fixed } from '../format.ts';
import { mdTable } from '../markdown.ts';
import { lineChartSvg } from '../svg/line-chart.ts';
import type { Convergence, ScalePoint } from './scale-point.ts';

/** ScaleRow is a point with what the simulator spent on it. */
export interface ScaleRow extends ScalePoint {
  wallSeconds: number;
  peakRssBytes: number;
}

/** GIGABIT_BYTES_PER_S is a 1000BASE-T link's payload rate, the paper's management switch (Fig. 13). */
const GIGABIT_BYTES_PER_S = 125_000_000;
/** SWIM_MESSAGES_PER_S is what a memberlist member sends a second with DefaultLANConfig: a probe and its ack (ProbeInterval 1 s) and gossip to 3 members every 200 ms, whatever the cluster's size. */
const SWIM_MESSAGES_PER_S = 2 + 3 * 5;

/** fitExponent is the slope of log(y) against log(x) by least squares: y grows as x to that power. */
export function fitExponent(points: readonly { x: number; y: number }[]): number | null {
  const p = points.filter((q) => q.x > 0 && q.y > 0).map((q) => ({ x: Math.log(q.x), y: Math.log(q.y) }));
  if (p.length < 2) return null;
  const mx = p.reduce((a, q) => a + q.x, 0) / p.length;
  const my = p.reduce((a, q) => a + q.y, 0) / p.length;
  const sxx = p.reduce((a, q) => a + (q.x - mx) ** 2, 0);
  return sxx === 0 ? null : p.reduce((a, q) => a + (q.x - mx) * (q.y - my), 0) / sxx;
}

export function scaleCsv(rows: readonly ScaleRow[]): string {
  const header = [
    'method', 'servers', 'simulated_s', 'faults', 'violations', 'wall_s', 'events', 'program_events', 'peak_rss_bytes', 'messages_per_server_per_s', 'sem_bytes_per_server_per_s',
    'detection_s', 'function_recovery_s', 'target_recovery_s', 'heartbeat_converge_mean_s', 'heartbeat_converge_max_s', 'group_converge_mean_s', 'group_converge_max_s',
  ];
  const s3 = (x: number | null | undefined): string => (x === null || x === undefined ? '' : fixed(x, 3));
  const lines = rows.map((r) =>
    [
      r.method, r.servers, r.simulatedSeconds, r.faults, r.violations.join(' '), fixed(r.wallSeconds, 3), r.events, r.programEvents, r.peakRssBytes, fixed(r.messagesPerServerPerSecond, 4), fixed(r.semBytesPerServerPerSecond, 1),
      s3(r.detectionSeconds), s3(r.functionRecoverySeconds), s3(r.targetRecoverySeconds), s3(r.heartbeatConvergence?.meanSeconds), s3(r.heartbeatConvergence?.maxSeconds), s3(r.groupConvergence?.meanSeconds), s3(r.groupConvergence?.maxSeconds),
    ].join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export function scaleSvg(rows: readonly ScaleRow[]): string {
  const methods = [...new Set(rows.map((r) => r.method))];
  const line = (label: string, y: (r: ScaleRow) => number) =>
    methods.map((m) => {
      const mine = rows.filter((r) => r.method === m);
      const e = fitExponent(mine.map((r) => ({ x: r.servers, y: y(r) })));
      return { label: `${label}, ${m} (exponent ${e === null ? '-' : fixed(e, 2)})`, points: mine.map((r) => ({ x: Math.log10(r.servers), y: Math.log10(Math.max(y(r), 1e-9)), ci: null })) };
    });
  return lineChartSvg({
    title: 'The ring at scale: simulator wall time and management messages against ring size',
    subtitle: 'log10 on both axes; exponents fitted by least squares on log-log',
    xLabel: 'log10 servers',
    yLabel: 'log10 value',
    panels: [{ title: '', series: [...line('wall seconds', (r) => r.wallSeconds), ...line('messages per second, all servers', (r) => r.messagesPerServerPerSecond * r.servers)] }],
  });
}

export function scaleMd(rows: readonly ScaleRow[], command: string): string {
  const out = ['# The ring method at scale', '', `Made with \`${command}\`. One run per method and ring size, every checker on; 1 % of the servers fail (at least one), Nt and St in turn, spread over the run. Synthetic rings S1..SK (the paper's six servers for K = 6).`, ''];
  out.push(
    mdTable(
      ['method', 'servers', 'wall s', 'events', 'peak RSS MB', 'messages/server/s', 'SEM bytes/server/s', 'detection s', 'function recovery s', 'target recovery s', 'heartbeat.file converges s', 'group.file converges s', 'violations'],
      rows.map((r) => [
        r.method, String(r.servers), fixed(r.wallSeconds, 2), String(r.events), fixed(r.peakRssBytes / 1e6, 0), fixed(r.messagesPerServerPerSecond, 2), fixed(r.semBytesPerServerPerSecond, 0),
        s2(r.detectionSeconds), s2(r.functionRecoverySeconds), s2(r.targetRecoverySeconds), meanMax(r.heartbeatConvergence), meanMax(r.groupConvergence), r.violations.join(' ') || 'none',
      ]),
    ),
    '',
    '![wall time and messages against ring size](chart-scale.svg)',
    '',
    'Detection and recovery times are means over the faults, counted as in Table 2 (recovery from the detection). Nt and St faults are averaged together, so these means follow the mix of fault types, not K: one fault (Nt) below 150 servers, as many St as Nt from about 1,000 (an Nt target comes back by Wake-on-LAN and a boot, an St target by a restart, which is quicker). A file converges when a SEM record of it has reached the last replica it reached: the mean (the longest) over the run\'s records.',
    '',
  );
  for (const m of [...new Set(rows.map((r) => r.method))]) {
    const mine = rows.filter((r) => r.method === m);
    const wall = fitExponent(mine.map((r) => ({ x: r.servers, y: r.wallSeconds })));
    const perServer = fitExponent(mine.map((r) => ({ x: r.servers, y: r.messagesPerServerPerSecond })));
    const bytes = fitExponent(mine.map((r) => ({ x: r.servers, y: r.semBytesPerServerPerSecond })));
    const last = mine[mine.length - 1];
    out.push(`## ${m === 'p2p' ? 'P2P' : 'The ring'}`, '');
    const why = m === 'ring'
      ? 'every server stamps its heartbeat once an interval and the stamp goes to every other server (Sec. 4.1, dual monitoring), so the whole ring sends about K^2 records an interval (counted one by one; the simulator applies each record once to the files the replicas share, docs/scale.md)'
      : 'P2P keeps no heartbeat file: its SEM records are the edits of recoveries, and each server examines its own target once an interval, so what a server sends stays flat';
    const top = mine.slice(-2);
    const wallTop = top.length === 2 ? fitExponent(top.map((r) => ({ x: r.servers, y: r.wallSeconds }))) : null;
    out.push(`- Simulator: wall time grows as K^${wall === null ? '?' : fixed(wall, 2)} over these sizes${wallTop === null ? '' : ` (K^${fixed(wallTop, 2)} between the two largest, where fixed costs weigh least)`}. Protocol: messages per server and second grow as K^${perServer === null ? '?' : fixed(perServer, 2)}, SEM bytes per server and second as K^${bytes === null ? '?' : fixed(bytes, 2)}: ${why}.`);
    if (last !== undefined && bytes !== null && last.semBytesPerServerPerSecond > 0) {
      // Received by each server (K - 1 copies of everyone's records) and carried by the switch in all.
      const perServerAt = (k: number): number => last.semBytesPerServerPerSecond * (k / last.servers) ** bytes;
      const switchK = solve((k) => perServerAt(k) * k - GIGABIT_BYTES_PER_S);
      out.push(
        switchK === null
          ? '- Extrapolated from the fit, its SEM records would not fill a 1000BASE-T management switch below 10^7 servers.'
          : `- Extrapolated from the fit, the SEM records alone (their Diff.dat text, before framing) would fill a 1000BASE-T management switch (${GIGABIT_BYTES_PER_S / 1e6} MB/s in all) at about K = ${Math.round(switchK)} servers; a server's own 1 Gbit/s NIC carries about 1/K of that. On the wire the agent's frames add an HMAC in hex (64 bytes), JSON and UDP/IP headers to every datagram, so the limit comes at a smaller K (as the square root of the growth: four times the bytes halve it).`,
      );
    }
    out.push(convergenceLine(mine));
    const swimK = last === undefined || perServer === null || perServer <= 0 ? null : solve((k) => last.messagesPerServerPerSecond * (k / last.servers) ** perServer - SWIM_MESSAGES_PER_S);
    out.push(
      `- Beside it: a SWIM-style member (memberlist's DefaultLANConfig: a probe and its ack every second, gossip to 3 members every 200 ms) sends about ${SWIM_MESSAGES_PER_S} messages a second whatever K; heartbeats to a dedicated management server cost each server one message an interval (0.1 a second at Table 1's 10 s) and the manager K of them. ${swimK === null ? `${title(m)}'s messages per server stay below SWIM's at every size measured here and, by the fit, beyond.` : `${title(m)} sends more per server than a SWIM member from about K = ${Math.round(swimK)}.`}`,
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * convergenceLine says whether a method's files converge in the same time at every ring size. The
 * simulated management switch delivers a record after the SEM delivery time with no queue, so only
 * impaired replicas make it longer: the switch filling up is read from the traffic instead.
 */
function convergenceLine(mine: readonly ScaleRow[]): string {
  const spreads = mine.flatMap((r) => [r.heartbeatConvergence, r.groupConvergence]).filter((c): c is Convergence => c !== null);
  if (spreads.length === 0) return '- Files: no SEM record was sent.';
  const lo = Math.min(...spreads.map((c) => c.maxSeconds));
  const hi = Math.max(...spreads.map((c) => c.maxSeconds));
  const range = lo === hi ? `${fixed(hi, 3)} s at every size` : `from ${fixed(lo, 3)} to ${fixed(hi, 3)} s`;
  return `- Files: the longest a record took to reach every replica it reached was ${range}. The simulated management switch hands a record over after the SEM delivery time and keeps no queue, so the files converge in the same time at any K as long as the switch carries the traffic; a real switch past that would queue or drop records, which this model does not.`;
}

function s2(x: number | null): string {
  return x === null ? '' : fixed(x, 2);
}

function meanMax(c: Convergence | null): string {
  return c === null ? '-' : `${fixed(c.meanSeconds, 3)} (${fixed(c.maxSeconds, 3)})`;
}

function title(m: string): string {
  return m === 'p2p' ? 'P2P' : m === 'ring' ? 'The ring' : m;
}

/** solve finds k >= 2 where f(k) crosses zero (f increasing), by bisection on a log scale; null beyond 1e7. */
function solve(f: (k: number) => number): number | null {
  let lo = 2;
  let hi = 1e7;
  if (f(lo) >= 0) return lo;
  if (f(hi) < 0) return null;
  for (let i = 0; i < 100; i++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

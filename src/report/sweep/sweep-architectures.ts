// The Fig. 16 comparison of a study of availability, as a section of its REPORT.md: per
// architecture and point, the servers it needs, the simulated availability and downtime (means
// over the services) beside the closed form A = MTTF / (MTTF + MTTR), and what each model assumes.
import { ARCHITECTURE_ASSUMPTIONS, closedFormAvailability, COMMON_CAUSE_ASSUMPTION, serversNeeded } from '../../sim/sweep/architectures.ts';
import { hasCommonCause } from '../../sim/sweep/sweep.ts';
import type { Sweep } from '../../sim/sweep/sweep.ts';
import { fixed } from '../format.ts';
import { mdTable } from '../markdown.ts';
import type { SweepCell } from './sweep-summary.ts';

export function architecturesMd(sweep: Sweep, cells: readonly SweepCell[]): string[] {
  // The means over the services, with the means of their intervals' ends (null when a service has none: one replication).
  const meanOf = (point: number, metric: string): { mean: number; min: number; low: number | null; high: number | null } | null => {
    const mine = cells.filter((c) => c.point === point && c.metric === metric && c.summary !== null).map((c) => c.summary as NonNullable<SweepCell['summary']>);
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const lows = mine.flatMap((m) => (m.ciLow === null ? [] : [m.ciLow]));
    const highs = mine.flatMap((m) => (m.ciHigh === null ? [] : [m.ciHigh]));
    const whole = lows.length === mine.length;
    return mine.length === 0 ? null : { mean: avg(mine.map((m) => m.mean)), min: Math.min(...mine.map((m) => m.mean)), low: whole ? avg(lows) : null, high: whole ? avg(highs) : null };
  };
  const rows = sweep.points.map((p) => {
    const a = p.availability;
    if (a === null) throw new Error('architecturesMd: a point without a long run');
    const services = p.spec.cluster.length;
    const simulated = meanOf(p.index, 'availability');
    const down = meanOf(p.index, 'downtime_s_per_year');
    const closed = closedFormAvailability(a.architecture, p.spec.params, p.spec.sim, a.process, a.operatorRepairUs, services);
    const others = sweep.axes.filter((x) => x.kind !== 'architecture').map((x) => `${x.name} ${x.labels[p.at[sweep.axes.indexOf(x)] as number]}`);
    return [
      a.architecture,
      others.join(', '),
      String(serversNeeded(a.architecture, services)),
      simulated === null ? '' : `${fixed(simulated.mean, 7)} (${simulated.low === null || simulated.high === null ? 'one run' : `${fixed(simulated.low, 7)}-${fixed(simulated.high, 7)}`})`,
      simulated === null ? '' : fixed(simulated.min, 7),
      fixed(closed, 7),
      simulated === null ? '' : `${fixed(((1 - simulated.mean) / (1 - closed) - 1) * 100, 0)} %`,
      down === null ? '' : fixed(down.mean, 1),
    ];
  });
  return [
    '## The architectures of Fig. 16',
    '',
    'Per point: the real servers each architecture needs for these services, the availability (fraction of the client\'s accesses answered, one every clientOk + clientInterval on a fixed grid; the mean over the services with the mean of their 95 % intervals\' ends, and the lowest service), the closed form A = MTTF / (MTTF + MTTR) with the architecture\'s mean downtime per failure, how far the simulated unavailability is from the closed form\'s, and the downtime per service and year. Ring and P2P are simulated event by event, incident by incident, with the results of one run of every event over the year (docs/sweeps.md); the other three are the models below, under the same failures.',
    '',
    "A dedicated management server's downtime comes mostly from rare coincidences (a failure while an operator repairs the manager, which all services share in one replication), so its figure needs many replications: the interval says how far to trust it.",
    '',
    mdTable(['architecture', 'point', 'servers', 'availability (mean, 95 % interval)', 'availability (lowest service)', 'closed form', 'unavailability vs closed form', 'downtime s/yr'], rows),
    '',
    'What the models assume:',
    '',
    ...ARCHITECTURE_ASSUMPTIONS.map((a) => `- ${a}`),
    ...(hasCommonCause(sweep) ? [`- ${COMMON_CAUSE_ASSUMPTION}`] : []),
    '',
  ];
}

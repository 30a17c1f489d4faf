// The client of a long run: an open-loop probe of each service, one access every clientOkUs +
// clientIntervalUs on a fixed grid whose phase is drawn per service and replication, answered when
// the service's VIP answers at that instant. Sec. 5.2's client starts each access after the
// previous one ended, so where its accesses fall depends on every access before; the probe's do
// not, so the accesses of a stretch that is not simulated are counted exactly (long-run.ts).
import seedrandom from 'seedrandom';
import type { SimParams } from '../sim-params.ts';

export interface ClientProbe {
  /** accessesIn counts the probe's accesses in [fromUs, toUs) of the long run's time. */
  accessesIn(fromUs: number, toUs: number): number;
}

export function clientProbe(sim: SimParams, seedText: string, server: string): ClientProbe {
  const periodUs = sim.clientOkUs + sim.clientIntervalUs;
  const phaseUs = Math.floor(seedrandom.alea(`${seedText}/probe/${server}`)() * periodUs);
  // The accesses before t: every k >= 0 with phaseUs + k periodUs < t.
  const before = (t: number): number => (t <= phaseUs ? 0 : Math.ceil((t - phaseUs) / periodUs));
  return { accessesIn: (fromUs, toUs) => (toUs <= fromUs ? 0 : before(toUs) - before(fromUs)) };
}

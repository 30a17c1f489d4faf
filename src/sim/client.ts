// The client of Sec. 5.2: it accesses a service once a second and writes OK or XX. Because it
// never changes the system, its accesses are replayed over the service's availability timeline
// after the run (availability.ts) rather than simulated as events.
import type { ReachChange } from './world/availability.ts';
import { reachAt } from './world/availability.ts';
import type { Rng } from './kernel/rng.ts';
import type { SimParams } from './sim-params.ts';

export interface ClientAccess {
  atUs: number;
  ok: boolean;
}

/**
 * clientAccesses lists the accesses from firstUs to endUs. An access that succeeds takes
 * clientOkUs, one refused takes serviceRefusedUs, one to a host that does not answer times out
 * after clientTimeoutUs; the next starts clientIntervalUs after the previous ended. Each access's
 * duration varies by SimParams.variationFraction (Fig. 14's accesses are 1.01-1.04 s apart).
 */
export function clientAccesses(
  timeline: readonly ReachChange[],
  firstUs: number,
  endUs: number,
  sim: SimParams,
  rng: Rng,
): ClientAccess[] {
  const out: ClientAccess[] = [];
  let index = 0;
  for (let t = firstUs; t < endUs; ) {
    const at = reachAt(timeline, t, index);
    index = at.index;
    out.push({ atUs: t, ok: at.reach === 'ok' });
    const tookUs = at.reach === 'ok' ? sim.clientOkUs : at.reach === 'refused' ? sim.serviceRefusedUs : sim.clientTimeoutUs;
    t += rng.jitterUs(tookUs, sim.variationFraction) + sim.clientIntervalUs;
  }
  return out;
}

/** disconnectionUs is Sec. 5.2's client disconnection: first success after the failure minus the first failed access at or after fromUs. */
export function disconnectionUs(accesses: readonly ClientAccess[], fromUs: number): number | null {
  let firstFailUs: number | null = null;
  for (const a of accesses) {
    if (a.atUs < fromUs) continue;
    if (firstFailUs === null) {
      if (!a.ok) firstFailUs = a.atUs;
    } else if (a.ok) {
      return a.atUs - firstFailUs;
    }
  }
  return null;
}

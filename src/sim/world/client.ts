// The client of Sec. 5.2: it accesses a service once a second and writes OK or XX. Because it
// never changes the system, its accesses are replayed over the service's availability timeline
// after the run (availability.ts) rather than simulated as events.
import type { ReachChange } from './availability.ts';
import type { Reach } from './availability.ts';
import type { Rng } from '../kernel/rng.ts';
import type { SimParams } from '../sim-params.ts';

export interface ClientAccess {
  atUs: number;
  ok: boolean;
}

/**
 * walkClient replays the accesses from firstUs to endUs, calling visit for each. An access that
 * succeeds takes clientOkUs, one refused takes serviceRefusedUs, one to a host that does not
 * answer times out after clientTimeoutUs; the next starts clientIntervalUs after the previous
 * ended. Each access's duration varies by SimParams.variationFraction (Fig. 14's accesses are
 * 1.01-1.04 s apart). It allocates nothing per access: a simulated day has half a million.
 */
export function walkClient(
  timeline: readonly ReachChange[],
  firstUs: number,
  endUs: number,
  sim: SimParams,
  rng: Rng,
  visit: (atUs: number, ok: boolean) => void,
): void {
  let i = 0;
  for (let t = firstUs; t < endUs; ) {
    while (i + 1 < timeline.length && (timeline[i + 1] as ReachChange).atUs <= t) i++;
    const change = timeline[i];
    const reach: Reach = change === undefined || change.atUs > t ? 'ok' : change.reach;
    visit(t, reach === 'ok');
    const tookUs = reach === 'ok' ? sim.clientOkUs : reach === 'refused' ? sim.serviceRefusedUs : sim.clientTimeoutUs;
    t += rng.jitterUs(tookUs, sim.variationFraction) + sim.clientIntervalUs;
  }
}

/** clientAccesses lists the accesses walkClient replays, for logs and charts. */
export function clientAccesses(timeline: readonly ReachChange[], firstUs: number, endUs: number, sim: SimParams, rng: Rng): ClientAccess[] {
  const out: ClientAccess[] = [];
  walkClient(timeline, firstUs, endUs, sim, rng, (atUs, ok) => out.push({ atUs, ok }));
  return out;
}

/** clientDisconnectionsUs gives disconnectionUs for each of fromUs without keeping the accesses. */
export function clientDisconnectionsUs(
  timeline: readonly ReachChange[],
  firstUs: number,
  endUs: number,
  sim: SimParams,
  rng: Rng,
  fromUs: readonly number[],
): (number | null)[] {
  const firstFailUs: (number | null)[] = fromUs.map(() => null);
  const result: (number | null)[] = fromUs.map(() => null);
  walkClient(timeline, firstUs, endUs, sim, rng, (atUs, ok) => {
    for (let k = 0; k < fromUs.length; k++) {
      if (result[k] !== null || atUs < (fromUs[k] as number)) continue;
      const fail = firstFailUs[k] ?? null;
      if (fail === null) {
        if (!ok) firstFailUs[k] = atUs;
      } else if (ok) {
        result[k] = atUs - fail;
      }
    }
  });
  return result;
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

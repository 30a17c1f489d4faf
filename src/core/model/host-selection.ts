// Virtual-server host selection, Sec. 3.3 and step A5 of Fig. 12: the management server
// with the largest selection value gets the virtual server of the failed target.
//
// Open points the paper leaves to the reader, decided here:
// 1. Sign of the VM term. The paper says only that VM, the number of virtual servers running
//    on the host, "is 100 times weight". Decision: a penalty, value = wm Rm + wc Rc + wn Rn
//    - 100 x VM. The weights sum to 1, so the load terms span [0, 100] and one virtual server
//    costs more than that whole range: a host with fewer virtual servers always wins, and load
//    decides only among hosts with the same count. That spreads virtual servers, so one host
//    failure (Fig. 10(d)) takes down as few recovered functions as possible. A bonus would pile
//    every virtual server onto the first chosen host, which defeats "considering load status".
// 2. The "+ cores" in Tc (Eq. (5)). Decision: implemented as written, Tc = Pc + cores and
//    Tc_max = cores x 100 + cores. Rc is then (idle % per core + 1) x 100 / 101: the same order
//    as idle per core, scaled by 100/101 and lifted by about 0.99 %. The lift keeps Rc > 0, so
//    with point 1 a host with fewer virtual servers wins strictly, never by a tie at 0.
// 3. Samples per step (Eq. (1)-(3)). Decision: LoadPredictor is correct for any step size and
//    takes it from Params.loadSamplesPerStep, whose default is 1: one measurement per 10 s
//    monitoring interval, as A1 of Fig. 12 measures load once within each interval. One sample
//    can stand for a step because the CPU idle rate and the byte rate are counter differences
//    over the whole interval, so each is already a mean; only free memory is a snapshot. A world
//    that samples faster raises the step size to keep one step = one interval, so that P_n
//    still looks one interval ahead.

import type { HostSpec, PredictedLoad, RemainingCapacity } from './load.ts';
import { remainingCapacity } from './load.ts';
import type { ServerType } from './management-data.ts';

/** TypeWeights are the weights of Rm, Rc and Rn in the selection value of one server type. */
export interface TypeWeights {
  wm: number;
  wc: number;
  wn: number;
}

/**
 * TYPE_WEIGHTS are the paper's weights per server type (Sec. 3.3, taken there from [23]).
 * Rm weighs 0.5 everywhere because memory matters to every virtual server.
 */
export const TYPE_WEIGHTS: Readonly<Record<ServerType, Readonly<TypeWeights>>> = Object.freeze({
  CPU: Object.freeze({ wm: 0.5, wc: 0.4, wn: 0.1 }),
  NETWORK: Object.freeze({ wm: 0.5, wc: 0.1, wn: 0.4 }),
  CPU_NET: Object.freeze({ wm: 0.5, wc: 0.25, wn: 0.25 }),
});

/** VM_PENALTY is the weight of each virtual server already running on a host (open point 1). */
export const VM_PENALTY = 100;

/**
 * selectionValue is wm Rm + wc Rc + wn Rn - 100 x vmCount for a failed target of the given
 * type (Sec. 3.3). The VM term is a penalty; see open point 1 at the top of this file.
 */
export function selectionValue(rem: RemainingCapacity, type: ServerType, vmCount: number): number {
  assertCount('vmCount', vmCount);
  const w = TYPE_WEIGHTS[type];
  return w.wm * rem.rmPct + w.wc * rem.rcPct + w.wn * rem.rnPct - VM_PENALTY * vmCount;
}

/**
 * HostCandidate is one management server that could host the virtual server: its predicted
 * load (A3 of Fig. 12), its hardware, how many virtual servers it runs and how many it can hold.
 */
export interface HostCandidate {
  server: string;
  predicted: PredictedLoad;
  spec: HostSpec;
  vmCount: number;
  vmCapacity: number;
}

/** RankedHost is one candidate with its remaining capacity and selection value, for logs and reports. */
export interface RankedHost {
  server: string;
  remaining: RemainingCapacity;
  selectionValue: number;
  vmCount: number;
  /** eligible is false when the host has no room left for another virtual server. */
  eligible: boolean;
}

/**
 * rankHosts scores every candidate, eligible hosts first, then by selection value, largest
 * first; equal values keep the order of candidates (ring order), so the ranking is deterministic.
 */
export function rankHosts(candidates: readonly HostCandidate[], type: ServerType): RankedHost[] {
  assertUniqueServers(candidates);
  const ranked = candidates.map((c): RankedHost => {
    assertCount('vmCapacity', c.vmCapacity);
    const remaining = remainingCapacity(c.predicted, c.spec);
    return {
      server: c.server,
      remaining,
      selectionValue: selectionValue(remaining, type, c.vmCount),
      vmCount: c.vmCount,
      eligible: c.vmCount < c.vmCapacity,
    };
  });
  // Array.prototype.sort is stable (ES2019), which keeps ring order among equal values.
  return ranked.sort((a, b) => {
    if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
    return b.selectionValue - a.selectionValue;
  });
}

/**
 * selectHost returns the server with the largest selection value among the hosts with room
 * for another virtual server (A5 of Fig. 12), the earliest in candidates on a tie, or null
 * when no host has room.
 */
export function selectHost(candidates: readonly HostCandidate[], type: ServerType): string | null {
  const best = rankHosts(candidates, type)[0];
  return best !== undefined && best.eligible ? best.server : null;
}

function assertCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  }
}

function assertUniqueServers(candidates: readonly HostCandidate[]): void {
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.server)) throw new RangeError(`duplicate host candidate ${c.server}`);
    seen.add(c.server);
  }
}

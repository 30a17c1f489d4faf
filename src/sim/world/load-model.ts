// LoadModel makes the load measurements of the simulated hosts (A1 of Fig. 12): a lightly used
// server whose free memory, CPU idle rate and traffic fall with every virtual server it runs,
// with seeded noise. The values are assumptions (SimParams); the selection logic is the core's.
import type { LoadSample } from '../../core/model/load.ts';
import type { Rng } from '../kernel/rng.ts';
import type { SimParams } from '../sim-params.ts';

/** VS_CPU_PCT and VS_NET_BYTES_PER_S: one virtual server's use of one core and of the network. Assumption. */
const VS_CPU_PCT = 100;
const VS_NET_BYTES_PER_S = 2_000_000;

export function sampleLoad(params: SimParams, runningVs: number, rng: Rng): LoadSample {
  const f = params.loadNoiseFraction;
  const freeMemKb = Math.max(0, params.baseFreeMemKb * (1 + rng.uniform(-f, f)) - runningVs * params.vsMemKb);
  const cpuIdlePct = Math.max(0, Math.min(params.hostCores * 100, params.baseCpuIdlePct * (1 + rng.uniform(-f, f)) - runningVs * VS_CPU_PCT));
  const netBytesPerS = Math.max(0, params.baseNetBytesPerS * (1 + rng.uniform(-f, f)) + runningVs * VS_NET_BYTES_PER_S);
  return { freeMemKb, cpuIdlePct, netBytesPerS };
}

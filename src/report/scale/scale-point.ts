// One point of a study at scale (issue 10): a ring of K servers run for some simulated hours with
// 1 % of its servers failing, spread over the run, every checker on; what the protocol sent
// (sim/world/traffic.ts) and what the simulator spent. `dbss scale` runs one per ring size.
import { defaultParams } from '../../paper/params.ts';
import { defaultSimParams } from '../../paper/testbed.ts';
import { paperCluster } from '../../paper/cluster.ts';
import { FAULT_AT_S } from '../../paper/experiments.ts';
import { secondsToUs, US_PER_S } from '../../core/model/time.ts';
import type { Method } from '../../core/method.ts';
import { runOnce } from '../../sim/run/run.ts';
import { settleUs } from '../../sim/run/run-spec.ts';
import type { RunSpec } from '../../sim/run/run-spec.ts';
import { syntheticCluster } from '../../sim/synthetic-cluster.ts';
import type { Fault } from '../../sim/world/faults.ts';
import type { Spread, TrafficKind } from '../../sim/world/traffic.ts';

/** ScalePoint is one ring size's figures. */
export interface ScalePoint {
  method: Method;
  servers: number;
  simulatedSeconds: number;
  faults: number;
  violations: string[];
  events: number;
  programEvents: number;
  messages: Record<TrafficKind, number>;
  messagesPerServerPerSecond: number;
  semBytesPerServerPerSecond: number;
  /** detectionSeconds, functionRecoverySeconds and targetRecoverySeconds are means over the faults detected and recovered. */
  detectionSeconds: number | null;
  functionRecoverySeconds: number | null;
  targetRecoverySeconds: number | null;
  /**
   * heartbeatConvergence and groupConvergence are how long a SEM record of that file took to reach
   * the last replica it reached (traffic.ts semSpread), mean and max over the run's records; null
   * when the file had no record (P2P keeps no heartbeat file).
   */
  heartbeatConvergence: Convergence | null;
  groupConvergence: Convergence | null;
}

/** Convergence is the mean and the longest time, in seconds, for a file's records to reach every replica. */
export interface Convergence {
  meanSeconds: number;
  maxSeconds: number;
}

/**
 * scaleSpec is the run of a ring of k servers for simulatedUs, with faults on 1 % of them (at
 * least one), Nt and St in turn, each 5 s after a tick as in Table 2. They are spread over the
 * run but end a settle time (settleUs) before its end, so that every recovery they start ends
 * within it; a run shorter than that gets its faults at the first tick.
 */
export function scaleSpec(method: Method, k: number, simulatedUs: number): RunSpec {
  const cluster = k === 6 ? paperCluster() : syntheticCluster(k);
  const params = defaultParams();
  const sim = defaultSimParams();
  const n = Math.max(1, Math.round(k / 100));
  const intervalUs = params.monitorIntervalUs;
  const faultAtUs = secondsToUs(FAULT_AT_S);
  const windowUs = Math.max(0, simulatedUs - settleUs(params, sim) - faultAtUs);
  const faults: Fault[] = Array.from({ length: n }, (_, i) => ({
    server: (cluster[Math.floor(((i + 0.5) * k) / n)] as (typeof cluster)[number]).data.hostName,
    type: i % 2 === 0 ? 'Nt' : 'St',
    atUs: Math.floor((i * windowUs) / n / intervalUs) * intervalUs + faultAtUs,
  }));
  return { method, cluster, params, sim, faults, durationUs: simulatedUs, disabled: [], hardening: [] };
}

/** runScalePoint runs one ring size and reads its figures. */
export function runScalePoint(method: Method, k: number, simulatedUs: number, seed: string): ScalePoint {
  const spec = scaleSpec(method, k, simulatedUs);
  const out = runOnce(spec, seed, { traceHash: false, systemLog: 'faults' });
  const seconds = simulatedUs / US_PER_S;
  const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length / US_PER_S);
  return {
    method,
    servers: k,
    simulatedSeconds: seconds,
    faults: spec.faults.length,
    violations: [...new Set(out.violations.map((v) => v.invariant))],
    events: out.eventsRun,
    programEvents: out.programEvents,
    messages: { ...out.traffic.messages },
    messagesPerServerPerSecond: out.traffic.total() / k / seconds,
    semBytesPerServerPerSecond: out.traffic.semBytes / k / seconds,
    detectionSeconds: mean(out.targets.flatMap((t) => (t.detectedAtUs === null ? [] : [t.detectedAtUs - t.faultAtUs]))),
    functionRecoverySeconds: mean(out.targets.flatMap((t) => (t.functionRecoveryUs === null ? [] : [t.functionRecoveryUs]))),
    targetRecoverySeconds: mean(out.targets.flatMap((t) => (t.targetRecoveryUs === null ? [] : [t.targetRecoveryUs]))),
    heartbeatConvergence: convergence(out.traffic.semSpread.get('heartbeat.file')),
    groupConvergence: convergence(out.traffic.semSpread.get('group.file')),
  };
}

function convergence(spread: Spread | undefined): Convergence | null {
  if (spread === undefined || spread.records === 0) return null;
  return { meanSeconds: spread.totalUs / spread.records / US_PER_S, maxSeconds: spread.maxUs / US_PER_S };
}

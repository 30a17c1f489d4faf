// RunSpec is the one value that describes a simulated run: which method runs on which ring, with
// which protocol and world parameters, which faults happen, how long it lasts and which ring
// mechanisms are off. A scenario file is a RunSpec with a name, runs, a seed and expectations
// (src/config/scenario.ts); the explorer, repro, bench and the tests build one and pass it down.
import type { ClusterServer } from '../../core/model/cluster.ts';
import type { Method } from '../../core/method.ts';
import type { Params } from '../../core/model/params.ts';
import type { Hardening } from '../../core/program/hardening.ts';
import type { RingMechanism } from '../../core/ring/mechanisms.ts';
import { US_PER_S } from '../../core/model/time.ts';
import { adoptionGraceUs } from '../../core/ring/readmission.ts';
import type { SimParams } from '../sim-params.ts';
import type { Fault } from '../world/faults.ts';

export interface RunSpec {
  method: Method;
  /** cluster is the ring: No. 1..n in ring order. */
  cluster: readonly ClusterServer[];
  params: Params;
  sim: SimParams;
  faults: readonly Fault[];
  /** durationUs is how long the run lasts after t = 0 (the first tick); null settles after the last fault (settleUs). */
  durationUs: number | null;
  /** disabled switches ring mechanisms off (an ablation; mechanisms.ts). */
  disabled: readonly RingMechanism[];
  /** hardening switches extensions of the hardened ring on (core/program/hardening.ts); none replays the paper. */
  hardening: readonly Hardening[];
}

/** RunObservation says what a run keeps besides its violations; everything but metrics and the hash is off by default. */
export interface RunObservation {
  /** keepTraceLines keeps the canonical trace's text (tests, diffs). */
  keepTraceLines?: boolean;
  /** clientLogs keeps every service's client accesses (for --logs). */
  clientLogs?: boolean;
  /** clientAccessesOfFailed keeps the client accesses of the failed servers (for charts). */
  clientAccessesOfFailed?: boolean;
  /**
   * longRunOffsetUs makes the run a stretch of a long run whose t = 0 lies this far before the
   * run's first tick: the world's random draws are then keyed by the long run's monitoring
   * intervals (IntervalRng), and the run returns every service's availability timeline
   * (sim/sweep/long-run.ts).
   */
  longRunOffsetUs?: number;
  /** metrics false skips the three times and the client accesses (the explorer only needs violations). */
  metrics?: boolean;
  /** incrementalChanges false has every change of the world look at every service and host (world-change.ts); the run is the same either way. */
  incrementalChanges?: boolean;
  /**
   * sharedReplicas false gives every replica its own heartbeat file even where they could share one
   * (shared-heartbeat.ts: the paper's ring without ClockOff faults); the run is the same either way.
   */
  sharedReplicas?: boolean;
  /** traceHash false skips the canonical trace (the explorer's speed); traceHash is then "off". */
  traceHash?: boolean;
  /**
   * stopOnceMeasured ends the run two client round trips after every fault's target is handed
   * back (measured-watch.ts): its three times are then what the whole run gives, at a fraction of
   * the cost (repro). The trace, the log, the end state and the invariants checked are then those
   * of the shorter run. Ignored when client accesses are kept.
   */
  stopOnceMeasured?: boolean;
  /**
   * systemLog 'faults' keeps only the system-log lines about the failed servers, which is all the
   * three times are read from; the checkers still read every line as it is written. A ring of
   * 10,000 servers writes 3.6 million "IP is normal" lines an hour (issue 10): 1.3 GB of its peak
   * memory of 2.8 GB. The default, 'all', keeps every line (logs, timelines, findings).
   */
  systemLog?: 'all' | 'faults';
}

/**
 * settleUs bounds how long after a fault every recovery of the paper's design can take:
 * detection (an interval, Tnd and the service wait), the restart wait, a forced start and its
 * wait, the boot, the hand-back and one more interval for the management to move back, and a
 * margin that covers the background job's polls. In the hardened ring a server whose manager
 * yielded or died is adopted after a grace, so its bound is longer by that grace
 * (ring/readmission.ts).
 */
export function settleUs(params: Params, sim: SimParams, hardening: readonly Hardening[] = []): number {
  return (
    (hardening.includes('readmission') ? adoptionGraceUs(params) : 0) +
    2 * params.monitorIntervalUs +
    2 * params.networkExamTimeoutUs +
    params.serviceExamWaitMaxUs +
    params.restartWaitMaxUs +
    params.startWaitMaxUs +
    sim.shutdownUs +
    sim.bootToServiceUs +
    // A margin of 10 s, or two polls of the background job where those are longer: the job sees
    // the end of its restart wait and of its start wait only at a poll (recoveryPollIntervalUs).
    Math.max(10 * US_PER_S, 2 * params.recoveryPollIntervalUs)
  );
}

/** runLengthUs is how long a run lasts after t = 0: its duration, or settleUs after the last fault ends. */
export function runLengthUs(spec: RunSpec): number {
  if (spec.durationUs !== null) return spec.durationUs;
  let lastFaultUs = 0;
  for (const f of spec.faults) lastFaultUs = Math.max(lastFaultUs, f.atUs + (f.durationUs ?? 0));
  return lastFaultUs + settleUs(spec.params, spec.sim, spec.hardening);
}

/**
 * sharesReplicas tells whether a run's replicas may share their files (world/shared-heartbeat.ts,
 * docs/scale.md): the paper's methods, ring and P2P, whose programs only apply the SEM records
 * they receive (what the ring's onApplied and onSemEdits do beyond that serves the hardened ring's
 * extensions), and no clock set off (a program then reads its clock at each record,
 * node-runner.ts lastNodeUs).
 */
export function sharesReplicas(spec: RunSpec): boolean {
  return spec.hardening.length === 0 && !spec.faults.some((f) => f.type === 'ClockOff');
}

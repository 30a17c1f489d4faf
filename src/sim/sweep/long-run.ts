// A long run (months or years) of the ring or P2P under a fault process, simulated incident by
// incident. The cluster spends nearly all of a year with every server healthy: heartbeats and
// examinations that change nothing but timestamps, and every client access answered. So each
// incident (failures closer together than the protocol's settle time, settleUs) is simulated in
// full, with every checker on, and the stretch between incidents is skipped: it is counted.
//
// Skipping changes nothing: the results are those of one run of every event over the horizon
// (runWhole, and the test that compares the two). Four things make it so:
// - The world's random draws are keyed by the long run's monitoring intervals (IntervalRng): an
//   interval draws the same whether or not the stretch before it was simulated.
// - Each server draws from streams of its own: the order in which servers act at one instant
//   (which differs between a new cluster and one that restarted a server) moves no draw.
// - An incident's run starts WARM_INTERVALS before the tick of its first failure, on the long
//   run's tick grid. The cluster's start-up (files, programs, Start_DBSS) ends within the first
//   interval; from the next on, a healthy cluster does in each interval what it does in every
//   other, so the run meets its first failure in the state one run of every event is in.
// - The client is an open-loop probe (an access every clientOkUs + clientIntervalUs on a fixed
//   grid, answered or not by what its VIP gives at that instant), so the accesses of a skipped
//   stretch are counted from the grid and none of them moves a later one. Sec. 5.2's client starts
//   each access after the previous one ended, which makes every access depend on all before it.
// A stretch is skipped only after a run that ended with every server healthy: running, serving,
// its VIP back on the real server and managed by exactly one server (the state a new run starts
// in). A run that ends otherwise is not cut there: it is run again longer, taking in the next
// failure, until the cluster is healthy or the horizon is reached.
import { runOnce } from '../run/run.ts';
import type { RunOutput } from '../run/run.ts';
import { runLengthUs, settleUs } from '../run/run-spec.ts';
import type { RunSpec } from '../run/run-spec.ts';
import { downSpans } from '../world/availability.ts';
import { clientProbe } from './client-probe.ts';
import type { ClientProbe } from './client-probe.ts';
import { drawFailures } from './fault-process.ts';
import type { Failure, FaultProcess } from './fault-process.ts';

export interface ServiceTally {
  server: string;
  /** accesses and answered are client accesses (those of the quiet stretches counted, not walked). */
  accesses: number;
  answered: number;
  /** downUs is the time the service did not answer. */
  downUs: number;
  failures: number;
}

export interface LongRunResult {
  services: ServiceTally[];
  incidents: number;
  /** simulatedUs is how much of the horizon was simulated event by event (the incidents). */
  simulatedUs: number;
  /** violations counts the invariants broken, over all incidents. */
  violations: number;
  /** unhealed counts incidents after which the cluster was still not healthy at the horizon. */
  unhealed: number;
}

/**
 * WARM_INTERVALS is how many monitoring intervals before the tick of its first failure an
 * incident's first tick lies. A new cluster starts an interval before its first tick and starts
 * its DBSSs at that tick, whose steps draw from that interval's streams and shift the other
 * draws of the interval. One interval keeps every failure out of that one, so it meets a cluster
 * that does what it does in every interval (the tests also pass with none: the shifted draws
 * there happened not to matter to them).
 */
export const WARM_INTERVALS = 1;

/** runLongRun simulates one replication of a fault process on the point's run (its own faults are ignored). */
export function runLongRun(spec: RunSpec, process: FaultProcess, seedText: string): LongRunResult {
  return runIncidents(spec, drawFailures(process, spec.cluster.map((c) => c.data.hostName), seedText), process.horizonUs, seedText);
}

/** runIncidents simulates given failures (sorted by time) over a horizon, incident by incident. */
export function runIncidents(spec: RunSpec, failures: readonly Failure[], horizonUs: number, seedText: string): LongRunResult {
  const settle = settleUs(spec.params, spec.sim, spec.hardening);
  const intervalUs = spec.params.monitorIntervalUs;
  const warmStartUs = (f: Failure): number => Math.max(0, f.atUs - (f.atUs % intervalUs) - WARM_INTERVALS * intervalUs);
  const tallies = newTallies(spec, failures, horizonUs, seedText);
  const result = tallies.result;
  for (let i = 0; i < failures.length; ) {
    result.incidents++;
    const startUs = warmStartUs(failures[i] as Failure);
    let j = i + 1;
    let endUs = Math.min(horizonUs, (failures[i] as Failure).atUs + settle);
    // Take in every later failure whose run would begin before this one ends.
    const takeIn = (): void => {
      while (j < failures.length && warmStartUs(failures[j] as Failure) < endUs) {
        endUs = Math.min(horizonUs, Math.max(endUs, (failures[j++] as Failure).atUs + settle));
      }
    };
    takeIn();
    let out: RunOutput;
    for (;;) {
      out = runStretch(spec, failures.slice(i, j), startUs, endUs, seedText);
      if (healthy(out) || endUs >= horizonUs) break;
      // Not healthy yet: run again longer, through the next failure if one comes before the horizon.
      if (j < failures.length) endUs = Math.min(horizonUs, Math.max(endUs, (failures[j] as Failure).atUs + settle));
      else endUs = Math.min(horizonUs, startUs + 2 * (endUs - startUs));
      takeIn();
    }
    if (!healthy(out)) result.unhealed++;
    result.simulatedUs += endUs - startUs;
    addStretch(out, startUs, endUs, tallies);
    i = j;
  }
  return result;
}

/** runWhole simulates every event of the horizon in one run: what runIncidents must equal (the test compares them). */
export function runWhole(spec: RunSpec, failures: readonly Failure[], horizonUs: number, seedText: string): LongRunResult {
  const tallies = newTallies(spec, failures, horizonUs, seedText);
  const result = tallies.result;
  const out = runStretch(spec, failures, 0, horizonUs, seedText);
  if (failures.length > 0) result.incidents = 1;
  if (!healthy(out)) result.unhealed++;
  result.simulatedUs = horizonUs;
  addStretch(out, 0, horizonUs, tallies);
  return result;
}

/** Tallies are a long run's result and, per service, its tally and its client probe. */
interface Tallies {
  result: LongRunResult;
  services: Map<string, { tally: ServiceTally; probe: ClientProbe }>;
}

/** newTallies holds every service's client accesses over the horizon, all answered until a stretch says otherwise. */
function newTallies(spec: RunSpec, failures: readonly Failure[], horizonUs: number, seedText: string): Tallies {
  const services = new Map(
    spec.cluster.map((c) => {
      const server = c.data.hostName;
      const probe = clientProbe(spec.sim, seedText, server);
      const accesses = probe.accessesIn(0, horizonUs);
      return [server, { tally: { server, accesses, answered: accesses, downUs: 0, failures: failures.filter((f) => f.server === server).length }, probe }];
    }),
  );
  return { result: { services: [...services.values()].map((s) => s.tally), incidents: 0, simulatedUs: 0, violations: 0, unhealed: 0 }, services };
}

/** runStretch simulates the failures of one stretch [startUs, endUs) of the long run from a healthy cluster whose first tick is at startUs. */
function runStretch(spec: RunSpec, failures: readonly Failure[], startUs: number, endUs: number, seedText: string): RunOutput {
  const faults = failures.map((f) => ({ server: f.server, type: f.type, atUs: f.atUs - startUs }));
  const stretch: RunSpec = { ...spec, faults, durationUs: endUs - startUs };
  if (runLengthUs(stretch) !== endUs - startUs) throw new Error('a stretch must end where it was asked to');
  return runOnce(stretch, seedText, { traceHash: false, metrics: false, longRunOffsetUs: startUs });
}

/** addStretch adds a simulated stretch's violations, downtime and unanswered probe accesses to the tallies. */
function addStretch(out: RunOutput, startUs: number, endUs: number, tallies: Tallies): void {
  tallies.result.violations += out.violations.reduce((n, v) => n + v.count, 0);
  // The run's clock starts at its first tick; the long run's is startUs there.
  const toLongRunUs = startUs - out.firstTickUs;
  for (const [server, timeline] of out.timelines ?? []) {
    const service = tallies.services.get(server);
    if (service === undefined) continue;
    for (const [from, to] of downSpans(timeline, startUs - toLongRunUs, endUs - toLongRunUs)) {
      service.tally.downUs += to - from;
      service.tally.answered -= service.probe.accessesIn(from + toLongRunUs, to + toLongRunUs);
    }
  }
}

/** healthy tells whether a run ended as a new one starts: every server running, serving, at its own VIP, managed once. */
export function healthy(out: RunOutput): boolean {
  return out.outcomes.every((o) => o.running && o.served && o.recovered && o.managers.length === 1);
}

// A long run (months or years) of the ring or P2P under a fault process, simulated incident by
// incident. The cluster spends nearly all of a year with every server healthy: heartbeats and
// examinations that change nothing but timestamps, and every client access answered. So each
// incident (failures closer together than the protocol's settle time, settleUs) is simulated in
// full from a healthy cluster, with every checker on, and the stretch between incidents is not
// simulated: it is counted as the client accesses it holds, all answered.
//
// A stretch is skipped only after a run that ended with every server healthy: running, serving,
// its VIP back on the real server and managed by exactly one server (the state a new run starts
// in). A run that ends otherwise is not cut there: it is run again longer, taking in the next
// failure, until the cluster is healthy or the horizon is reached. What a skipped stretch does
// not reproduce is the random draws it would have consumed (the incident has a seed of its own);
// the ticks fall on the replication's grid as in one run of the whole horizon.
import { runOnce } from '../run/run.ts';
import type { RunOutput } from '../run/run.ts';
import { runLengthUs, settleUs } from '../run/run-spec.ts';
import type { RunSpec } from '../run/run-spec.ts';
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

/** runLongRun simulates one replication of a fault process on the point's run (its own faults are ignored). */
export function runLongRun(spec: RunSpec, process: FaultProcess, seedText: string): LongRunResult {
  return runIncidents(spec, drawFailures(process, spec.cluster.map((c) => c.data.hostName), seedText), process.horizonUs, seedText);
}

/** runIncidents simulates given failures (sorted by time) over a horizon, incident by incident. */
export function runIncidents(spec: RunSpec, failures: readonly Failure[], horizonUs: number, seedText: string): LongRunResult {
  const servers = spec.cluster.map((c) => c.data.hostName);
  const settle = settleUs(spec.params, spec.sim, spec.hardening);
  const tallies = new Map(servers.map((s) => [s, { server: s, accesses: 0, answered: 0, downUs: 0, failures: 0 }]));
  for (const f of failures) (tallies.get(f.server) as ServiceTally).failures++;
  const result: LongRunResult = { services: [...tallies.values()], incidents: 0, simulatedUs: 0, violations: 0, unhealed: 0 };
  let quietUs = horizonUs;
  for (let i = 0; i < failures.length; ) {
    const k = result.incidents++;
    // The incident's first tick is the last tick of the replication's grid (t = 0, interval, ...)
    // before the failure, so the failure falls where it would in one run of the whole horizon.
    const startUs = (failures[i] as Failure).atUs - ((failures[i] as Failure).atUs % spec.params.monitorIntervalUs);
    let j = i + 1;
    let endUs = (failures[i] as Failure).atUs + settle;
    while (j < failures.length && (failures[j] as Failure).atUs < endUs) endUs = Math.max(endUs, (failures[j++] as Failure).atUs + settle);
    let out: RunOutput;
    for (;;) {
      out = runIncident(spec, failures.slice(i, j), startUs, endUs, `${seedText}/incident-${k}`);
      if (healthy(out) || endUs >= horizonUs) break;
      // Not healthy yet: run again longer, through the next failure if one comes before the horizon.
      if (j < failures.length) endUs = Math.max(endUs, (failures[j++] as Failure).atUs + settle);
      else endUs = Math.min(horizonUs, startUs + 2 * (endUs - startUs));
    }
    if (!healthy(out)) result.unhealed++;
    result.violations += out.violations.reduce((n, v) => n + v.count, 0);
    result.simulatedUs += endUs - startUs;
    quietUs -= endUs - startUs;
    for (const [server, c] of out.clientCounts) {
      const t = tallies.get(server) as ServiceTally;
      t.accesses += c.accesses;
      t.answered += c.answered;
      t.downUs += c.downUs;
    }
    i = j;
  }
  // The quiet stretches: every service answers each access, one every clientOkUs + clientIntervalUs.
  const quietAccesses = Math.max(0, quietUs) / (spec.sim.clientOkUs + spec.sim.clientIntervalUs);
  for (const t of tallies.values()) {
    t.accesses += quietAccesses;
    t.answered += quietAccesses;
  }
  return result;
}

/** runIncident simulates failures[...] from a healthy cluster whose first tick is at startUs, until endUs. */
function runIncident(spec: RunSpec, failures: readonly Failure[], startUs: number, endUs: number, seed: string): RunOutput {
  const faults = failures.map((f) => ({ server: f.server, type: f.type, atUs: f.atUs - startUs }));
  const incident: RunSpec = { ...spec, faults, durationUs: endUs - startUs };
  if (runLengthUs(incident) !== endUs - startUs) throw new Error('an incident must end where it was asked to');
  return runOnce(incident, seed, { traceHash: false, clientCounts: true });
}

/** healthy tells whether a run ended as a new one starts: every server running, serving, at its own VIP, managed once. */
export function healthy(out: RunOutput): boolean {
  return out.outcomes.every((o) => o.running && o.served && o.recovered && o.managers.length === 1);
}

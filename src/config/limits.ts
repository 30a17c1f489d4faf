// The limits every input is held to, in one place: the scenario files, the command lines and the
// agent's configuration share them (one set of rules: the agent refuses what the simulator
// refuses). A value beyond a limit is bad input, answered with the limit and its unit before any
// work starts; nothing here is tuned to a result.
import { usToSeconds } from '../core/model/time.ts';
import { runLengthUs, sharesReplicas } from '../sim/run/run-spec.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';

/** MAX_TIME_S bounds every time in a scenario (a fault's start, window and delay, the run's duration): 11.6 days. A run keeps its system log in memory (about 100 MB at this length). */
export const MAX_TIME_S = 1_000_000;

/** MAX_PARAMETER_S bounds every timing parameter (Table 1's are seconds to a minute): one day. */
export const MAX_PARAMETER_S = 86_400;

/**
 * MIN_PERIOD_S bounds every period from below (the monitoring interval, the client's access
 * interval, the recovery poll, the service retry): below a millisecond a period is shorter than
 * the simulated network's own latencies and multiplies the events without meaning anything.
 */
export const MIN_PERIOD_S = 0.001;

/** MAX_FIRST_TICK_UNIX_S bounds the UNIX time of the first tick: 2100-01-01, so that clock times stay exact in microseconds. */
export const MAX_FIRST_TICK_UNIX_S = 4_102_444_800;

/**
 * MAX_SERVERS bounds a synthetic ring (`cluster: { synthetic: K }`, explore --servers): the
 * studies at scale of issue 10 reach 10,000 servers. The event budgets bound what one run costs.
 */
export const MAX_SERVERS = 10_000;

/** MAX_RUNS bounds the runs of one sim or repro invocation. */
export const MAX_RUNS = 10_000;

/** MAX_EXPLORE_RUNS bounds the schedules of one explore invocation per method (at about 100 runs/s, about three hours on two cores). */
export const MAX_EXPLORE_RUNS = 1_000_000;

/** MAX_SCHEDULE_FAULTS bounds the faults of one schedule the explorer draws (--max-faults). */
export const MAX_SCHEDULE_FAULTS = 100;

/** MAX_FAULTS bounds the faults of one scenario; each is an event source of its own. */
export const MAX_FAULTS = 1_000;

/**
 * MAX_EVENTS bounds the simulator's work for one invocation, estimated before it starts
 * (estimatedEvents): at the simulator's 0.3-1 million events a second, minutes, not days.
 */
export const MAX_EVENTS = 300_000_000;

/**
 * MAX_EXPLORE_EVENTS bounds one explore invocation, estimated the same way over every method's
 * schedules: a search is meant to run long (npm run explore is about 4.5e8), but not for days.
 */
export const MAX_EXPLORE_EVENTS = 3_000_000_000;

/**
 * MAX_SWEEP_EVENTS bounds one sweep, over all its points and replications, estimated the same
 * way: hours on one machine's cores, or a sweep meant to be spread over a cluster with --shard.
 */
export const MAX_SWEEP_EVENTS = 10_000_000_000;

/**
 * MAX_INPUT_BYTES bounds any file read as input (a scenario, agent.yaml, ring.txt): the YAML parser
 * reads about 0.6 MB a second, and a bad file must be answered within 2 s. A scenario of
 * MAX_FAULTS faults is about 40 kB. MAX_DATA_BYTES bounds a management data file (six short lines).
 */
export const MAX_INPUT_BYTES = 262_144;
export const MAX_DATA_BYTES = 4_096;

/** MAX_YAML_ALIASES bounds how many times a YAML document may use its aliases (an alias bomb expands exponentially). */
export const MAX_YAML_ALIASES = 1_000;

/**
 * estimatedEvents is the simulator's work for runs of simulatedS seconds on a ring of servers:
 * every server examines one target per monitoring interval, and each examination costs about six
 * events plus one SEM delivery per replica (measured: 12 events per server and tick on the
 * paper's six servers, 26 on 20, 56 on 50, issue 10). Replicas that share their files
 * (sharesReplicas, untraced: docs/scale.md) take a record in one event for all of them, so a
 * server costs SHARED_EVENTS_PER_TICK events a tick whatever the ring's size. A budget, not a prediction.
 */
export function estimatedEvents(runs: number, servers: number, simulatedS: number, monitorIntervalS: number, shared = false): number {
  return runs * servers * (simulatedS / monitorIntervalS) * (shared ? SHARED_EVENTS_PER_TICK : 6 + servers);
}

/** SHARED_EVENTS_PER_TICK: 8.0 kernel events per server and tick measured at 10,000 servers for an hour (2026-12-04), rounded up. */
const SHARED_EVENTS_PER_TICK = 10;

/**
 * REPLICA_LINE_BYTES is the memory of one line of one server's replica of the management files:
 * a ring of K servers holds K replicas of about K lines (the group and heartbeat files). Peak RSS
 * of \`dbss scale --hours 0.01\` was 156, 268 and 424 MB at K = 300, 600 and 1000 (2026-12-03):
 * 244 bytes per K^2, rounded up. Replicas that share their files hold one copy: SHARED_SERVER_BYTES
 * a server (peak RSS 2.78 GB for 10,000 servers and an hour with the whole system log kept, as
 * dbss sim --untraced keeps it, 2026-12-04, rounded up; dbss scale, keeping only the failed
 * servers' lines, peaked at 1.4-1.5 GB).
 * MAX_SIMULATION_BYTES bounds what the simulations of one invocation hold at once (the explorer
 * runs one per worker), so that a large ring is refused at once rather than filling the
 * machine's memory minutes in.
 */
export const REPLICA_LINE_BYTES = 250;
const SHARED_SERVER_BYTES = 300_000;
export const MAX_SIMULATION_BYTES = 4_000_000_000;

/** memoryProblem names the memory limit that simulations (at once) of a ring of servers exceed, or null. */
export function memoryProblem(servers: number, simulations = 1, shared = false): string | null {
  const bytes = simulations * servers * (shared ? SHARED_SERVER_BYTES : servers * REPLICA_LINE_BYTES);
  if (bytes <= MAX_SIMULATION_BYTES) return null;
  const at = simulations > 1 ? ` with ${simulations} simulations at once` : '';
  if (shared) {
    const most = Math.floor(MAX_SIMULATION_BYTES / (simulations * SHARED_SERVER_BYTES));
    return `at most ${most} servers${at}: a server's program and its share of the files take about ${SHARED_SERVER_BYTES / 1000} kB, ${(bytes / 1e9).toFixed(1)} GB in all against ${MAX_SIMULATION_BYTES / 1e9} GB (docs/scale.md)`;
  }
  const most = Math.floor(Math.sqrt(MAX_SIMULATION_BYTES / (simulations * REPLICA_LINE_BYTES)));
  return `at most ${most} servers${at}: each server holds a replica of the ring's management files, about ${servers} x ${servers} lines of ${REPLICA_LINE_BYTES} bytes, ${(bytes / 1e9).toFixed(1)} GB in all against ${MAX_SIMULATION_BYTES / 1e9} GB (docs/scale.md)`;
}

/**
 * eventBudgetProblem names the limit a planned simulation exceeds (its events, or the memory of its ring), or null when it fits;
 * shared says its replicas take each record in one event (runBudgetProblem), sharedMemory that they share their files.
 */
export function eventBudgetProblem(runs: number, servers: number, simulatedS: number, monitorIntervalS: number, limit = MAX_EVENTS, shared = false, sharedMemory = shared): string | null {
  const memory = memoryProblem(servers, 1, sharedMemory);
  if (memory !== null) return memory;
  const events = estimatedEvents(runs, servers, simulatedS, monitorIntervalS, shared);
  if (events <= limit) return null;
  const what = `${runs} run(s) of ${formatSeconds(simulatedS)} simulated on ${servers} servers, monitoring every ${formatSeconds(monitorIntervalS)}`;
  return `at most ${limit.toExponential(0)} simulated events per invocation; ${what} is about ${events.toExponential(1)} (fewer runs, a shorter duration or a longer interval)`;
}

/** formatSeconds writes a duration readably in messages: 3600 s, 1.5e+9 s. */
export function formatSeconds(s: number): string {
  return `${s >= 1e7 ? s.toExponential(1) : String(Math.round(s * 1e6) / 1e6)} s`;
}

/**
 * MAX_CLIENT_ACCESSES bounds the client accesses replayed after the runs (client.ts: cheap, no
 * events, tens of millions a second); MAX_LOGGED_ACCESSES those written to client logs (--logs),
 * which are kept in memory until written.
 */
export const MAX_CLIENT_ACCESSES = 1_000_000_000;
export const MAX_LOGGED_ACCESSES = 20_000_000;

/**
 * runBudgetProblem checks runs of a run spec against MAX_EVENTS and the client limits before any of
 * them starts. Replicas that can share their files share them in every run; but traced runs (dbss
 * sim's trace hash) record every replica's copy of every record, so only untraced runs (sweeps,
 * dbss scale, dbss sim --untraced) are priced with one event per record.
 */
export function runBudgetProblem(spec: RunSpec, runs: number, logs = false, traced = false): string | null {
  const simulatedS = usToSeconds(runLengthUs(spec));
  const shares = sharesReplicas(spec);
  const events = eventBudgetProblem(runs, spec.cluster.length, simulatedS, usToSeconds(spec.params.monitorIntervalUs), MAX_EVENTS, shares && !traced, shares);
  if (events !== null) return events;
  const accesses = (runs * spec.cluster.length * simulatedS) / usToSeconds(spec.sim.clientIntervalUs);
  const limit = logs ? MAX_LOGGED_ACCESSES : MAX_CLIENT_ACCESSES;
  if (accesses <= limit) return null;
  return `at most ${limit.toExponential(0)} client accesses per invocation${logs ? ' with --logs' : ''}; ${runs} run(s) of ${formatSeconds(simulatedS)} with ${spec.cluster.length} clients accessing every ${formatSeconds(usToSeconds(spec.sim.clientIntervalUs))} is about ${accesses.toExponential(1)}`;
}

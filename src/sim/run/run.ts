// runOnce simulates one run of a RunSpec: the cluster starts one monitoring interval before the
// first tick (the file management server hands out files, program and flag, Sec. 3.2), the
// faults happen, and the run goes on until every recovery has had time to finish. A run is a
// pure function of (spec, seed): same inputs, same trace hash.
import { clusterFiles } from '../../core/model/cluster.ts';
import { STORED_FILE_NAMES } from '../../core/model/management-files.ts';
import { createNode } from '../../core/method.ts';
import { logTarget, type SystemLogLine } from '../../core/program/log-events.ts';
import { US_PER_S } from '../../core/model/time.ts';
import { ProtocolAssertionError } from '../../core/program/assert.ts';
import { CheckerSet, PROTOCOL_ASSERTION } from '../checkers/index.ts';
import type { Violation } from '../checkers/index.ts';
import { Kernel } from '../kernel/kernel.ts';
import { IntervalRng, RngStreams } from '../kernel/rng.ts';
import type { Rng } from '../kernel/rng.ts';
import { Trace } from '../kernel/trace.ts';
import { clientAccesses, clientDisconnectionsUs, disconnectionUs } from '../world/client.ts';
import type { ClientAccess } from '../world/client.ts';
import type { ReachChange } from '../world/availability.ts';
import type { Traffic } from '../world/traffic.ts';
import { injectFault } from '../world/faults.ts';
import type { Fault } from '../world/faults.ts';
import { SimServer } from '../world/server.ts';
import type { ServerDraws } from '../world/server.ts';
import { World } from '../world/world.ts';
import { resyncBoundUs } from '../../core/program/sem-ledger.ts';
import { logByTarget, targetTimes } from './metrics.ts';
import type { TargetTimes } from './metrics.ts';
import { outcomes } from './outcome.ts';
import type { ServerOutcome } from './outcome.ts';
import { runLengthUs, sharesReplicas } from './run-spec.ts';
import { MeasuredWatch } from './measured-watch.ts';
import type { RunObservation, RunSpec } from './run-spec.ts';

export interface RunOutput {
  traceHash: string;
  traceLines: string[] | null;
  log: SystemLogLine[];
  /** clients holds the client accesses kept: every server's with clientLogs, the failed servers' with clientAccessesOfFailed. */
  clients: Map<string, ClientAccess[]>;
  targets: TargetTimes[];
  /** outcomes is the end state of every server (served, recovered, running, managers). */
  outcomes: ServerOutcome[];
  firstTickUs: number;
  endUs: number;
  eventsRun: number;
  /** programEvents is how many events the management programs handled: every copy of a broadcast counts. */
  programEvents: number;
  /** violations are the invariants this run broke (src/sim/checkers), the first of each with a count. */
  violations: (Violation & { count: number })[];
  /** traffic is the management traffic the programs sent (world/traffic.ts). */
  traffic: Traffic;
  /** timelines holds, with RunObservation.longRunOffsetUs, every service's availability timeline (kernel time). */
  timelines: Map<string, readonly ReachChange[]> | null;
}

export function runOnce(spec: RunSpec, seed: string, observe: RunObservation = {}): RunOutput {
  const { params, sim } = spec;
  const firstTickUs = sim.firstTickUnixS * US_PER_S;
  const startUs = firstTickUs - params.monitorIntervalUs;
  const fullEndUs = firstTickUs + runLengthUs(spec);
  const kernel = new Kernel(startUs);
  const rng = new RngStreams(seed);
  // A run's servers share its streams; in a stretch of a long run each server draws from streams
  // of its own, keyed by the long run's intervals, so that neither what was skipped nor the order
  // in which servers act at one instant changes a draw (sweep/long-run.ts).
  const offsetUs = observe.longRunOffsetUs;
  const shared: ServerDraws = { durations: rng.stream('durations'), hardenedDurations: rng.stream('hardened-durations'), loads: rng.stream('loads') };
  const keyed = (name: string, server: string): Rng => new IntervalRng(`${seed}/${name}/${server}`, kernel, firstTickUs - (offsetUs ?? 0), params.monitorIntervalUs);
  const drawsOf = (server: string): ServerDraws =>
    offsetUs === undefined ? shared : { durations: keyed('durations', server), hardenedDurations: keyed('hardened-durations', server), loads: keyed('loads', server) };
  const keepsClients = observe.clientLogs === true || observe.clientAccessesOfFailed === true;
  const watch = observe.stopOnceMeasured === true && !keepsClients && spec.faults.length > 0 ? new MeasuredWatch(spec.faults, firstTickUs) : null;
  const trace = new Trace({ keepLines: observe.keepTraceLines ?? false, originUs: firstTickUs, enabled: observe.traceHash ?? true });
  const checkers = new CheckerSet(params.monitorIntervalUs, spec.hardening.includes('semResync') ? resyncBoundUs(params) : params.monitorIntervalUs);
  const servers = spec.cluster.map((c) => new SimServer(c.no, c.data, sim.vmCapacity, drawsOf(c.data.hostName)));
  const hostSpec = { memKb: sim.hostMemKb, cores: sim.hostCores, ratedBytesPerS: sim.hostRatedBytesPerS };
  const world = new World({
    kernel,
    sim,
    trace,
    servers,
    firstTickUs,
    makeNode: (s, times) => createNode(spec.method, { name: s.name, params, spec: hostSpec, vmCapacity: s.vmCapacity, disabled: spec.disabled, hardening: spec.hardening, times }),
    observer: watch === null ? checkers : { onChange: (w, change) => checkers.onChange(w, change), onLog: (line) => (checkers.onLog(line), watch.onLog(line)) },
    clockLimitUs: spec.hardening.includes('heartbeatTrust') ? params.maxClockOffsetUs : null,
  });

  const files = clusterFiles(spec.cluster, Math.floor(startUs / US_PER_S));
  const data = spec.cluster.map((c) => c.data);
  world.changes.incremental = observe.incrementalChanges ?? true;
  if (observe.systemLog === 'faults') {
    const failed = new Set(spec.faults.map((f) => f.server));
    world.keepsLogLine = (entry) => failed.has(logTarget(entry) ?? '');
  }
  const sharing = (observe.sharedReplicas ?? true) && sharesReplicas(spec);
  if (sharing) world.shareHeartbeat(files['heartbeat.file']);
  for (const s of servers) {
    const runner = world.powerOn(s, true);
    world.vips.claim(s.data.vip, { kind: 'real', server: s.name });
    runner.deliver(sharing ? { type: 'filesReceived', files, data, shared: STORED_FILE_NAMES } : { type: 'filesReceived', files, data });
    runner.deliver({ type: 'flagFile', present: true });
  }
  world.changed();
  for (const f of spec.faults) kernel.at(firstTickUs + f.atUs, () => injectFault(world, f));
  // SEM agreement is sampled once an interval, three quarters into it (after the heartbeats settle).
  const sample = (): void => {
    world.network.shared?.rejoin();
    checkers.onSample(world);
    kernel.after(params.monitorIntervalUs, sample);
  };
  kernel.at(firstTickUs + Math.floor((params.monitorIntervalUs * 3) / 4), sample);
  // A management program that reaches a state it asserts never happens ends the run there: what
  // follows would be the world of a broken program. The run reports it with its seed.
  let assertion: (Violation & { count: number }) | null = null;
  let endUs = fullEndUs;
  try {
    if (watch !== null) endUs = runUntilMeasured(kernel, watch, fullEndUs, 2 * (sim.clientIntervalUs + sim.clientTimeoutUs));
    else kernel.runUntil(endUs);
    checkers.onEnd(world);
  } catch (error) {
    if (!(error instanceof ProtocolAssertionError)) throw error;
    assertion = { invariant: PROTOCOL_ASSERTION, atUs: kernel.nowUs, detail: `${error.message} (run seed ${seed})`, count: 1 };
  }

  const wantMetrics = observe.metrics ?? true;
  const { clients, disconnections } = replayClients(world, spec.faults, rng, firstTickUs, endUs, observe, wantMetrics);
  const byTarget = wantMetrics && spec.faults.length > 0 ? logByTarget(world.log) : new Map<string, SystemLogLine[]>();
  const targets = !wantMetrics ? [] : spec.faults.map((f) =>
    targetTimes(byTarget.get(f.server) ?? [], disconnections.get(f) ?? null, f.server, f.type, firstTickUs + f.atUs),
  );
  return {
    traceHash: trace.sha256(),
    traceLines: observe.keepTraceLines ? trace.lines() : null,
    log: world.log,
    clients,
    targets,
    outcomes: outcomes(world),
    firstTickUs,
    endUs,
    eventsRun: kernel.eventsRun,
    programEvents: world.eventsHandled,
    violations: assertion === null ? checkers.violations() : [...checkers.violations(), assertion],
    traffic: world.network.traffic,
    timelines: offsetUs === undefined ? null : new Map([...world.servers.keys()].map((s) => [s, world.availability.timeline(s)])),
  };
}

/**
 * runUntilMeasured runs the kernel in steps of one round trip until the watch has every time and
 * marginUs more have passed, or until fullEndUs, and returns where the run ended.
 */
function runUntilMeasured(kernel: Kernel, watch: MeasuredWatch, fullEndUs: number, marginUs: number): number {
  for (;;) {
    const endUs = watch.measuredAtUs === null ? fullEndUs : Math.min(fullEndUs, watch.measuredAtUs + marginUs);
    const stepEndUs = Math.min(endUs, kernel.nowUs + marginUs);
    kernel.runUntil(stepEndUs);
    if (stepEndUs >= endUs) return endUs;
  }
}

/**
 * replayClients replays the client of each failed server once for the metrics; the accesses
 * themselves are kept only when asked for (logs, charts), since a simulated day holds half a million.
 */
function replayClients(
  world: World,
  faults: readonly Fault[],
  rng: RngStreams,
  firstTickUs: number,
  endUs: number,
  observe: RunObservation,
  wantMetrics: boolean,
): { clients: Map<string, ClientAccess[]>; disconnections: Map<Fault, number | null> } {
  const clients = new Map<string, ClientAccess[]>();
  const disconnections = new Map<Fault, number | null>();
  const sim = world.sim;
  for (const s of world.servers.values()) {
    const mine = faults.filter((f) => f.server === s.name);
    const keep = observe.clientLogs === true || (observe.clientAccessesOfFailed === true && mine.length > 0);
    if (!keep && (!wantMetrics || mine.length === 0)) continue;
    const clientRng = rng.stream(`client/${s.name}`);
    const phaseUs = Math.floor(clientRng.next() * sim.clientIntervalUs);
    const timeline = world.availability.timeline(s.name);
    if (keep) {
      const accesses = clientAccesses(timeline, firstTickUs + phaseUs, endUs, sim, clientRng);
      clients.set(s.name, accesses);
      for (const f of mine) disconnections.set(f, disconnectionUs(accesses, firstTickUs + f.atUs));
    } else {
      const us = clientDisconnectionsUs(timeline, firstTickUs + phaseUs, endUs, sim, clientRng, mine.map((f) => firstTickUs + f.atUs));
      mine.forEach((f, k) => disconnections.set(f, us[k] ?? null));
    }
  }
  return { clients, disconnections };
}

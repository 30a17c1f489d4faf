// runOnce simulates one run of a scenario: the cluster starts one monitoring interval before the
// first tick (the file management server hands out files, program and flag, Sec. 3.2), the
// faults happen, and the run goes on until every recovery has had time to finish. A run is a
// pure function of (cluster, parameters, faults, seed): same inputs, same trace hash.
import { initialFiles } from '../../core/model/management-files.ts';
import type { Params } from '../../core/model/params.ts';
import type { ProtocolNode } from '../../core/program/ports.ts';
import { P2pNode } from '../../core/p2p/node.ts';
import type { RingMechanism } from '../../core/ring/mechanisms.ts';
import { RingNode } from '../../core/ring/node.ts';
import { US_PER_S } from '../../core/model/time.ts';
import { CheckerSet } from '../checkers/index.ts';
import type { Violation } from '../checkers/index.ts';
import { clientAccesses, clientDisconnectionsUs, disconnectionUs } from '../world/client.ts';
import type { ClientAccess } from '../world/client.ts';
import type { ClusterServer } from '../../paper/cluster.ts';
import { injectFault } from '../world/faults.ts';
import type { Fault } from '../world/faults.ts';
import { Kernel } from '../kernel/kernel.ts';
import { RngStreams } from '../kernel/rng.ts';
import { Trace } from '../kernel/trace.ts';
import { logByTarget, targetTimes } from './metrics.ts';
import type { TargetTimes } from './metrics.ts';
import type { SimParams } from '../sim-params.ts';
import { SimServer } from '../world/server.ts';
import { World } from '../world/world.ts';
import type { SystemLogLine } from '../../core/program/log-events.ts';

export type Method = 'ring' | 'p2p';

export interface RunInput {
  cluster: readonly ClusterServer[];
  params: Params;
  sim: SimParams;
  faults: readonly Fault[];
  method: Method;
  seed: string;
  /** endAfterUs overrides how long the run lasts after t = 0; by default settleUs after the last fault. */
  endAfterUs?: number;
  keepTraceLines?: boolean;
  /** clientLogs keeps every service's client accesses (for --logs). */
  clientLogs?: boolean;
  /** clientAccessesOfFailed keeps the client accesses of the failed servers (for charts). */
  clientAccessesOfFailed?: boolean;
  /** metrics false skips the three times and the client accesses (the explorer only needs violations). */
  metrics?: boolean;
  /** traceHash false skips the canonical trace (the explorer's speed); traceHash is then "off". */
  traceHash?: boolean;
  /** disabled switches ring mechanisms off (an ablation; mechanisms.ts). */
  disabled?: readonly RingMechanism[];
}

export interface RunOutput {
  traceHash: string;
  traceLines: string[] | null;
  log: SystemLogLine[];
  /** clients holds the client accesses kept: every server's with clientLogs, the failed servers' with clientAccessesOfFailed. */
  clients: Map<string, ClientAccess[]>;
  targets: TargetTimes[];
  firstTickUs: number;
  endUs: number;
  eventsRun: number;
  world: World;
  /** violations are the invariants this run broke (src/sim/checkers), the first of each with a count. */
  violations: (Violation & { count: number })[];
}

/**
 * settleUs bounds how long after a fault every recovery of the paper's design can take:
 * detection (an interval, Tnd and the service wait), the restart wait, a forced start and its
 * wait, the boot, the hand-back and one more interval for the management to move back.
 */
export function settleUs(params: Params, sim: SimParams): number {
  return (
    2 * params.monitorIntervalUs +
    2 * params.networkExamTimeoutUs +
    params.serviceExamWaitMaxUs +
    params.restartWaitMaxUs +
    params.startWaitMaxUs +
    sim.shutdownUs +
    sim.bootToServiceUs +
    10 * US_PER_S
  );
}

export function makeNode(method: Method, params: Params, sim: SimParams, server: SimServer, disabled: readonly RingMechanism[] = []): ProtocolNode {
  const spec = { memKb: sim.hostMemKb, cores: sim.hostCores, ratedBytesPerS: sim.hostRatedBytesPerS };
  switch (method) {
    case 'ring': {
      const node = new RingNode(server.name, params, spec, server.vmCapacity);
      node.disabled = new Set(disabled);
      return node;
    }
    case 'p2p':
      return new P2pNode(server.name, params, spec, server.vmCapacity);
  }
}

export function runOnce(input: RunInput): RunOutput {
  const { params, sim } = input;
  const firstTickUs = sim.firstTickUnixS * US_PER_S;
  const startUs = firstTickUs - params.monitorIntervalUs;
  const lastFaultUs = Math.max(0, ...input.faults.map((f) => f.atUs + (f.durationUs ?? 0)));
  const endUs = firstTickUs + (input.endAfterUs ?? lastFaultUs + settleUs(params, sim));
  const kernel = new Kernel(startUs);
  const rng = new RngStreams(input.seed);
  const trace = new Trace({ keepLines: input.keepTraceLines ?? false, originUs: firstTickUs, enabled: input.traceHash ?? true });
  const servers = input.cluster.map((c) => new SimServer(c.no, c.data, sim.vmCapacity));
  const world = new World(kernel, sim, rng.stream('durations'), rng.stream('loads'), trace, (s) => makeNode(input.method, params, sim, s, input.disabled), servers);

  world.firstTickUs = firstTickUs;
  const files = initialFiles(
    input.cluster.map((c) => ({ no: c.no, server: c.data.hostName, dataFile: `${c.data.hostName}.dat` })),
    Math.floor(startUs / US_PER_S),
  );
  const data = input.cluster.map((c) => c.data);
  for (const s of servers) {
    const runner = world.powerOn(s);
    world.vips.claim(s.data.vip, { kind: 'real', server: s.name });
    runner.deliver({ type: 'filesReceived', files, data });
    runner.deliver({ type: 'flagFile', present: true });
  }
  const checkers = new CheckerSet(params.monitorIntervalUs);
  world.onChange = () => checkers.onChange(world);
  world.onLog = (line) => checkers.onLog(line);
  world.changed();
  for (const f of input.faults) kernel.at(firstTickUs + f.atUs, () => injectFault(world, f));
  // SEM agreement is sampled once an interval, three quarters into it (after the heartbeats settle).
  const sample = (): void => {
    checkers.onSample(world);
    kernel.after(params.monitorIntervalUs, sample);
  };
  kernel.at(firstTickUs + Math.floor((params.monitorIntervalUs * 3) / 4), sample);
  kernel.runUntil(endUs);
  checkers.onEnd(world);

  // The client of each failed server is replayed once for the metrics; the accesses themselves
  // are kept only when asked for (logs, charts), since a simulated day holds half a million.
  const clients = new Map<string, ClientAccess[]>();
  const wantMetrics = input.metrics ?? true;
  const disconnections = new Map<Fault, number | null>();
  for (const s of servers) {
    const faults = input.faults.filter((f) => f.server === s.name);
    const keep = input.clientLogs === true || (input.clientAccessesOfFailed === true && faults.length > 0);
    if (!keep && (!wantMetrics || faults.length === 0)) continue;
    const clientRng = rng.stream(`client/${s.name}`);
    const phaseUs = Math.floor(clientRng.next() * sim.clientIntervalUs);
    const timeline = world.availability.timeline(s.name);
    if (keep) {
      const accesses = clientAccesses(timeline, firstTickUs + phaseUs, endUs, sim, clientRng);
      clients.set(s.name, accesses);
      for (const f of faults) disconnections.set(f, disconnectionUs(accesses, firstTickUs + f.atUs));
    } else {
      const us = clientDisconnectionsUs(timeline, firstTickUs + phaseUs, endUs, sim, clientRng, faults.map((f) => firstTickUs + f.atUs));
      faults.forEach((f, k) => disconnections.set(f, us[k] ?? null));
    }
  }
  const byTarget = wantMetrics && input.faults.length > 0 ? logByTarget(world.log) : new Map<string, SystemLogLine[]>();
  const targets = !wantMetrics ? [] : input.faults.map((f) =>
    targetTimes(byTarget.get(f.server) ?? [], disconnections.get(f) ?? null, f.server, f.type, firstTickUs + f.atUs),
  );
  return {
    traceHash: trace.sha256(),
    traceLines: input.keepTraceLines ? trace.lines() : null,
    log: world.log,
    clients,
    targets,
    firstTickUs,
    endUs,
    eventsRun: kernel.eventsRun,
    world,
    violations: checkers.violations(),
  };
}

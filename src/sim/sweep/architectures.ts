// The other three architectures of the paper's Fig. 16, as simple models under the same fault
// process as the ring and P2P (which the simulator runs event by event, long-run.ts): (a) a
// failover cluster, each server with a hot standby; (b) a load-balancer cluster, each service
// on three servers behind one load balancer; (c) a dedicated management server, which stops
// recovering while it is down. Each model turns the drawn failures into outage intervals per
// service from the same timings the protocol uses (Params, SimParams): the next examination
// tick, the examination itself, the steps of a recovery, a restart or a boot. What the paper
// does not say of them is a named assumption (ARCHITECTURE_ASSUMPTIONS), listed in the report.
import seedrandom from 'seedrandom';
import type { Params } from '../../core/model/params.ts';
import type { SimParams } from '../sim-params.ts';
import { drawFailures } from './fault-process.ts';
import type { Failure, FaultProcess } from './fault-process.ts';
import type { LongRunResult, ServiceTally } from './long-run.ts';

export const MODELLED_ARCHITECTURES = ['failover-cluster', 'load-balancer', 'dedicated-manager'] as const;
export type ModelledArchitecture = (typeof MODELLED_ARCHITECTURES)[number];
/** ARCHITECTURES are the five of Fig. 16: the two the simulator runs, and the three modelled here. */
export const ARCHITECTURES = ['ring', 'p2p', ...MODELLED_ARCHITECTURES] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** LB_SERVERS is how many servers share a service behind the load balancer: Fig. 16(b) draws three. */
export const LB_SERVERS = 3;

export const ARCHITECTURE_ASSUMPTIONS: readonly string[] = [
  'Every architecture examines its servers once a monitoring interval, from a tick phase drawn per replication, and finds a failure as the ring does: St after the load measurement, the network examination and a service examination; Nt after the load measurement and Tnd. The ring, P2P and the dedicated management server, which run the DBSS, then re-examine before they act (Fig. 14: "re-examination confirms it"): Tnd again for Nt, the service examination wait for St.',
  'A failed server is repaired as the ring repairs it: St by a restart (shutdown and boot), Nt by a boot (Wake-on-LAN or a fencing agent\'s power-on), counted from the detection; the ring also waits its restart wait first, the models do not.',
  '(a) Failover cluster: the standby runs already, so a failover is the VIP moving to it (vipSetUs). A failure of the standby costs nothing while the primary serves; with both down the service waits for the first repair. Servers: two per service and one that runs the cluster management (Sec. 6: "both systems need a server that ... collect[s] and examine[s] information").',
  `(b) Load-balancer cluster: ${LB_SERVERS} servers per service; until the load balancer deselects a failed server (its detection), 1/${LB_SERVERS} of the accesses reach it and fail; the service is down only with all ${LB_SERVERS} down. The one load balancer fails and is repaired like a server; while it is down every service is. Servers: ${LB_SERVERS} per service, the load balancer and a management server.`,
  '(c) Dedicated management server: a target failure is recovered as the ring recovers it (detection, re-examination, load collection, file edit, virtual server resume, installation, VIP set); while the management server is down nothing is detected, and it is repaired by an operator after operatorRepairHours (nobody manages it: Sec. 6, "management cannot proceed if the management server fails"). Servers: the targets, the management server and the host of the virtual servers.',
];

/** COMMON_CAUSE_ASSUMPTION says where correlated failures strike in the models (commonCauseMachines). */
export const COMMON_CAUSE_ASSUMPTION =
  'Correlated failures: a common-cause event shuts down neighbouring services\' first servers (the ring\'s own servers; the primaries of a failover cluster, whose standbys stand elsewhere, so that with no failback an event reaches the server that serves about half the time; one of the three behind the load balancer, which loses a third of the accesses until it is deselected; the targets of a dedicated management server); the closed form adds each service\'s share of the events, at the Nt downtime, with those shares.';

/**
 * MODEL_EVENTS_PER_FAILURE prices a drawn failure of a modelled architecture in simulated events
 * for the sweep budget (config/parse-sweep.ts): measured, 0.76 us a failure (100 years of a
 * dedicated manager at an MTBF of 1 h, 6.1 million failures in 4.65 s), about two events' time.
 */
export const MODEL_EVENTS_PER_FAILURE = 2;

/** modelMachines names the machines a model draws failures for: the services' and its own. */
export function modelMachines(architecture: ModelledArchitecture, services: readonly string[]): string[] {
  switch (architecture) {
    case 'failover-cluster':
      return services.flatMap((s) => [s, `${s}b`]);
    case 'load-balancer':
      return ['lb', ...services.flatMap(lbMembers)];
    case 'dedicated-manager':
      return ['manager', ...services];
  }
}

/**
 * commonCauseMachines are the machines a common-cause event shuts down in a model, in the ring's
 * order of the services: each service's first server (the primary, the first behind the load
 * balancer, the target), as the ring loses the services' own servers; standbys and the other
 * members stand elsewhere, as a failover or load-balancer cluster would place them.
 */
function commonCauseMachines(architecture: ModelledArchitecture, services: readonly string[]): string[] {
  return architecture === 'load-balancer' ? services.map((s) => lbMembers(s)[0] as string) : [...services];
}

/** lbMembers names the servers that share service s behind the load balancer. */
function lbMembers(s: string): string[] {
  return Array.from({ length: LB_SERVERS }, (_, k) => `${s}-${k + 1}`);
}

/** ModelTimings are the times a model needs, derived from the protocol's parameters. */
interface ModelTimings {
  intervalUs: number;
  examUs: (type: Failure['type']) => number;
  /** confirmUs is the DBSS's re-examination of a failure it found, before it acts (Fig. 14). */
  confirmUs: (type: Failure['type']) => number;
  repairUs: (type: Failure['type']) => number;
  failoverUs: number;
  recoveryUs: number;
}

function timingsOf(params: Params, sim: SimParams): ModelTimings {
  return {
    intervalUs: params.monitorIntervalUs,
    examUs: (type) => sim.loadMeasureUs + (type === 'St' ? sim.networkExamOkUs + sim.serviceExamDefaultUs : params.networkExamTimeoutUs),
    confirmUs: (type) => (type === 'St' ? params.serviceExamWaitMaxUs : params.networkExamTimeoutUs),
    repairUs: (type) => (type === 'St' ? sim.shutdownUs : 0) + sim.bootToServiceUs,
    failoverUs: sim.vipSetUs,
    recoveryUs: sim.loadCollectUs + sim.fileEditUs + sim.vsResumeUs + sim.vsInstallProcedureUs + sim.vipSetUs,
  };
}

/** serversNeeded is how many real servers an architecture needs for n services (see the assumptions). */
export function serversNeeded(architecture: Architecture, services: number): number {
  switch (architecture) {
    case 'ring':
    case 'p2p':
      return services + 1; // Sec. 6: a file server keeps the management data and software.
    case 'failover-cluster':
      return 2 * services + 1;
    case 'load-balancer':
      return LB_SERVERS * services + 2;
    case 'dedicated-manager':
      return services + 2;
  }
}

/**
 * closedFormAvailability is the classical A = MTTF / (MTTF + MTTR) of one service, with the mean
 * downtime per failure of each architecture from the same timings (a failure is found half an
 * interval after it on average); the load balancer's is the fraction of accesses lost to
 * undeselected servers times its own A, the dedicated manager's adds the wait for the operator
 * to a failure that falls while the manager is down (half the repair, with the manager down a
 * share R / (MTTF + R) of the time). A check on the simulated figures, not a replacement.
 */
export function closedFormAvailability(architecture: Architecture, params: Params, sim: SimParams, process: FaultProcess, operatorRepairUs: number, services: number): number {
  const t = timingsOf(params, sim);
  // Failures per microsecond of one service: its own, and its share of the common-cause events (all Nt).
  const ownRate = 1 / process.mtbfUs;
  const cc = process.commonCause;
  const commonRate = cc === null ? 0 : Math.min(cc.servers, services) / services / cc.mtbfUs;
  const mix = (f: (type: Failure['type']) => number): number => process.stShare * f('St') + (1 - process.stShare) * f('Nt');
  // rate x downtime per failure, summed over the processes: A = 1 / (1 + that), MTTF / (MTTF + MTTR) for
  // one process. hit is the share of common-cause events that reach the server that serves.
  const load = (down: (type: Failure['type']) => number, hit = 1): number => ownRate * mix(down) + hit * commonRate * down('Nt');
  const a = (down: (type: Failure['type']) => number, hit = 1): number => 1 / (1 + load(down, hit));
  const detectUs = (type: Failure['type']): number => t.intervalUs / 2 + t.examUs(type);
  switch (architecture) {
    case 'ring':
    case 'p2p':
      return a((type) => detectUs(type) + t.confirmUs(type) + t.recoveryUs);
    case 'failover-cluster':
      // Common-cause events hit the primaries (commonCauseMachines); with no failback each failover
      // swaps the roles, so a service runs on its primary about half the time.
      return a((type) => detectUs(type) + t.failoverUs, 1 / 2);
    case 'load-balancer':
      // The first factor is the load balancer's own, which common-cause events do not reach; they
      // shut down one of a service's members (commonCauseMachines), which loses 1/LB_SERVERS of the
      // accesses until it is deselected.
      return a((type) => detectUs(type) + t.repairUs(type), 0) * (1 - load(detectUs, 1 / LB_SERVERS));
    case 'dedicated-manager': {
      const managerDown = operatorRepairUs / (process.mtbfUs + operatorRepairUs);
      return a((type) => detectUs(type) + t.confirmUs(type) + t.recoveryUs + managerDown * (operatorRepairUs / 2));
    }
  }
}

/** runModel simulates one replication of a modelled architecture under the fault process. */
export function runModel(architecture: ModelledArchitecture, services: readonly string[], params: Params, sim: SimParams, process: FaultProcess, operatorRepairUs: number, seedText: string): LongRunResult {
  const t = timingsOf(params, sim);
  const phaseUs = Math.floor(seedrandom.alea(`${seedText}/model-phase`)() * t.intervalUs);
  const detectUs = (f: Failure): number => nextTickUs(f.atUs, phaseUs, t.intervalUs) + t.examUs(f.type) - f.atUs;
  const tallies: ServiceTally[] = services.map((s) => ({ server: s, accesses: 0, answered: 0, downUs: 0, failures: 0 }));
  const result: LongRunResult = { services: tallies, incidents: 0, simulatedUs: 0, violations: 0, unhealed: 0 };
  const failures = drawFailures(process, modelMachines(architecture, services), seedText, commonCauseMachines(architecture, services));
  if (architecture === 'failover-cluster') {
    services.forEach((s, i) => {
      const mine = failures.filter((f) => f.server === s || f.server === `${s}b`);
      (tallies[i] as ServiceTally).failures = mine.length;
      (tallies[i] as ServiceTally).downUs = failoverDownUs(s, mine, detectUs, t);
    });
  } else if (architecture === 'load-balancer') {
    const lbDown = failures.filter((f) => f.server === 'lb').map((f): [number, number] => [f.atUs, f.atUs + detectUs(f) + t.repairUs(f.type)]);
    services.forEach((s, i) => {
      const members = lbMembers(s);
      const mine = failures.filter((f) => members.includes(f.server));
      (tallies[i] as ServiceTally).failures = mine.length;
      (tallies[i] as ServiceTally).downUs = lbDownUs(members, mine, lbDown, detectUs, t);
    });
  } else {
    const managerDown = mergedDownTimes(failures.filter((f) => f.server === 'manager').map((f): [number, number] => [f.atUs, f.atUs + operatorRepairUs]));
    services.forEach((s, i) => {
      const mine = failures.filter((f) => f.server === s);
      (tallies[i] as ServiceTally).failures = mine.length;
      (tallies[i] as ServiceTally).downUs = mine.reduce((sum, f) => {
        // Nothing is examined while the manager is down: the failure is found at its first tick after the repair.
        const seenFromUs = upAt(f.atUs, managerDown);
        const found = nextTickUs(seenFromUs, phaseUs, t.intervalUs) + t.examUs(f.type);
        return sum + (found - f.atUs) + t.confirmUs(f.type) + t.recoveryUs;
      }, 0);
    });
  }
  for (const tally of tallies) {
    tally.downUs = Math.min(tally.downUs, process.horizonUs);
    tally.accesses = process.horizonUs / (sim.clientOkUs + sim.clientIntervalUs);
    tally.answered = tally.accesses * (1 - tally.downUs / process.horizonUs);
  }
  return result;
}

/** nextTickUs is the first examination tick at or after atUs, ticks falling at phaseUs + k intervals. */
function nextTickUs(atUs: number, phaseUs: number, intervalUs: number): number {
  return phaseUs + Math.ceil((atUs - phaseUs) / intervalUs) * intervalUs;
}

/** mergedDownTimes joins intervals sorted by start that overlap or touch (a failure during a repair) into disjoint down times. */
export function mergedDownTimes(down: readonly (readonly [number, number])[]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [from, to] of down) {
    const last = merged[merged.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** upAt is atUs, or the end of the down time that holds it; down is disjoint and sorted (mergedDownTimes), and a binary search finds it. */
export function upAt(atUs: number, down: readonly (readonly [number, number])[]): number {
  let lo = 0;
  let hi = down.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((down[mid] as readonly [number, number])[0] <= atUs) lo = mid + 1;
    else hi = mid;
  }
  const holding = down[lo - 1];
  return holding !== undefined && atUs < holding[1] ? holding[1] : atUs;
}

/** failoverDownUs walks one primary-standby pair through its failures: the active node's failure costs a failover, or the wait for a repair when the other is down too. */
function failoverDownUs(primary: string, failures: readonly Failure[], detectUs: (f: Failure) => number, t: ModelTimings): number {
  const upFromUs = new Map<string, number>([
    [primary, 0],
    [`${primary}b`, 0],
  ]);
  let active = primary;
  let down = 0;
  let servedFromUs = 0;
  for (const f of failures) {
    if ((upFromUs.get(f.server) ?? 0) > f.atUs) continue; // already down: a failure of a failed node changes nothing
    const detectedUs = f.atUs + detectUs(f);
    upFromUs.set(f.server, detectedUs + t.repairUs(f.type));
    if (f.server !== active || f.atUs < servedFromUs) continue;
    const other = f.server === primary ? `${primary}b` : primary;
    const otherUpUs = Math.max(detectedUs, upFromUs.get(other) ?? 0);
    servedFromUs = otherUpUs + t.failoverUs;
    down += servedFromUs - f.atUs;
    active = other;
  }
  return down;
}

/** lbDownUs adds the accesses lost to servers not yet deselected (1/LB_SERVERS of the time until detection), the time all members are down, and the load balancer's own downtime. */
function lbDownUs(members: readonly string[], failures: readonly Failure[], lbDown: readonly [number, number][], detectUs: (f: Failure) => number, t: ModelTimings): number {
  let down = 0;
  const intervals: [number, number][] = [];
  const upFromUs = new Map<string, number>();
  for (const f of failures) {
    if ((upFromUs.get(f.server) ?? 0) > f.atUs) continue; // already down: a failure of a failed server changes nothing
    const detectedUs = f.atUs + detectUs(f);
    down += (detectedUs - f.atUs) / members.length;
    upFromUs.set(f.server, detectedUs + t.repairUs(f.type));
    intervals.push([f.atUs, detectedUs + t.repairUs(f.type)]);
  }
  // All members down at once: sweep the intervals' ends.
  const edges = intervals.flatMap(([a, b]): [number, number][] => [[a, 1], [b, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let depth = 0;
  let since = 0;
  for (const [at, step] of edges) {
    if (depth >= members.length && step < 0) down += at - since;
    depth += step;
    if (depth >= members.length && step > 0) since = at;
  }
  for (const [from, to] of lbDown) down += to - from;
  return down;
}

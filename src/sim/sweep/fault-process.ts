// Fault processes for long runs: every server fails after exponentially distributed times (its
// MTBF), each failure St (the service stops, a restart repairs it) or Nt (the server shuts down,
// Wake-on-LAN starts it) by a given share, drawn from the run's own stream so that a replication
// reproduces alone. The repair is the protocol's own (restart, Wake-on-LAN), as in Table 2.
//
// Optionally, correlated failures: common-cause events (a host that carries several servers as
// virtual machines, a shared power feed or rack switch) that shut down several servers
// neighbouring in the ring at one instant, Nt, as in the paper's own multi-failure experiments
// (Table 2 lower: FTP and Web 1; Fig. 15: Mail, FTP and Web 1), from a stream of their own, so a
// process without them draws what it drew before.
import seedrandom from 'seedrandom';
import type { PaperFaultType } from '../world/faults.ts';

/** FaultProcess is a sweep's `availability:` block: how long each replication runs and how servers fail. */
export interface FaultProcess {
  /** horizonUs is the simulated time per replication (a year: 365 days). */
  horizonUs: number;
  /** mtbfUs is each server's mean time between failures. */
  mtbfUs: number;
  /** stShare is the share of failures that are St; the rest are Nt. */
  stShare: number;
  /** commonCause, where given, adds events that shut down several neighbouring servers at once. */
  commonCause: CommonCause | null;
}

/** CommonCause is the correlated failure process: one event every mtbfUs on average, in the whole cluster. */
export interface CommonCause {
  mtbfUs: number;
  /** servers is how many servers, neighbours in ring order, each event shuts down (Nt). */
  servers: number;
}

/** Failure is one drawn failure: when (from the start of the replication), where and which. */
export interface Failure {
  atUs: number;
  server: string;
  type: PaperFaultType;
}

/**
 * drawFailures draws every server's failures over the horizon, sorted by time (then ring order).
 * A common-cause event shuts down `servers` neighbours of `ring` (the services' own servers, in
 * ring order; by default all the servers), starting at a drawn one and wrapping around.
 */
export function drawFailures(process: FaultProcess, servers: readonly string[], seedText: string, ring: readonly string[] = servers): Failure[] {
  const failures: Failure[] = [];
  for (const server of servers) {
    const rng = seedrandom.alea(`${seedText}/failures/${server}`);
    for (let t = 0; ; ) {
      t = after(t, rng, process.mtbfUs);
      if (t >= process.horizonUs) break;
      failures.push({ atUs: t, server, type: rng() < process.stShare ? 'St' : 'Nt' });
    }
  }
  const cc = process.commonCause;
  if (cc !== null) {
    const rng = seedrandom.alea(`${seedText}/common-cause`);
    for (let t = 0; ; ) {
      t = after(t, rng, cc.mtbfUs);
      if (t >= process.horizonUs) break;
      const first = Math.floor(rng() * ring.length);
      for (let j = 0; j < Math.min(cc.servers, ring.length); j++) failures.push({ atUs: t, server: ring[(first + j) % ring.length] as string, type: 'Nt' });
    }
  }
  const order = new Map(servers.map((s, i) => [s, i]));
  return failures.sort((a, b) => a.atUs - b.atUs || (order.get(a.server) ?? 0) - (order.get(b.server) ?? 0));
}

/** after is the next time of a Poisson process of mean spacing meanUs after t (exponential; 1 - u keeps the logarithm finite). */
function after(t: number, rng: () => number, meanUs: number): number {
  return t + Math.max(1, Math.round(-Math.log(1 - rng()) * meanUs));
}

// Fault processes for long runs: every server fails after exponentially distributed times (its
// MTBF), each failure St (the service stops, a restart repairs it) or Nt (the server shuts down,
// Wake-on-LAN starts it) by a given share, drawn from the run's own stream so that a replication
// reproduces alone. The repair is the protocol's own (restart, Wake-on-LAN), as in Table 2.
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
}

/** Failure is one drawn failure: when (from the start of the replication), where and which. */
export interface Failure {
  atUs: number;
  server: string;
  type: PaperFaultType;
}

/** drawFailures draws every server's failures over the horizon, sorted by time (then ring order). */
export function drawFailures(process: FaultProcess, servers: readonly string[], seedText: string): Failure[] {
  const failures: Failure[] = [];
  for (const server of servers) {
    const rng = seedrandom.alea(`${seedText}/failures/${server}`);
    for (let t = 0; ; ) {
      // Exponential with mean mtbfUs; 1 - u keeps the logarithm finite.
      t += Math.max(1, Math.round(-Math.log(1 - rng()) * process.mtbfUs));
      if (t >= process.horizonUs) break;
      failures.push({ atUs: t, server, type: rng() < process.stShare ? 'St' : 'Nt' });
    }
  }
  const order = new Map(servers.map((s, i) => [s, i]));
  return failures.sort((a, b) => a.atUs - b.atUs || (order.get(a.server) ?? 0) - (order.get(b.server) ?? 0));
}

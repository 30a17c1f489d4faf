// A scenario is one experiment as a scenario file describes it (scenarios/*.yaml): which servers
// form the ring, which faults happen when, how many seeded runs, and any parameter overrides,
// resolved to the values a run takes (integer microseconds, full Params and SimParams).
import type { Params } from '../core/model/params.ts';
import type { RingMechanism } from '../core/ring/mechanisms.ts';
import type { ClusterServer } from '../paper/cluster.ts';
import type { Fault } from '../sim/world/faults.ts';
import type { SimParams } from '../sim/sim-params.ts';

/** ScenarioMethod names the management method a scenario runs: the paper's ring or the P2P baseline. */
export type ScenarioMethod = 'ring' | 'p2p';

/** SCENARIO_METHODS lists the accepted spellings of `method:`. */
export const SCENARIO_METHODS: readonly ScenarioMethod[] = ['ring', 'p2p'];

/**
 * ScenarioExpectation is what a scenario claims about the end of every run, checked by the
 * scenario tests. Each list names servers of the scenario's ring.
 */
export interface ScenarioExpectation {
  /** served: servers whose function (VIP answered by the real server or a virtual server) must be served at the end. */
  served?: string[];
  /** managed: servers that must be running and managed again at the end. */
  managed?: string[];
  /** recovered: servers whose VIP must be back on the real server at the end. */
  recovered?: string[];
  /** violations: invariant names the run is expected to violate; left out means none. */
  violations?: string[];
}

export interface Scenario {
  /** name is the scenario's `name:`, else the file name without its .yaml extension. */
  name: string;
  /** file is the path the scenario was read from, as given, for messages and reports. */
  file: string;
  method: ScenarioMethod;
  /** cluster is the ring: No. 1..n in ring order (the `servers:` list order when given). */
  cluster: ClusterServer[];
  faults: Fault[];
  runs: number;
  seed: number;
  params: Params;
  sim: SimParams;
  /** durationUs is how long each run lasts after t = 0; null lets the runner settle after the last fault. */
  durationUs: number | null;
  expect: ScenarioExpectation | null;
  description: string | null;
  /** disabled lists ring mechanisms switched off (`disable:`), for ablations and checker tests. */
  disabled: RingMechanism[];
}

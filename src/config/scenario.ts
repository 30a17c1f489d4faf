// A scenario is one experiment as a scenario file describes it (scenarios/*.yaml): the run it
// describes (which servers form the ring, which faults happen when, any parameter overrides,
// resolved to integer microseconds and full Params and SimParams), how many seeded runs, and
// what every run is expected to end with.
import type { RunSpec } from '../sim/run/run-spec.ts';

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
  description: string | null;
  /** spec is the run the scenario describes (method, ring, parameters, faults, duration, `disable:`). */
  spec: RunSpec;
  runs: number;
  seed: number;
  expect: ScenarioExpectation | null;
  /** text is the YAML as read, comments and all: a run directory keeps it (standard input cannot be read twice). */
  text: string;
}

// What a scenario's `expect:` block claims about the end of every run, checked against one run:
// the servers served, recovered and managed at the end, and exactly the invariants it names as
// broken (none when it names none). `dbss sim` turns the failures into its verdict and exit
// status; the scenario tests (test/scenarios) assert there are none.
import type { RunOutput } from './run.ts';

/** RunExpectation is the scenario's expect block (config/scenario.ts ScenarioExpectation has this shape). */
export interface RunExpectation {
  served?: readonly string[];
  managed?: readonly string[];
  recovered?: readonly string[];
  violations?: readonly string[];
}

/** ExpectationFailure is one claim of the expect block that a run does not meet. */
export interface ExpectationFailure {
  /** claim is the key of the expect block: violations, served, recovered or managed. */
  claim: 'violations' | 'served' | 'recovered' | 'managed';
  /** detail says what the run did instead, in a sentence fragment a person reads. */
  detail: string;
}

/** expectationFailures lists what of `expect` one run does not meet; an empty list means the run ends as expected. */
export function expectationFailures(expect: RunExpectation, out: Pick<RunOutput, 'violations' | 'outcomes'>): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  const broken = [...new Set(out.violations.map((v) => v.invariant))].sort();
  const expected = [...new Set(expect.violations ?? [])].sort();
  if (broken.join(',') !== expected.join(',')) {
    failures.push({ claim: 'violations', detail: `broke ${listOf(broken)}, expected ${listOf(expected)}` });
  }
  const end = new Map(out.outcomes.map((o) => [o.server, o]));
  for (const s of expect.served ?? []) {
    if (end.get(s)?.served !== true) failures.push({ claim: 'served', detail: `${s} not served at the end` });
  }
  for (const s of expect.recovered ?? []) {
    if (end.get(s)?.recovered !== true) failures.push({ claim: 'recovered', detail: `${s}'s VIP not back on its real server at the end` });
  }
  for (const s of expect.managed ?? []) {
    const o = end.get(s);
    if (o?.running !== true) failures.push({ claim: 'managed', detail: `${s} not running its management program at the end` });
    else if (o.managers.length !== 1) failures.push({ claim: 'managed', detail: `${s} managed by ${o.managers.length} servers at the end (${o.managers.join(', ') || 'none'}), expected exactly one` });
  }
  return failures;
}

function listOf(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

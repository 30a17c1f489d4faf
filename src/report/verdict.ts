// The verdict of `dbss sim`, Jepsen's convention for scripts: status 0 when every run broke no
// invariant and ended as the scenario's `expect:` says, 1 when a run broke an invariant (even one
// the scenario expects: the status reports the runs, the scenario tests compare expectations) or
// an expectation failed. Status 2, bad input, never reaches here (cli.ts failureOf).
import type { ExpectationFailure } from '../sim/run/expectation.ts';

/** Verdict is what `dbss sim --json` carries and the lines after the table say. */
export interface Verdict {
  status: 0 | 1;
  /** invariants lists each invariant broken, the runs that broke it, and whether the scenario expects it. */
  invariants: { invariant: string; runs: number[]; expected: boolean }[];
  /** expectations lists each claim of the expect block some run does not meet, with those runs. */
  expectations: { claim: ExpectationFailure['claim']; detail: string; runs: number[] }[];
}

/** VerdictBuilder collects the runs one at a time, as the experiment hands them over. */
export class VerdictBuilder {
  private readonly invariants = new Map<string, number[]>();
  private readonly expectations = new Map<string, { claim: ExpectationFailure['claim']; detail: string; runs: number[] }>();

  /** expectedInvariants are the scenario's expect.violations (empty without an expect block). */
  constructor(private readonly expectedInvariants: readonly string[]) {}

  addRun(run: number, brokenInvariants: readonly string[], failures: readonly ExpectationFailure[]): void {
    for (const invariant of new Set(brokenInvariants)) this.invariants.set(invariant, [...(this.invariants.get(invariant) ?? []), run]);
    for (const f of failures) {
      const key = `${f.claim}\n${f.detail}`;
      const entry = this.expectations.get(key) ?? { claim: f.claim, detail: f.detail, runs: [] };
      entry.runs.push(run);
      this.expectations.set(key, entry);
    }
  }

  verdict(): Verdict {
    const invariants = [...this.invariants].map(([invariant, runs]) => ({ invariant, runs, expected: this.expectedInvariants.includes(invariant) }));
    const expectations = [...this.expectations.values()];
    return { status: invariants.length === 0 && expectations.length === 0 ? 0 : 1, invariants, expectations };
  }
}

/** verdictLines are the lines after the table: one per broken invariant and per failed expectation, then the status. */
export function verdictLines(v: Verdict, runs: number): string[] {
  const lines = [
    ...v.invariants.map((i) => `invalid: ${i.invariant} broken in ${runsText(i.runs, runs)}${i.expected ? ' (the scenario expects it)' : ''}`),
    ...v.expectations.map((e) => `expectation failed (${e.claim}) in ${runsText(e.runs, runs)}: ${e.detail}`),
  ];
  lines.push(v.status === 0 ? 'verdict: valid (exit status 0): no invariant broken, every expectation met' : `verdict: invalid (exit status 1)`);
  return lines;
}

/** runsText names the runs compactly: "run 3 of 10", "runs 1-10 of 10", "runs 2, 5, 7-9 of 10". */
function runsText(list: readonly number[], total: number): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && (list[j + 1] as number) === (list[j] as number) + 1) j++;
    parts.push(i === j ? `${list[i]}` : `${list[i]}-${list[j]}`);
    i = j + 1;
  }
  return `${list.length === 1 ? 'run' : 'runs'} ${parts.join(', ')} of ${total}`;
}

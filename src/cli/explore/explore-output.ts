// What `dbss explore` prints: a block of text per searched method, or one JSON object of the
// same shape for any number of methods ({ seed, baseline, methods: [...] }), each finding with
// its schedule, fast-check seed and path, detail and replay commands, and the coverage table.
import { findingKey } from '../../report/findings/baseline.ts';
import type { KnownFinding } from '../../report/findings/baseline.ts';
import type { MethodReport } from '../../report/findings/findings-md.ts';

/** BaselineSummary is how a search compares with --baseline: findings known, findings new, and baseline findings not met again. */
export interface BaselineSummary {
  file: string;
  known: number;
  new: { method: string; invariant: string }[];
  /** missing counts the baseline's findings of the searched methods that this search did not find. */
  missing: number;
}

/** markKnown sets each finding's `known` from the baseline and sums up the comparison. */
export function markKnown(reports: readonly MethodReport[], baseline: readonly KnownFinding[], file: string): BaselineSummary {
  const keys = new Set(baseline.map((k) => findingKey(k.method, k.invariant, k.faults)));
  const found = new Set<string>();
  const summary: BaselineSummary = { file, known: 0, new: [], missing: 0 };
  for (const r of reports) {
    r.findings.forEach((f, i) => {
      const key = findingKey(r.label, f.invariant, f.faults);
      found.add(key);
      const v = r.violations[i];
      if (v === undefined) throw new Error(`finding ${f.invariant} of ${r.label} has no scenario`);
      v.known = keys.has(key);
      if (v.known) summary.known++;
      else summary.new.push({ method: r.label, invariant: f.invariant });
    });
  }
  const searched = new Set(reports.map((r) => r.label));
  summary.missing = baseline.filter((k) => searched.has(k.method) && !found.has(findingKey(k.method, k.invariant, k.faults))).length;
  return summary;
}

export function formatText(r: MethodReport): string {
  const t = r.throughput;
  const work =
    t.kind === 'exhaustive'
      ? `${r.runs} exhaustive cases, seed ${r.seed}: ${t.randomPerSecond} runs/s on one thread`
      : `${r.runs} random schedules, seed ${r.seed}: ${t.randomPerSecond} random schedules/s on ${t.workers} worker${t.workers === 1 ? '' : 's'}, ${t.shrinkRuns} shrink runs apart (${t.wallSeconds.toFixed(1)} s in all)`;
  const head = `explore ${r.label}: ${work}`;
  const coverage =
    r.coverage === null
      ? ''
      : `\n${['failed servers  combinations  runs  runs with violations', ...r.coverage.map((c) => `${String(c.failedServers).padStart(14)}  ${String(c.combinations).padStart(12)}  ${String(c.runs).padStart(4)}  ${String(c.runsWithViolations).padStart(20)}`)].join('\n')}`;
  if (r.violations.length === 0) return `${head}: no violation found${coverage}`;
  const lines = r.violations.map((v) => {
    const known = v.known === null ? '' : v.known ? ' [known]' : ' [NEW]';
    const fc = v.exploreReplay === null ? '' : `\n    fast-check: seed ${v.fcSeed}, path "${v.fcPath}": ${v.exploreReplay}`;
    return `  ${v.invariant} (${v.faults} fault${v.faults === 1 ? '' : 's'})${known}: ${v.detail}\n    replay: ${v.replay}${fc}`;
  });
  return `${head}\n${lines.join('\n')}${coverage}`;
}

/** baselineLine says how the search compares with the baseline, in one line. */
export function baselineLine(b: BaselineSummary): string {
  const found = b.known + b.new.length;
  const fresh = b.new.length === 0 ? 'none new' : `${b.new.length} new (${b.new.map((n) => `${n.method} ${n.invariant}`).join(', ')})`;
  const missing = b.missing === 0 ? '' : `; ${b.missing} of the baseline's findings not found this time`;
  return `baseline ${b.file}: ${b.known} of ${found} finding${found === 1 ? '' : 's'} known, ${fresh}${missing}`;
}

/** exploreJson is the one JSON shape, whatever the number of methods. */
export function exploreJson(reports: readonly MethodReport[], seed: number, baseline: BaselineSummary | null): unknown {
  return {
    seed,
    baseline,
    methods: reports.map((r) => ({
      method: r.method,
      label: r.label,
      hardening: r.hardening,
      maxFaults: r.maxFaults,
      seed: r.seed,
      runs: r.runs,
      ...r.throughput,
      findings: r.findings.map((f, i) => {
        const v = r.violations[i];
        return {
          // method is the label, so that a list of these findings is itself a --baseline.
          method: r.label,
          invariant: f.invariant,
          known: v?.known ?? null,
          faults: f.faults,
          detail: f.violation.detail,
          atUs: f.violation.atUs,
          fcSeed: f.fcSeed,
          fcPath: f.fcPath,
          shrinks: f.shrinks,
          runsBeforeFailure: f.runsBeforeFailure,
          scenarioFile: v?.scenarioFile ?? '',
          replay: v?.replay ?? '',
          exploreReplay: v?.exploreReplay ?? null,
        };
      }),
      coverage: r.coverage,
    })),
  };
}

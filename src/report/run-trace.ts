// The full event trace of a run as JSON Lines (`dbss sim --out DIR --trace`): every line of the
// canonical trace whose SHA-256 is the run's fingerprint (sim/kernel/trace.ts), split back into
// its parts. A line is `<time> <source> <kind> <rest>` with the time relative to the first tick.

/** TraceRecord is one trace line as data; tUs counts from the first tick (t = 0), atUs is absolute. */
export interface TraceRecord {
  tUs: number;
  atUs: number;
  source: string;
  kind: string;
  detail: string;
}

/** traceRecord splits one canonical trace line; a line that is not one is a bug of the trace, not input. */
export function traceRecord(line: string, firstTickUs: number): TraceRecord {
  const m = /^(-?\d+) (\S+) (\S+)(?: (.*))?$/.exec(line);
  if (m === null) throw new Error(`traceRecord: not a canonical trace line: ${JSON.stringify(line)}`);
  const tUs = Number(m[1]);
  return { tUs, atUs: firstTickUs + tUs, source: m[2] ?? '', kind: m[3] ?? '', detail: m[4] ?? '' };
}

/** traceJsonl renders the trace, one JSON object per line. */
export function traceJsonl(lines: readonly string[], firstTickUs: number): string {
  return lines.map((l) => `${JSON.stringify(traceRecord(l, firstTickUs))}\n`).join('');
}

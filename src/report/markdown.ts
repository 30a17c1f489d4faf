// Markdown helpers for REPORT.md: tables and the cell formats the report uses.
import type { Summary } from './stats.ts';
import { fixed, signed } from './format.ts';

/** mdTable renders a pipe table; cells must not contain "|". */
export function mdTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const cell of [...headers, ...rows.flat()]) if (cell.includes('|')) throw new Error(`table cell with "|": ${cell}`);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** meanRange prints "mean [min-max]" in seconds with 2 decimals, or "never". */
export function meanRange(s: Summary | null): string {
  return s === null ? 'never' : `${fixed(s.mean, 2)} [${fixed(s.min, 2)}-${fixed(s.max, 2)}]`;
}

/** ci prints the 95 % confidence interval of the mean as "low-high", or "one run" (no interval). */
export function ci(s: Summary | null): string {
  if (s === null) return '';
  return s.ciLow === null || s.ciHigh === null ? 'one run' : `${fixed(s.ciLow, 2)}-${fixed(s.ciHigh, 2)}`;
}

/** pct prints a signed percentage with one decimal, or an empty cell. */
export function pct(x: number | null): string {
  return x === null ? '' : `${signed(x, 1)} %`;
}

/** paperCell prints a paper value with the paper's 2 decimals, or an empty cell. */
export function paperCell(x: number | null): string {
  return x === null ? '' : fixed(x, 2);
}

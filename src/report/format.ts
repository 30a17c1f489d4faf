// Number formatting shared by the CSV, the charts and the report: fixed decimals, so that the
// same numbers always print the same bytes, and never a "-0".

/** fixed prints x with the given decimals; a value that rounds to zero prints without a minus sign. */
export function fixed(x: number, decimals: number): string {
  const text = x.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** seconds prints a time in seconds with 3 decimals (the CSV) or fewer (tables and charts). */
export function seconds(x: number, decimals = 3): string {
  return fixed(x, decimals);
}

/** signed prints x with a leading "+" when it is above zero at the given decimals. */
export function signed(x: number, decimals: number): string {
  const text = fixed(x, decimals);
  return text.startsWith('-') || /^0\.?0*$/.test(text) ? text : `+${text}`;
}

/** errorPct is the simulated mean's signed error against the paper, in percent, rounded to one decimal. */
export function errorPct(simulated: number, paper: number): number {
  return Math.round(((simulated - paper) / paper) * 1000) / 10;
}

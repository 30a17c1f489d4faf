// Clock times as the paper's logs print them (Fig. 14): hh:mm:ss.ss, here in UTC.

/** formatClock renders an absolute time in µs as hh:mm:ss.ss (UTC). */
export function formatClock(atUs: number): string {
  const centis = Math.floor(atUs / 10_000);
  const cs = centis % 100;
  const totalS = Math.floor(centis / 100);
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600) % 24;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}.${two(cs)}`;
}

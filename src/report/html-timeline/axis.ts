// Axis ticks at 1, 2 or 5 times a power of ten, about one per 80 pixels. The HTML page's script
// (timeline-script.ts) computes the same ticks in the browser for each zoomed view.

/** TICK_SPACING_PX is the rough room one tick label gets. */
export const TICK_SPACING_PX = 80;

/** axisTicks lists the ticks from fromS to toS with their labels. */
export function axisTicks(fromS: number, toS: number, widthPx: number): { t: number; text: string }[] {
  const raw = (toS - fromS) / Math.max(1, widthPx / TICK_SPACING_PX);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const out: { t: number; text: string }[] = [];
  for (let i = Math.ceil(fromS / step - 1e-9); i * step <= toS + 1e-9; i++) {
    const t = Number((i * step).toFixed(decimals));
    const text = t.toFixed(decimals);
    out.push({ t, text: /^-0\.?0*$/.test(text) ? text.slice(1) : text });
  }
  return out;
}

// Progress draws a one-line progress bar on stderr while long work runs, only when stderr is a
// terminal; piped or in CI it stays quiet so that logs are not filled with bar updates. The line
// fits the terminal's width (a line that wraps cannot be redrawn with \r and leaves a stack of
// lines), and says the time so far, the time left, an optional note (the explorer's findings) and
// what runs after the counted work (repro: "drawing charts").

/** ProgressState is everything one drawing of the line shows. */
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  elapsedMs: number;
  /** note is shown after the counts, such as "2 findings"; empty for none. */
  note: string;
  /** phase replaces the bar and the counts once the counted work is over; empty for none. */
  phase: string;
}

/** BAR_MAX_COLUMNS and BAR_MIN_COLUMNS bound the bar's width; below the minimum it is left out. */
const BAR_MAX_COLUMNS = 30;
const BAR_MIN_COLUMNS = 6;

/** clockText shows a duration as m:ss, or h:mm:ss from an hour on. */
export function clockText(ms: number): string {
  const totalS = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = String(totalS % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** etaMs is the time left at the rate so far, or null before the first unit is done. */
export function etaMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0) return null;
  return (elapsedMs / done) * Math.max(0, total - done);
}

/** bar draws done/total in width columns. */
export function bar(done: number, total: number, width: number): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** fit cuts text to at most columns characters, marking a cut with an ellipsis. */
export function fit(text: string, columns: number): string {
  if (columns <= 0) return '';
  return text.length <= columns ? text : `${text.slice(0, columns - 1)}…`;
}

/**
 * progressLine is the line for state in a terminal of `columns` columns. It is at most
 * columns - 1 characters long: writing into the last column wraps in some terminals. The bar
 * takes what room is left after the words, and goes first when there is too little.
 */
export function progressLine(state: ProgressState, columns: number): string {
  const room = Math.max(0, columns - 1);
  const elapsed = clockText(state.elapsedMs);
  const note = state.note === '' ? '' : `  ${state.note}`;
  if (state.phase !== '') return fit(`${state.label}: ${state.phase}  ${elapsed}${note}`, room);
  const pct = state.total > 0 ? Math.floor((Math.min(state.done, state.total) / state.total) * 100) : 0;
  const eta = etaMs(state.done, state.total, state.elapsedMs);
  // The counts are padded to their final width so that the bar does not change width as they grow.
  const counts = `${String(state.done).padStart(String(state.total).length)}/${state.total} ${String(pct).padStart(3)}%  ${elapsed}`;
  const words = `${counts}${eta === null ? '' : ` ETA ${clockText(eta)}`}${note}`;
  // Room is kept for the ETA before there is one, so that the bar keeps its width when it appears.
  const barWidth = Math.min(BAR_MAX_COLUMNS, room - state.label.length - Math.max(words.length, `${counts} ETA 0:00${note}`.length) - 4);
  if (barWidth < BAR_MIN_COLUMNS) return fit(`${state.label} ${words}`, room);
  return `${state.label} ${bar(state.done, state.total, barWidth)} ${words}`;
}

/** progressShown says whether to draw at all: only on a terminal, and not in CI or on a dumb terminal (no \x1b[K). */
export function progressShown(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTTY && env.CI === undefined && env.TERM !== 'dumb';
}

/** REDRAW_MS is the least time between two drawings (20 a second). */
const REDRAW_MS = 50;
/** CLEAR_LINE returns to the start of the line and erases it, whatever the terminal's width. */
const CLEAR_LINE = '\r\x1b[K';

export class Progress {
  private readonly enabled: boolean;
  private readonly startMs: number;
  private lastDrawnMs = -Infinity;
  private done_ = 0;
  private note_ = '';
  private phase_ = '';

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly nowMs: () => number = () => performance.now(),
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.enabled = progressShown(out.isTTY === true, env);
    this.startMs = nowMs();
  }

  /** tick redraws the bar with done units of the total, at most 20 times a second (always at the end). */
  tick(done: number): void {
    this.done_ = done;
    this.draw(done >= this.total);
  }

  /** note sets the words shown after the counts from now on, such as the findings so far. */
  note(text: string): this {
    this.note_ = text;
    this.draw(false);
    return this;
  }

  /** phase says what runs once the counted work is over; drawn at once, since it may block the event loop. */
  phase(name: string): void {
    this.phase_ = name;
    this.draw(true);
  }

  /** done clears the line. */
  done(): void {
    if (this.enabled) this.out.write(CLEAR_LINE);
  }

  private draw(now: boolean): void {
    if (!this.enabled) return;
    const t = this.nowMs();
    if (!now && t - this.lastDrawnMs < REDRAW_MS) return;
    this.lastDrawnMs = t;
    const state: ProgressState = { label: this.label, done: this.done_, total: this.total, elapsedMs: t - this.startMs, note: this.note_, phase: this.phase_ };
    this.out.write(CLEAR_LINE + progressLine(state, this.out.columns ?? 80));
  }
}

/** findingsNote is the explorer's note: the findings so far. */
export function findingsNote(findings: number): string {
  return `${findings} finding${findings === 1 ? '' : 's'}`;
}

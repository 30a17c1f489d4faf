// Progress draws a one-line progress bar on stderr while long work runs, only when stderr is a
// terminal; piped or in CI it stays quiet so that logs are not filled with bar updates.

export class Progress {
  private readonly enabled: boolean;
  private lastDrawnMs = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    stream: NodeJS.WriteStream = process.stderr,
    private readonly out: NodeJS.WriteStream = stream,
  ) {
    this.enabled = stream.isTTY === true && process.env.CI === undefined;
  }

  /** tick redraws the bar at most 20 times a second. */
  tick(done: number, detail = ''): void {
    if (!this.enabled) return;
    const nowMs = performance.now();
    if (done < this.total && nowMs - this.lastDrawnMs < 50) return;
    this.lastDrawnMs = nowMs;
    const width = 28;
    const filled = Math.round((done / this.total) * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.out.write(`\r${this.label} [${bar}] ${done}/${this.total} ${detail}`.padEnd(78) + '\r');
  }

  /** done clears the bar line. */
  done(): void {
    if (this.enabled) this.out.write('\r'.padEnd(79) + '\r');
  }
}

import { createHash, type Hash } from 'node:crypto';

/** CHUNK_CHARS is how much text Trace buffers before feeding the hash, about 64 KB. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Trace is the canonical record of a simulated run, one line `${timeUs - originUs} ${source} ${text}`
 * per entry, and its SHA-256 is the run's fingerprint: two runs of the same scenario and
 * seed must give the same hash. Lines are gathered into chunks and the hash is fed
 * once per ~64 KB, because a full model records about a million lines a second and one
 * hash update per line would cost more than the simulation.
 */
export class Trace {
  private readonly hash: Hash = createHash('sha256');
  private readonly kept: string[] | null;
  private parts: string[] = [];
  private partsChars = 0;
  private count = 0;
  private digest: string | null = null;
  private readonly originUs: number;

  /**
   * The constructor keeps every line in memory only when keepLines is set, for tests and diffs.
   * Times are written relative to originUs (default 0): a run that lives in UNIX time writes
   * short numbers, which makes every line cheaper to build and hash.
   */
  constructor(options?: { keepLines?: boolean; originUs?: number; enabled?: boolean }) {
    this.kept = options?.keepLines === true ? [] : null;
    this.originUs = options?.originUs ?? 0;
    this.enabled = options?.enabled ?? true;
  }

  /**
   * enabled is false for runs whose fingerprint nobody reads (the explorer runs thousands a
   * second and replays a finding with `dbss sim`, which hashes); record then does nothing and
   * callers may skip building the line.
   */
  readonly enabled: boolean;

  /** lineCount is the number of lines recorded so far. */
  get lineCount(): number {
    return this.count;
  }

  /**
   * record appends one line. The source must be one word and the text one line, so that
   * the canonical line can be split back into its parts and two different traces can
   * never produce the same text.
   */
  record(timeUs: number, source: string, text: string): void {
    if (!this.enabled) return;
    if (!Number.isSafeInteger(timeUs)) throw new Error(`Trace.record: timeUs must be an integer, got ${timeUs}`);
    if (source.length === 0 || source.indexOf(' ') !== -1 || source.indexOf('\n') !== -1) {
      throw new Error(`Trace.record: source must be one non-empty word, got ${JSON.stringify(source)}`);
    }
    if (text.indexOf('\n') !== -1) throw new Error(`Trace.record: text must be one line, got ${JSON.stringify(text)}`);
    const line = timeUs - this.originUs + ' ' + source + ' ' + text;
    if (this.kept !== null) this.kept.push(line);
    // Lines are gathered in an array and joined once per chunk: cheaper than growing one string.
    this.parts.push(line);
    this.partsChars += line.length + 1;
    this.count++;
    this.digest = null;
    if (this.partsChars >= CHUNK_CHARS) this.flush();
  }

  /** lines returns a copy of every line recorded; it throws unless the trace was made with keepLines. */
  lines(): string[] {
    if (this.kept === null) throw new Error('Trace.lines: this trace was made without keepLines');
    return this.kept.slice();
  }

  /**
   * sha256 returns the hex SHA-256 of all lines, each ending in "\n". It digests a copy of
   * the running hash, so it may be called at any point, any number of times, and recording
   * may go on afterwards.
   */
  sha256(): string {
    if (!this.enabled) return 'off';
    if (this.digest === null) {
      this.flush();
      this.digest = this.hash.copy().digest('hex');
    }
    return this.digest;
  }

  /** flush feeds the buffered chunk to the hash as UTF-8 and empties it. */
  private flush(): void {
    if (this.parts.length === 0) return;
    this.parts.push('');
    this.hash.update(this.parts.join('\n'), 'utf8');
    this.parts = [];
    this.partsChars = 0;
  }
}

import { createHash, type Hash } from 'node:crypto';

/** CHUNK_CHARS is how much text Trace buffers before feeding the hash, about 64 KB. */
const CHUNK_CHARS = 64 * 1024;

/** RECORD_NUMBERS is how many numbers one numeric record holds: time, source, kind and two values. */
const RECORD_NUMBERS = 5;
/** NUMBERS_PER_CHUNK: numeric records are hashed 64 KB at a time. */
const NUMBERS_PER_CHUNK = 8192 - (8192 % RECORD_NUMBERS);

/**
 * Trace is the canonical record of a simulated run, and its SHA-256 is the run's fingerprint:
 * two runs of the same scenario and seed must give the same hash. It takes two kinds of entry.
 * A text line `${timeUs - originUs} ${source} ${text}` (faults, boots: a few per run) is hashed
 * as its UTF-8 text and a newline. A numeric record (every event a management program handles:
 * about a million a second in a full model) is hashed as five float64 numbers (time, source,
 * kind, two values) in little-endian order, so no string is built per event; its text form is
 * kept only when keepLines asks for lines to read or diff. Both kinds are buffered and fed to
 * the hash about 64 KB at a time, in the order they were recorded.
 */
export class Trace {
  /** hash and numbers exist only for an enabled trace: the explorer makes thousands of disabled ones a second. */
  private readonly hash: Hash | null;
  private readonly kept: string[] | null;
  private parts: string[] = [];
  private readonly numbers: Float64Array;
  private numbersUsed = 0;
  private readonly checkedSources = new Set<string>();
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
    this.hash = this.enabled ? createHash('sha256') : null;
    this.numbers = new Float64Array(this.enabled ? NUMBERS_PER_CHUNK : 0);
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
    // A run has a handful of sources (its servers): each is checked once, not on every line.
    if (!this.checkedSources.has(source)) {
      if (source.length === 0 || source.indexOf(' ') !== -1 || source.indexOf('\n') !== -1) {
        throw new Error(`Trace.record: source must be one non-empty word, got ${JSON.stringify(source)}`);
      }
      this.checkedSources.add(source);
    }
    if (text.indexOf('\n') !== -1) throw new Error(`Trace.record: text must be one line, got ${JSON.stringify(text)}`);
    const line = timeUs - this.originUs + ' ' + source + ' ' + text;
    if (this.kept !== null) this.kept.push(line);
    if (this.numbersUsed > 0) this.flushNumbers();
    // Lines are gathered in an array and joined once per chunk: cheaper than growing one string.
    this.parts.push(line);
    this.partsChars += line.length + 1;
    this.count++;
    this.digest = null;
    if (this.partsChars >= CHUNK_CHARS) this.flushText();
  }

  /** keepsLines tells callers whether a numeric record's text form is wanted (keepLine). */
  get keepsLines(): boolean {
    return this.kept !== null;
  }

  /**
   * recordNumbers appends one numeric record: an event of source (a small integer naming a
   * server) of a given kind with two values. Callers that keep lines pass its text to keepLine.
   */
  recordNumbers(timeUs: number, source: number, kind: number, a: number, b: number): void {
    if (!this.enabled) return;
    if (this.parts.length > 0) this.flushText();
    const n = this.numbers;
    let i = this.numbersUsed;
    n[i++] = timeUs - this.originUs;
    n[i++] = source;
    n[i++] = kind;
    n[i++] = a;
    n[i++] = b;
    this.numbersUsed = i;
    this.count++;
    this.digest = null;
    if (i === NUMBERS_PER_CHUNK) this.flushNumbers();
  }

  /** keepLine keeps the text form of the numeric record just made, when lines are kept (not hashed). */
  keepLine(timeUs: number, source: string, text: string): void {
    this.kept?.push(`${timeUs - this.originUs} ${source} ${text}`);
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
      this.digest = (this.hash as Hash).copy().digest('hex');
    }
    return this.digest;
  }

  /** flush feeds whatever is buffered to the hash (only one kind is ever buffered at a time). */
  private flush(): void {
    this.flushText();
    this.flushNumbers();
  }

  /** flushText feeds the buffered text lines to the hash as UTF-8 and empties the buffer. */
  private flushText(): void {
    if (this.parts.length === 0) return;
    this.parts.push('');
    (this.hash as Hash).update(this.parts.join('\n'), 'utf8');
    this.parts = [];
    this.partsChars = 0;
  }

  /** flushNumbers feeds the buffered numeric records to the hash (float64, little-endian on every supported CPU). */
  private flushNumbers(): void {
    if (this.numbersUsed === 0) return;
    (this.hash as Hash).update(new Uint8Array(this.numbers.buffer, 0, this.numbersUsed * 8));
    this.numbersUsed = 0;
  }
}

// The agent's replay windows on disk: stateDir/replay-window.json, beside the management files.
// The SEM receiver's position in each sender's stream and the nonces of the resync asks and load
// requests it answered are saved there before a record is applied or a request answered
// (write-ahead.ts), atomically (atomic-file.ts), and read back at start, so that a record refused
// as a replay while the agent ran is still refused after it restarts (issue 15).
//
// No file means a first start: the windows start empty. A file that cannot be read back whole is
// not guessed at and not replaced: the agent refuses to start with one line naming the file,
// since starting with an empty window would accept again every record of the peers' current
// incarnations. An operator who accepts that removes the file.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/model/input-error.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { type Checked, type LoadWindow, type SemWindow, checkLoadWindow, checkSemWindow } from '../drivers/net/replay-state.ts';
import type { Persisted } from '../drivers/net/write-ahead.ts';

/** REPLAY_WINDOW_FILE is the file's name in the state directory. */
export const REPLAY_WINDOW_FILE = 'replay-window.json';
/** FORMAT names the file's layout, so that a later layout is never misread as this one. */
const FORMAT = 'dbss-replay-window-1';
/** MAX_BYTES bounds the file read: two windows of at most 4,096 nonces and one entry per server. */
const MAX_BYTES = 4 * 1024 * 1024;

interface Parts {
  sem: SemWindow;
  load: LoadWindow;
}

export class ReplayWindowFile {
  private readonly texts: { sem: string; load: string };
  private written: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly restored: Parts | null,
  ) {
    const parts = restored ?? { sem: { senders: {}, asks: [] }, load: { requests: [] } };
    this.texts = { sem: JSON.stringify(parts.sem), load: JSON.stringify(parts.load) };
  }

  /** open reads the windows saved in dir, or starts empty ones when there is no file; a file that does not read back whole is an InputError. */
  static async open(dir: string): Promise<ReplayWindowFile> {
    const path = join(dir, REPLAY_WINDOW_FILE);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw new InputError(path, null, 'replay window', 'a file the agent can read', error.code ?? error.message);
    });
    if (info === null) return new ReplayWindowFile(path, null);
    if (!info.isFile()) throw new InputError(path, null, 'replay window', 'a regular file', 'not a regular file');
    if (info.size > MAX_BYTES) throw new InputError(path, null, 'replay window', `at most ${MAX_BYTES} bytes`, `${info.size} bytes`);
    return new ReplayWindowFile(path, parse(path, await readFile(path, 'utf8')));
  }

  /** sem is the SEM transport's window: restored from the file, saved into it. */
  sem(failed: (error: Error) => void): Persisted<SemWindow> {
    return { restored: this.restored?.sem ?? null, save: (state) => this.save('sem', state), failed };
  }

  /** load is the load requests' window: restored from the file, saved into it. */
  load(failed: (error: Error) => void): Persisted<LoadWindow> {
    return { restored: this.restored?.load ?? null, save: (state) => this.save('load', state), failed };
  }

  /**
   * save writes the file with part's new state and the other part's latest. Writes go one after
   * another, each with the latest of both parts, so the file never goes back to an older window;
   * a state already written or on its way resolves with that write.
   */
  private save(part: keyof Parts, state: SemWindow | LoadWindow): Promise<void> {
    const text = JSON.stringify(state);
    if (text === this.texts[part]) return this.written;
    this.texts[part] = text;
    this.written = this.written
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.path, `{"format":"${FORMAT}","sem":${this.texts.sem},"load":${this.texts.load}}\n`, { mode: 0o600 }));
    return this.written;
  }
}

/** parse reads the file's text back, or throws an InputError naming what is wrong. */
function parse(path: string, text: string): Parts {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(path, null, 'replay window', 'the JSON the agent writes; remove the file to start with an empty window, which accepts again records sent before this restart', 'not JSON');
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (o.format !== FORMAT) throw new InputError(path, null, 'format', `"${FORMAT}"`, String(o.format));
  const sem = checked(path, 'sem', checkSemWindow(o.sem));
  const load = checked(path, 'load', checkLoadWindow(o.load));
  return { sem, load };
}

function checked<T>(path: string, part: string, c: Checked<T>): T {
  if (!c.ok) throw new InputError(path, null, `${part}.${c.field}`, c.expected);
  return c.value;
}

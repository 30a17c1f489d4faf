// The agent's system log (Sec. 5.2, Fig. 14): every `log` command of the management program in
// the paper's vocabulary, plus the agent's own events (a refused SEM record, a failed command,
// the clock losing chrony), each as one JSON line in the log file and as one plain text line on
// stdout. Lines are written synchronously, one write each, so a SIGKILL loses none that returned.
import { closeSync, openSync, readSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/model/input-error.ts';
import { renderLogEvent } from '../core/program/log-events.ts';
import type { LogEvent } from '../core/program/log-events.ts';

/** LogRecord is one JSON line. kind "system" lines are the paper's; "agent" lines are ours. */
export interface LogRecord {
  atUs: number;
  at: string;
  server: string;
  kind: 'system' | 'agent';
  /** text is the plain line after the time and server, e.g. "IPR_network_is_problem FTP 198.18.0.2". */
  text: string;
  /** event names the line's kind: a system log event (ipIsNormal, ...) or an agent event (semRefused, commandFailed, clock, ...). */
  event?: string;
  [field: string]: unknown;
}

/** LogSink receives each record; the file writer below, or an array in tests. */
export type LogSink = (record: LogRecord) => void;

/** AgentLog stamps records with the time and server and hands them to its sinks. */
export class AgentLog {
  constructor(
    private readonly server: string,
    private readonly nowUs: () => number,
    private readonly sinks: readonly LogSink[],
  ) {}

  /**
   * system writes a line of the paper's system log (a `log` command of the program): its fields
   * as data (event, target, ...) and its rendered text, the line a person reads.
   */
  system(entry: LogEvent, atUs = this.nowUs()): void {
    const { type: _command, ...fields } = entry as LogEvent & { type?: 'log' };
    this.emit({ ...fields, atUs, at: isoTime(atUs), server: this.server, kind: 'system', text: renderLogEvent(entry) });
  }

  /** agent writes one of the agent's own events; text is its plain form, fields its details. */
  agent(event: string, text: string, fields: Record<string, unknown> = {}): void {
    const atUs = this.nowUs();
    this.emit({ ...fields, atUs, at: isoTime(atUs), server: this.server, kind: 'agent', event, text });
  }

  private emit(record: LogRecord): void {
    for (const sink of this.sinks) {
      try {
        sink(record);
      } catch {
        // A full disk must not stop the management program; stdout still carries the line.
      }
    }
  }
}

/** isoTime renders µs since the epoch as an ISO 8601 UTC time with microseconds. */
export function isoTime(atUs: number): string {
  const ms = Math.floor(atUs / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(atUs % 1000).padStart(3, '0')}Z`;
}

/** plainLine is the human form: "2021-06-03 13:43:12.26 Mail IPR_network_is_problem FTP 172.21.14.2" (Fig. 14's clock). */
export function plainLine(record: LogRecord): string {
  const iso = new Date(Math.floor(record.atUs / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 22)} ${record.server} ${record.text}`;
}

/**
 * jsonLinesFile appends each record to path as one JSON line. The file is created in a directory
 * that must exist already (the service creates /var/log/dbss; a missing one is more likely a
 * typo than a wish). A path that is not a regular file (a directory, a FIFO that would block the
 * open), or that cannot be opened for appending, is an InputError naming it, so `dbss agent`
 * refuses to start with one line and exit status 2 instead of failing later.
 */
export function jsonLinesFile(path: string): { sink: LogSink; close: () => void } {
  const fd = openLogFile(path);
  return {
    sink: (record) => {
      // A short write (a full disk, a signal) is carried on from where it stopped, so the agent
      // itself never leaves a record cut in the middle.
      const line = Buffer.from(`${JSON.stringify(record)}\n`);
      for (let written = 0; written < line.length; ) written += writeSync(fd, line, written);
    },
    close: () => closeSync(fd),
  };
}

function openLogFile(path: string): number {
  const refuse = (error: unknown): InputError => {
    const code = (error as NodeJS.ErrnoException).code;
    const [expected, got] =
      code === 'ENOENT' ? ['a file in an existing directory', `no directory ${dirname(path)}`]
      : code === 'ENOTDIR' ? ['a file in an existing directory', `${dirname(path)} is not a directory`]
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? ['a file the agent may write', `${code}: not writable`]
      : ['a file the agent can append to', code ?? (error as Error).message];
    return new InputError(path, null, 'logFile', expected, got);
  };
  let info: Stats | undefined;
  try {
    info = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw refuse(error);
  }
  if (info !== undefined && !info.isFile()) throw new InputError(path, null, 'logFile', 'a regular file to append to', info.isDirectory() ? 'a directory' : 'not a regular file');
  try {
    const fd = openSync(path, 'a+', 0o640);
    endLastLine(fd, info?.size ?? 0);
    return fd;
  } catch (error) {
    throw refuse(error);
  }
}

/** endLastLine ends a line a power-off cut in the middle, so the new boot's first record stands on a line of its own. */
function endLastLine(fd: number, sizeBytes: number): void {
  if (sizeBytes === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, sizeBytes - 1);
  if (last[0] !== 0x0a) writeSync(fd, '\n');
}

/** stdoutSink writes the plain line to stdout. */
export const stdoutSink: LogSink = (record) => {
  process.stdout.write(`${plainLine(record)}\n`);
};

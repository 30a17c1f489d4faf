// The agent's lines on stdout, for the person or journald that reads them. Under systemd, stdout
// is journald's stream: journald stamps each line itself and reads an sd-daemon priority prefix
// (`<3>` err, `<4>` warning, `<6>` info, `<7>` debug, sd-daemon(3)), so the journal format writes
// the prefix and no time of its own, which journald would otherwise show twice. The plain format
// keeps Fig. 14's clock for a terminal; the JSON format is one object a line for a collector.
// The log file (agent-log.ts jsonLinesFile) is not touched by any of this: it keeps every line.
import { fstatSync } from 'node:fs';
import type { LogRecord, LogSink } from './agent-log.ts';
import { plainLine } from './agent-log.ts';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './ops-config.ts';

/** PRIORITY is each level's sd-daemon number. */
const PRIORITY: Record<LogLevel, number> = { err: 3, warning: 4, info: 6, debug: 7 };

/** ERR_EVENTS are the agent's events that mean it cannot do its work as it should. */
const ERR_EVENTS = new Set(['programError', 'fileWriteFailed', 'replayWindowWriteFailed', 'filesUnreadable', 'statusSocketFailed', 'metricsFailed', 'reloadFailed']);
/** WARNING_EVENTS are failures and refusals the protocol copes with, and the paper's problem lines. */
const WARNING_EVENTS = new Set([
  'commandFailed', 'semRefused', 'loadRefused', 'refusalsNotLogged', 'semGap', 'versionsIgnored', 'watchIgnored', 'staleTemps', 'notifyFailed',
  'internalProblem', 'networkProblemDetected', 'serviceProblemDetected', 'networkProblemConfirmed', 'serviceProblemConfirmed',
  'virtualServerFailed', 'noHostForVirtualServer', 'virtualIpBackFailed', 'startForcibly',
]);
/** DEBUG_EVENTS are the routine lines of every tick: a target found normal, a wait, a check under way. */
const DEBUG_EVENTS = new Set(['ipIsNormal', 'wait', 'checkVirtualServer', 'restartCheck', 'waitJobResult']);

/** levelOf is a record's severity: by its event, and a clock that lost chrony is a warning. */
export function levelOf(record: LogRecord): LogLevel {
  const event = record.event ?? '';
  if (ERR_EVENTS.has(event)) return 'err';
  if (WARNING_EVENTS.has(event) || (event === 'clock' && record.ok === false)) return 'warning';
  if (DEBUG_EVENTS.has(event)) return 'debug';
  return 'info';
}

/**
 * journalLine is `<6>Mail IPR_is_normal FTP 198.18.0.2`: the priority, the server and the text, no
 * time (journald adds its own). A line break inside the text (an error message) becomes a space,
 * since journald would read the rest as a line of its own with the default priority.
 */
export function journalLine(record: LogRecord): string {
  return `<${PRIORITY[levelOf(record)]}>${record.server} ${record.text.replace(/\s*\n\s*/g, ' ')}`;
}

/** jsonLine is the record as one JSON object with its level, the same fields as the log file. */
export function jsonLine(record: LogRecord): string {
  return JSON.stringify({ ...record, level: levelOf(record) });
}

/**
 * stdoutIsJournal tells whether stdout is journald's stream: systemd sets JOURNAL_STREAM to the
 * stream's "device:inode", and a process whose stdout was redirected elsewhere must compare
 * them (systemd.exec(5)), since the variable is inherited by its children.
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 1): boolean {
  const stream = env.JOURNAL_STREAM;
  if (stream === undefined || !/^\d+:\d+$/.test(stream)) return false;
  try {
    const info = fstatSync(fd, { bigint: true });
    return stream === `${info.dev}:${info.ino}`;
  } catch {
    return false;
  }
}

/** ConsoleSettings can change while the agent runs (SIGHUP): the sink reads them at every line. */
export interface ConsoleSettings {
  format: LogFormat;
  level: LogLevel;
}

/**
 * consoleSink writes each record at or above the level to write (stdout by default) in the
 * settings' format; auto is resolved once, at start, from JOURNAL_STREAM.
 */
export function consoleSink(settings: ConsoleSettings, write: (line: string) => void = (line) => void process.stdout.write(line), journal = stdoutIsJournal()): LogSink {
  return (record) => {
    if (LOG_LEVELS.indexOf(levelOf(record)) < LOG_LEVELS.indexOf(settings.level)) return;
    const format = settings.format === 'auto' ? (journal ? 'journal' : 'plain') : settings.format;
    const line = format === 'journal' ? journalLine(record) : format === 'json' ? jsonLine(record) : plainLine(record);
    write(`${line}\n`);
  };
}

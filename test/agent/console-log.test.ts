// Stdout's lines for journald and for scripts (console-log.ts): priority prefixes without times,
// JSON with a level, a level filter, and journald recognised only when stdout is its stream.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AgentLog } from '../../src/agent/agent-log.ts';
import { consoleSink, stdoutIsJournal, type ConsoleSettings } from '../../src/agent/console-log.ts';

const AT_US = Date.UTC(2021, 5, 3, 13, 43, 12, 260) * 1000;

/** logged writes the same five lines through a console sink with the settings and returns what reached stdout. */
function logged(settings: ConsoleSettings, journal = false): string[] {
  const out: string[] = [];
  const log = new AgentLog('Mail', () => AT_US, [consoleSink(settings, (line) => void out.push(line), journal)]);
  log.system({ event: 'ipIsNormal', target: 'FTP', address: '198.18.0.2' });
  log.system({ event: 'networkProblemDetected', target: 'FTP', address: '198.18.0.2' });
  log.system({ event: 'virtualIpSet', target: 'FTP', vip: '198.18.0.12', virtualServer: 'FTPb', host: 'Web2' });
  log.agent('commandFailed', 'Command_failed setVip ssh: exit status 255\nPermission denied', { command: 'setVip' });
  log.agent('programError', 'Program_error unexpected state');
  return out;
}

describe('console log', () => {
  test('the journal format prefixes each line with its sd-daemon priority and writes no time, one line per record', () => {
    expect(logged({ format: 'journal', level: 'debug' })).toEqual([
      '<7>Mail IPR_is_normal FTP 198.18.0.2\n',
      '<4>Mail IPR_network_is_problem FTP 198.18.0.2\n',
      '<6>Mail Virtual_IP:_VIP_(IPV) FTP 198.18.0.12 FTPb@Web2\n',
      '<4>Mail Command_failed setVip ssh: exit status 255 Permission denied\n',
      '<3>Mail Program_error unexpected state\n',
    ]);
  });

  test('auto is journal when stdout is journald and plain lines with the clock of Fig. 14 when it is not', () => {
    expect(logged({ format: 'auto', level: 'info' }, true)[0]).toBe('<4>Mail IPR_network_is_problem FTP 198.18.0.2\n');
    expect(logged({ format: 'auto', level: 'info' }, false)[0]).toBe('2021-06-03 13:43:12.26 Mail IPR_network_is_problem FTP 198.18.0.2\n');
  });

  test('the json format is one object a line with the level and the same fields as the log file', () => {
    const lines = logged({ format: 'json', level: 'warning' }).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.level)).toEqual(['warning', 'warning', 'err']);
    expect(lines[0]).toMatchObject({ event: 'networkProblemDetected', target: 'FTP', address: '198.18.0.2', server: 'Mail', kind: 'system', atUs: AT_US });
  });

  test('the level drops less severe lines from stdout: err keeps only the program error', () => {
    expect(logged({ format: 'journal', level: 'err' })).toEqual(['<3>Mail Program_error unexpected state\n']);
  });

  test("JOURNAL_STREAM counts only when it names stdout's own device and inode, since children inherit it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dbss-journal-'));
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      const info = fstatSync(fd, { bigint: true });
      expect(stdoutIsJournal({ JOURNAL_STREAM: `${info.dev}:${info.ino}` }, fd)).toBe(true);
      expect(stdoutIsJournal({ JOURNAL_STREAM: `${info.dev}:${info.ino + 1n}` }, fd)).toBe(false);
      expect(stdoutIsJournal({ JOURNAL_STREAM: 'x:y' }, fd)).toBe(false);
      expect(stdoutIsJournal({}, fd)).toBe(false);
    } finally {
      closeSync(fd);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// An agent log file that cannot be appended to is refused at start with one line naming it and
// exit status 2 (issue 15: a directory as logFile was an EISDIR internal error).
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { formatManagementData } from '../../src/core/model/management-data.ts';
import { jsonLinesFile } from '../../src/agent/agent-log.ts';
import { PAPER } from './fake-world.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-log-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a log file that is a directory, in a missing directory or under a file is refused with its path and the reason', async () => {
  await mkdir(join(dir, 'logs.jsonl'));
  await writeFile(join(dir, 'plain'), '');

  expect(() => jsonLinesFile(join(dir, 'logs.jsonl'))).toThrow(`${dir}/logs.jsonl: logFile: expected a regular file to append to, got "a directory"`);
  expect(() => jsonLinesFile(join(dir, 'missing', 'agent.jsonl'))).toThrow(`${dir}/missing/agent.jsonl: logFile: expected a file in an existing directory, got "no directory ${dir}/missing"`);
  expect(() => jsonLinesFile(join(dir, 'plain', 'agent.jsonl'))).toThrow(`${dir}/plain/agent.jsonl: logFile: expected a file in an existing directory, got "${dir}/plain is not a directory"`);
});

test('a log file in an existing directory is created and appended to, one JSON line per record', async () => {
  const path = join(dir, 'agent.jsonl');
  const file = jsonLinesFile(path);
  file.sink({ atUs: 1, at: 'x', server: 'Mail', kind: 'agent', text: 'one' });
  file.close();
  expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ text: 'one' });
});

test('a last line cut by a power-off is ended before the next boot appends, so every later record stands on a line of its own', async () => {
  const path = join(dir, 'agent.jsonl');
  await writeFile(path, '{"atUs":1,"text":"whole"}\n{"atUs":2,"te');
  const file = jsonLinesFile(path);
  file.sink({ atUs: 3, at: 'x', server: 'Mail', kind: 'agent', text: 'next boot' });
  file.close();

  const lines = (await readFile(path, 'utf8')).split('\n');
  expect(lines).toEqual(['{"atUs":1,"text":"whole"}', '{"atUs":2,"te', expect.stringContaining('"text":"next boot"'), '']);
  expect(JSON.parse(lines[2]!)).toMatchObject({ atUs: 3, text: 'next boot' });
});

test('`dbss agent` with a directory as logFile exits 2 with one line naming the file, before it opens any port', async () => {
  const cfg = join(dir, 'cfg');
  await mkdir(join(cfg, 'log-dir'), { recursive: true });
  const [mail, ftp] = PAPER;
  await writeFile(join(cfg, 'ring.txt'), 'Mail\nFTP\n');
  await writeFile(join(cfg, 'Mail.dat'), formatManagementData(mail!));
  await writeFile(join(cfg, 'FTP.dat'), formatManagementData(ftp!));
  await writeFile(join(cfg, 'sem.key'), 'kd'.repeat(32));
  await writeFile(
    join(cfg, 'agent.yaml'),
    `server: Mail
stateDir: ${cfg}/state
logFile: ${cfg}/log-dir
sem: { port: 7400, keyFile: ${cfg}/sem.key }
servers:
  Mail: { management: 198.18.1.1 }
  FTP: { management: 198.18.1.2 }
ssh: { keyFile: ${cfg}/sem.key, knownHosts: ${cfg}/sem.key }
wol: { broadcast: 198.18.1.255 }
internal: { gateway: 198.18.0.254 }
`,
  );

  const run = spawnSync(process.execPath, ['bin/dbss.js', 'agent', '--config', cfg], { encoding: 'utf8', timeout: 30_000 });

  expect(run.stderr.trim().split('\n')).toEqual([`error: ${cfg}/log-dir: logFile: expected a regular file to append to, got "a directory"`]);
  expect(run.status).toBe(2);
});

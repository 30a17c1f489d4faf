// deploy/dbss-agent.service passes `systemd-analyze verify` (issue 13): verify insists that
// ExecStart's (and ExecStartPre's) program exists and is executable, so a copy of the unit is verified with them
// pointed at this checkout's bin/dbss.js, where `npm install -g` links /usr/local/bin/dbss to.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const UNIT = readFileSync('deploy/dbss-agent.service', 'utf8');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const INSTALLED = '/usr/local/bin/dbss';

test.skipIf(!existsSync(SYSTEMD_ANALYZE))('systemd-analyze verify accepts the unit with ExecStart at the checkout (skipped only where systemd-analyze is not installed)', async () => {
  // Arrange
  const dir = await mkdtemp(join(tmpdir(), 'dbss-unit-'));
  const copy = join(dir, 'dbss-agent.service');
  expect(UNIT).toContain(`ExecStart=${INSTALLED} agent --config /etc/dbss\n`);
  expect(UNIT).toContain(`ExecStartPre=${INSTALLED} agent check --config /etc/dbss --no-chrony\n`);
  await writeFile(copy, UNIT.replaceAll(`=${INSTALLED} `, `=${resolve('bin/dbss.js')} `));
  try {
    // Act
    const { stdout, stderr } = await run(SYSTEMD_ANALYZE, ['verify', copy]);
    // Assert: no complaint at all, not only a zero status.
    expect(stdout).toBe('');
    expect(stderr).toBe('');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the unit is Type=notify with a watchdog, lets systemd-notify speak for the agent and documents a file the package installs', () => {
  expect(UNIT).toMatch(/^Type=notify$/m);
  expect(UNIT).toMatch(/^NotifyAccess=all$/m);
  expect(UNIT).toMatch(/^WatchdogSec=\d+$/m);
  expect(UNIT).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  const doc = /^Documentation=file:\/usr\/local\/lib\/node_modules\/dbss\/(.+)$/m.exec(UNIT)?.[1];
  expect(doc).toBe('docs/running.md');
  expect(existsSync(doc as string)).toBe(true);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; files?: string[] };
  expect(pkg.bin.dbss).toBe('bin/dbss.js');
  expect(pkg.files).toBeUndefined(); // the whole package, docs/ included, is installed
});

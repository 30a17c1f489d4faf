import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Executor, type ExecutorEvent } from '../../src/drivers/executor.ts';

/** program is a stand-in management program: it appends "start <pid>" to a log, and "stop" on SIGTERM unless told to ignore it. */
function program(log: string, opts: { ignoreTerm?: boolean; exitAfterMs?: number } = {}): string[] {
  return [
    '-e',
    `const fs = require('node:fs');
     process.on('SIGTERM', () => { ${opts.ignoreTerm === true ? '' : `fs.appendFileSync(${JSON.stringify(log)}, 'stop\\n'); process.exit(0);`} });
     fs.appendFileSync(${JSON.stringify(log)}, 'start ' + process.pid + '\\n');
     ${opts.exitAfterMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(3), ${opts.exitAfterMs});`}`,
  ];
}

describe('the executor system (Sec. 3.2)', () => {
  let dir: string;
  let flag: string;
  let log: string;
  let executor: Executor | null = null;
  const events: ExecutorEvent[] = [];
  const lines = async (): Promise<string[]> => (existsSync(log) ? (await readFile(log, 'utf8')).split('\n').filter(Boolean) : []);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbss-executor-'));
    flag = join(dir, 'flag');
    log = join(dir, 'program.log');
    events.length = 0;
  });
  afterEach(async () => {
    await executor?.stop();
    executor = null;
    await rm(dir, { recursive: true, force: true });
  });

  const make = (args: string[], extra: { watch?: boolean; stopTimeoutMs?: number; pollIntervalMs?: number } = {}): Executor =>
    new Executor({ flagPath: flag, program: process.execPath, args, pollIntervalMs: extra.pollIntervalMs ?? 100, onEvent: (e) => events.push(e), ...extra });

  it('starts the management program when the flag file appears and terminates it when the flag is deleted', async () => {
    executor = make(program(log));
    await executor.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(executor.running).toBe(false);

    await writeFile(flag, '');
    await expect.poll(async () => (await lines()).length).toBe(1);
    expect(executor.running).toBe(true);
    expect((await lines())[0]).toBe(`start ${executor.pid}`);

    await unlink(flag);
    await expect.poll(() => executor?.running).toBe(false);
    expect(await lines()).toEqual([expect.stringMatching(/^start \d+$/), 'stop']);
    expect(events.map((e) => e.type)).toEqual(['started', 'stopping', 'exited']);
    expect(events[2]).toMatchObject({ requested: true, code: 0 });
  });

  it('starts the program at once when the flag is already there', async () => {
    await writeFile(flag, '');
    executor = make(program(log));

    await executor.start();

    expect(executor.running).toBe(true);
  });

  it('finds the flag with the periodic check alone when fs.watch is off', async () => {
    executor = make(program(log), { watch: false, pollIntervalMs: 100 });
    await executor.start();

    await writeFile(flag, '');
    await expect.poll(() => executor?.running).toBe(true);
    await unlink(flag);
    await expect.poll(() => executor?.running).toBe(false);
  });

  it('kills a program that ignores SIGTERM after the stop timeout', async () => {
    await writeFile(flag, '');
    executor = make(program(log, { ignoreTerm: true }), { stopTimeoutMs: 300 });
    await executor.start();
    await expect.poll(async () => (await lines()).length).toBe(1);

    await unlink(flag);

    await expect.poll(() => executor?.running).toBe(false);
    expect(events.filter((e) => e.type === 'stopping').map((e) => (e as { signal: string }).signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(events.at(-1)).toMatchObject({ type: 'exited', signal: 'SIGKILL', requested: true });
  });

  it('does not restart a program that ended itself until the flag is created again', async () => {
    await writeFile(flag, '');
    executor = make(program(log, { exitAfterMs: 50 }));
    await executor.start();
    await expect.poll(() => events.some((e) => e.type === 'exited')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await lines()).length).toBe(1);
    expect(events.find((e) => e.type === 'exited')).toMatchObject({ code: 3, requested: false });

    await unlink(flag);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writeFile(flag, '');

    await expect.poll(async () => (await lines()).length).toBe(2);
  });

  it('refuses a flag path or program that is not plain', () => {
    expect(() => new Executor({ flagPath: 'flag', program: 'node', args: [] })).toThrow(/invalid flag file path/);
    expect(() => new Executor({ flagPath: join(dir, 'flag'), program: 'node; id', args: [] })).toThrow(/invalid program/);
    expect(() => new Executor({ flagPath: join(dir, 'flag'), program: '-e', args: [] })).toThrow(/invalid program/);
  });
});

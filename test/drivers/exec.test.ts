import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecError, runProgram, runProgramStatus } from '../../src/drivers/exec.ts';
import { type FakeBin, makeFakeBin } from './helpers/fake-bin.ts';

describe('runProgram', () => {
  let bin: FakeBin;
  beforeEach(async () => {
    bin = await makeFakeBin();
  });
  afterEach(async () => {
    await bin.cleanup();
  });

  it('passes each argument to the program as one word, shell syntax included', async () => {
    await bin.add('echoargs', '#!/bin/sh\nfor a in "$@"; do printf "<%s>\\n" "$a"; done\n');

    const { stdout } = await runProgram('echoargs', ['a b', '$(touch pwned)', "it's; rm -rf x"], { timeoutMs: 5000, env: bin.env });

    expect(stdout).toBe("<a b>\n<$(touch pwned)>\n<it's; rm -rf x>\n");
  });

  it('returns a non-zero exit status from runProgramStatus instead of throwing', async () => {
    await bin.add('fails', '#!/bin/sh\necho oops >&2\nexit 3\n');

    const result = await runProgramStatus('fails', [], { timeoutMs: 5000, env: bin.env });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe('oops\n');
  });

  it('throws an error naming the program, its arguments and its stderr on a non-zero status', async () => {
    await bin.add('fails', '#!/bin/sh\necho "domain not found" >&2\nexit 1\n');

    const error = await runProgram('fails', ['domstate', 'FTPb'], { timeoutMs: 5000, env: bin.env }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecError);
    const execError = error as ExecError;
    expect(execError.failure).toBe('exit');
    expect(execError.exitCode).toBe(1);
    expect(execError.message).toBe('fails domstate FTPb: exit status 1: domain not found');
  });

  it('keeps an error one line when the program says several lines on stderr', async () => {
    await bin.add('fails', '#!/bin/sh\necho "error: failed to connect to the hypervisor" >&2\necho "error: no socket" >&2\nexit 1\n');

    const error = await runProgram('fails', ['domstate', 'FTPb'], { timeoutMs: 5000, env: bin.env }).catch((e: unknown) => e);

    expect((error as ExecError).message).toBe('fails domstate FTPb: exit status 1: error: failed to connect to the hypervisor; error: no socket');
    expect((error as ExecError).stderr).toBe('error: failed to connect to the hypervisor\nerror: no socket\n');
  });

  it('says clearly that a program is not installed', async () => {
    const error = await runProgram('dbss-no-such-program', [], { timeoutMs: 5000, env: bin.env }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).failure).toBe('missing');
    expect((error as ExecError).message).toMatch(/dbss-no-such-program is not installed/);
  });

  it('kills a program that runs past its timeout', async () => {
    await bin.add('hangs', '#!/bin/sh\nexec sleep 30\n');
    const started = Date.now();

    const error = await runProgram('hangs', [], { timeoutMs: 200, env: bin.env }).catch((e: unknown) => e);

    expect((error as ExecError).failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops a program when the caller aborts', async () => {
    await bin.add('hangs', '#!/bin/sh\nexec sleep 30\n');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const error = await runProgram('hangs', [], { timeoutMs: 10_000, signal: controller.signal, env: bin.env }).catch((e: unknown) => e);

    expect((error as ExecError).failure).toBe('aborted');
  });

  it('refuses a call without a positive timeout', async () => {
    await expect(runProgram('true', [], { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    await expect(runProgram('true', [], { timeoutMs: Number.POSITIVE_INFINITY })).rejects.toThrow(/timeoutMs/);
  });
});

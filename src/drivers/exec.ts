// The one way the drivers run an external program: execFile with an argument array, a timeout
// and an AbortSignal (docs/architecture.md "Safety of the real side"). No shell is ever involved, so a
// value can only ever be one argument; validation of the values stays with each driver.
import { execFile } from 'node:child_process';

/** CallOptions is what every external call of a driver takes: a deadline and a way to cancel. */
export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** ExecOptions adds the environment, so tests can put fake programs first in PATH. */
export interface ExecOptions extends CallOptions {
  env?: NodeJS.ProcessEnv;
}

/** ExecResult is what a finished program printed and its exit status. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * ExecFailure says why a program did not give a result: it is not installed, it ran past its
 * timeout, the caller aborted it, it exited with a non-zero status, or it could not be started.
 */
export type ExecFailure = 'missing' | 'timeout' | 'aborted' | 'exit' | 'spawn';

/**
 * ExecError carries the program, its arguments and its stderr, so that a log line says exactly
 * what was run and what it answered without anyone re-running it by hand.
 */
export class ExecError extends Error {
  override readonly name = 'ExecError';
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly failure: ExecFailure,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    detail: string,
  ) {
    super(`${program} ${args.join(' ')}: ${detail}${oneLine(stderr) === '' ? '' : `: ${oneLine(stderr)}`}`);
  }
}

/**
 * oneLine joins a program's output lines with "; " so that an error built from it stays one log
 * line (virsh, for one, says "failed to connect" and the socket's error on two lines).
 */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('; ');
}

/** MAX_OUTPUT_BYTES bounds what a program may print; every program the drivers run prints little. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * runProgramStatus runs program with args and returns its output and exit status, also when the
 * status is not zero (ping, arping -D and chronyc answer through their status). It throws an
 * ExecError when there is no status to return: missing program, timeout, abort, spawn failure.
 */
export async function runProgramStatus(program: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  assertCallOptions(opts);
  if (program === '' || program.includes('\0')) throw new TypeError(`invalid program name ${JSON.stringify(program)}`);
  for (const arg of args) {
    if (arg.includes('\0')) throw new TypeError(`argument of ${program} contains a NUL byte`);
  }
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted === true) {
      reject(new ExecError(program, args, 'aborted', null, '', '', 'aborted before start'));
      return;
    }
    let timedOut = false;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    execFile(
      program,
      [...args],
      {
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT_BYTES,
        signal: controller.signal,
        killSignal: 'SIGKILL',
        windowsHide: true,
        ...(opts.env === undefined ? {} : { env: opts.env }),
      },
      (error, stdout, stderr) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (error === null) {
          resolve({ stdout, stderr, exitCode: 0 });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code as unknown;
        if (timedOut) {
          reject(new ExecError(program, args, 'timeout', null, stdout, stderr, `no answer within ${opts.timeoutMs} ms`));
        } else if (error.name === 'AbortError') {
          reject(new ExecError(program, args, 'aborted', null, stdout, stderr, 'aborted'));
        } else if (code === 'ENOENT') {
          reject(new ExecError(program, args, 'missing', null, '', '', `${program} is not installed (not found in PATH)`));
        } else if (typeof code === 'number') {
          resolve({ stdout, stderr, exitCode: code });
        } else if (error.signal) {
          reject(new ExecError(program, args, 'exit', null, stdout, stderr, `killed by ${error.signal}`));
        } else {
          reject(new ExecError(program, args, 'spawn', null, stdout, stderr, `could not run: ${String(code ?? error.message)}`));
        }
      },
    );
  });
}

/** runProgram is runProgramStatus for programs whose non-zero exit status is an error. */
export async function runProgram(program: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const result = await runProgramStatus(program, args, opts);
  if (result.exitCode !== 0) {
    throw new ExecError(program, args, 'exit', result.exitCode, result.stdout, result.stderr, `exit status ${result.exitCode}`);
  }
  return result;
}

/** assertCallOptions refuses a missing, zero, negative or infinite timeout: every call must end. */
export function assertCallOptions(opts: CallOptions): void {
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be a positive finite number, got ${opts.timeoutMs}`);
  }
}

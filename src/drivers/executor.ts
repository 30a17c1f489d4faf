// The executor system (Sec. 3.2, Fig. 7(a)): the file management server creates and deletes a
// flag file on each management server; the executor starts the management program when the
// flag appears and terminates it when the flag disappears. It watches with fs.watch for speed
// and also stats the flag periodically, because fs.watch can miss events (network filesystems,
// a directory replaced under it) and the executor must never miss one for good.
import { type ChildProcess, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { assertSafeAbsolutePath } from './paths.ts';

export type ExecutorEvent =
  | { type: 'started'; pid: number }
  | { type: 'stopping'; pid: number; signal: 'SIGTERM' | 'SIGKILL' }
  | { type: 'exited'; pid: number; code: number | null; signal: string | null; requested: boolean }
  | { type: 'error'; message: string };

export interface ExecutorOptions {
  flagPath: string;
  /** program and args are run directly (spawn with an argument array, no shell). */
  program: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** pollIntervalMs is the period of the fallback stat (default 1000). */
  pollIntervalMs?: number;
  /** stopTimeoutMs is how long SIGTERM is given before SIGKILL (default 5000). */
  stopTimeoutMs?: number;
  /** watch turns fs.watch off, leaving only the periodic stat (for tests of the fallback). */
  watch?: boolean;
  onEvent?: (event: ExecutorEvent) => void;
}

const PROGRAM_RE = /^[A-Za-z0-9_./+][A-Za-z0-9_./+-]*$/;

/**
 * Executor keeps "program running" equal to "flag file present". A program that exits by itself
 * while the flag is still there is not restarted until the flag is deleted and created again:
 * the management program ends itself on purpose (automatic connection selection, Sec. 4.3, and
 * the end of DBSS after a down.file, Sec. 2.1), and restarting it would undo that decision.
 */
export class Executor {
  private child: ChildProcess | null = null;
  private exitedWithFlag = false;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly stopRequested = new WeakSet<ChildProcess>();

  constructor(private readonly opts: ExecutorOptions) {
    assertSafeAbsolutePath(opts.flagPath, 'flag file');
    if (!PROGRAM_RE.test(opts.program)) throw new TypeError(`invalid program ${JSON.stringify(opts.program)}`);
    for (const arg of opts.args) if (arg.includes('\0')) throw new TypeError('a program argument contains a NUL byte');
  }

  /** running tells whether the management program is running now. */
  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** start begins watching and acts on the flag's current state at once. */
  async start(): Promise<void> {
    if (this.opts.watch ?? true) {
      try {
        this.watcher = watch(dirname(this.opts.flagPath), (_event, name) => {
          if (name === null || name === basename(this.opts.flagPath)) void this.reconcile();
        });
        this.watcher.on('error', (err) => this.emit({ type: 'error', message: `watch: ${err.message}` }));
      } catch (error) {
        this.emit({ type: 'error', message: `watch: ${(error as Error).message}; relying on the periodic check` });
      }
    }
    this.timer = setInterval(() => void this.reconcile(), this.opts.pollIntervalMs ?? 1000);
    await this.reconcile();
  }

  /** stop stops watching and terminates the program (SIGTERM, then SIGKILL after stopTimeoutMs). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer !== null) clearInterval(this.timer);
    await this.reconciling;
    await this.terminate();
  }

  /** reconcile runs one check at a time; a request that arrives during a check runs one more after it. */
  private reconcile(): Promise<void> {
    if (this.reconciling !== null) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        await this.check();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    const present = await stat(this.opts.flagPath).then(
      () => true,
      () => false,
    );
    if (!present) {
      this.exitedWithFlag = false;
      await this.terminate();
    } else if (this.child === null && !this.exitedWithFlag) {
      this.launch();
    }
  }

  private launch(): void {
    const child = spawn(this.opts.program, [...this.opts.args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      shell: false,
      ...(this.opts.env === undefined ? {} : { env: this.opts.env }),
    });
    child.once('error', (err) => this.emit({ type: 'error', message: `cannot start ${this.opts.program}: ${err.message}` }));
    if (child.pid === undefined) {
      this.exitedWithFlag = true;
      return;
    }
    this.child = child;
    const pid = child.pid;
    this.emit({ type: 'started', pid });
    child.once('exit', (code, signal) => {
      const requested = this.stopRequested.has(child);
      if (this.child === child) this.child = null;
      if (!requested) this.exitedWithFlag = true;
      this.emit({ type: 'exited', pid, code, signal, requested });
    });
  }

  private async terminate(): Promise<void> {
    const child = this.child;
    if (child === null || child.pid === undefined) return;
    this.stopRequested.add(child);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    this.emit({ type: 'stopping', pid: child.pid, signal: 'SIGTERM' });
    child.kill('SIGTERM');
    const timeoutMs = this.opts.stopTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (late) {
      this.emit({ type: 'stopping', pid: child.pid, signal: 'SIGKILL' });
      child.kill('SIGKILL');
      await exited;
    }
  }

  private emit(event: ExecutorEvent): void {
    this.opts.onEvent?.(event);
  }
}

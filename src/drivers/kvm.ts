// Virtual-server control through libvirt's virsh (original server method, Sec. 3.1): the
// virtual servers wait suspended and are resumed in 1.52 s instead of a 14.13 s cold start
// (Table 1). Every operation is idempotent, because a manager that retries after a timeout or
// after a restart must not fail on a domain that is already where it wants it.
import { ExecError, type ExecOptions, runProgram, runProgramStatus } from './exec.ts';
import { assertSafeAbsolutePath } from './paths.ts';

/** DomainState is what `virsh domstate` prints, or "absent" for a domain libvirt does not know. */
export type DomainState =
  | 'running'
  | 'idle'
  | 'paused'
  | 'in shutdown'
  | 'shut off'
  | 'crashed'
  | 'pmsuspended'
  | 'blocked'
  | 'no state'
  | 'absent';

const KNOWN_STATES = new Set<string>(['running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended', 'blocked', 'no state']);

/** OperationResult says whether virsh was asked to change anything and where the domain is now. */
export interface OperationResult {
  changed: boolean;
  state: DomainState;
}

const DOMAIN_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const URI_RE = /^[a-z][a-z0-9+]*:\/\/[A-Za-z0-9._~@:[\]\/-]*(\?[A-Za-z0-9._~=&\/-]*)?$/;

/** isDomainName accepts 1-64 letters, digits, _ . -, not starting with - or . (so never an option). */
export function isDomainName(name: string): boolean {
  return DOMAIN_NAME_RE.test(name);
}

/** KVM_DEFAULT_TIMEOUT_MS bounds one virsh call: well above Table 1's 14.13 s cold start. */
export const KVM_DEFAULT_TIMEOUT_MS = 60_000;

export interface VirshOptions {
  /** uri is the libvirt connection, e.g. qemu:///system; always passed with -c, never left to defaults. */
  uri: string;
  env?: NodeJS.ProcessEnv;
  program?: string;
}

export interface KvmCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** VirshKvm controls the domains of one libvirt connection. */
export class VirshKvm {
  private readonly uri: string;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly program: string;

  constructor(opts: VirshOptions) {
    if (!URI_RE.test(opts.uri)) throw new TypeError(`invalid libvirt URI ${JSON.stringify(opts.uri)}`);
    this.uri = opts.uri;
    this.env = opts.env;
    this.program = opts.program ?? 'virsh';
  }

  /** domstate reads the state of a domain; a domain libvirt does not know is "absent", not an error. */
  async domstate(name: string, opts: KvmCallOptions = {}): Promise<DomainState> {
    assertDomainName(name);
    const args = ['-c', this.uri, 'domstate', '--domain', name];
    const result = await runProgramStatus(this.program, args, this.execOptions(opts));
    if (result.exitCode !== 0) {
      if (/failed to get domain|domain not found|no domain with matching name/i.test(result.stderr)) return 'absent';
      throw new ExecError(this.program, args, 'exit', result.exitCode, result.stdout, result.stderr, `exit status ${result.exitCode}`);
    }
    const state = result.stdout.trim().split('\n')[0]?.trim() ?? '';
    if (!KNOWN_STATES.has(state)) throw new Error(`virsh domstate ${name}: unknown state ${JSON.stringify(state)}`);
    return state as DomainState;
  }

  /** define registers (or updates) a persistent domain from an XML file; libvirt makes it idempotent. */
  async define(xmlPath: string, opts: KvmCallOptions = {}): Promise<void> {
    assertSafeAbsolutePath(xmlPath, 'domain XML');
    await runProgram(this.program, ['-c', this.uri, 'define', '--file', xmlPath], this.execOptions(opts));
  }

  /** start boots a shut-off domain; an active one (running or paused) is left as it is. */
  start(name: string, opts: KvmCallOptions = {}): Promise<OperationResult> {
    return this.transition(name, 'start', opts, {
      done: (s) => s === 'running' || s === 'paused' || s === 'idle' || s === 'blocked',
      from: (s) => s === 'shut off' || s === 'crashed',
    });
  }

  /** suspend pauses a running domain (the waiting state of Sec. 3.1); a paused one is left paused. */
  suspend(name: string, opts: KvmCallOptions = {}): Promise<OperationResult> {
    return this.transition(name, 'suspend', opts, {
      done: (s) => s === 'paused',
      from: (s) => s === 'running' || s === 'idle' || s === 'blocked',
    });
  }

  /** resume activates a paused domain (function recovery, Fig. 14); a running one is left running. */
  resume(name: string, opts: KvmCallOptions = {}): Promise<OperationResult> {
    return this.transition(name, 'resume', opts, {
      done: (s) => s === 'running' || s === 'idle' || s === 'blocked',
      from: (s) => s === 'paused',
    });
  }

  /** destroy powers a domain off at once; a shut-off or unknown domain is already off. */
  destroy(name: string, opts: KvmCallOptions = {}): Promise<OperationResult> {
    return this.transition(name, 'destroy', opts, {
      done: (s) => s === 'shut off' || s === 'absent',
      from: () => true,
    });
  }

  /** undefine removes a domain's persistent definition; an unknown domain is already gone. */
  undefine(name: string, opts: KvmCallOptions = {}): Promise<OperationResult> {
    return this.transition(name, 'undefine', opts, {
      done: (s) => s === 'absent',
      from: () => true,
    });
  }

  /**
   * transition reads the state first and acts only when the domain is not already where the
   * operation takes it. If virsh then fails, the state is read again: another manager or a
   * retry may have done the same thing in between, and reaching the goal is what counts.
   */
  private async transition(
    name: string,
    command: 'start' | 'suspend' | 'resume' | 'destroy' | 'undefine',
    opts: KvmCallOptions,
    rule: { done: (s: DomainState) => boolean; from: (s: DomainState) => boolean },
  ): Promise<OperationResult> {
    assertDomainName(name);
    const before = await this.domstate(name, opts);
    if (rule.done(before)) return { changed: false, state: before };
    if (before === 'absent' || !rule.from(before)) {
      throw new Error(`cannot ${command} domain ${name}: it is ${before}`);
    }
    try {
      await runProgram(this.program, ['-c', this.uri, command, '--domain', name], this.execOptions(opts));
    } catch (error) {
      if (!(error instanceof ExecError) || error.failure !== 'exit') throw error;
      const now = await this.domstate(name, opts);
      if (rule.done(now)) return { changed: false, state: now };
      throw error;
    }
    const after = await this.domstate(name, opts);
    if (!rule.done(after)) throw new Error(`virsh ${command} ${name} succeeded but the domain is ${after}`);
    return { changed: true, state: after };
  }

  private execOptions(opts: KvmCallOptions): ExecOptions {
    return {
      timeoutMs: opts.timeoutMs ?? KVM_DEFAULT_TIMEOUT_MS,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(this.env === undefined ? {} : { env: this.env }),
    };
  }
}

function assertDomainName(name: string): void {
  if (!isDomainName(name)) throw new TypeError(`invalid domain name ${JSON.stringify(name)}`);
}

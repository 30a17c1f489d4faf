// The dbss command line. It is the composition root: the only place that wires the protocol core
// to a world (docs/architecture.md). Bad input ends with one line on stderr and status 2, never a
// stack trace. main.ts runs it as a process; tests run it in-process (test/cli/bad-input.test.ts).
import { InputError } from '../core/model/input-error.ts';
import { UsageError } from '../config/usage-error.ts';
import { dbssVersion } from './version.ts';

/** Command is what a command's module gives: its runner and its help text. */
interface Command {
  run: (argv: string[]) => Promise<number>;
  help: string;
}

// Each command's module is imported only when that command runs (or its help is asked for): the
// simulator, zod and the YAML parser are most of start-up, and `dbss --help` needs none of them.
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string; subcommands?: readonly string[] }> = {
  sim: { load: () => import('./sim-command.ts').then((m) => ({ run: m.simCommand, help: m.SIM_HELP })), summary: 'simulate a scenario file and report the recovery times' },
  explore: { load: () => import('./explore-command.ts').then((m) => ({ run: m.exploreCommand, help: m.EXPLORE_HELP })), summary: 'search fault schedules for broken invariants, shrunk to scenarios', subcommands: ['merge'] },
  sweep: { load: () => import('./sweep-command.ts').then((m) => ({ run: m.sweepCommand, help: m.SWEEP_HELP })), summary: 'a parameter study: a scenario varied along axes, replicated, on every core or as shards', subcommands: ['merge'] },
  scale: { load: () => import('./scale-command.ts').then((m) => ({ run: m.scaleCommand, help: m.SCALE_HELP })), summary: 'the ring at growing ring sizes: messages per server, recovery, the simulator\'s cost' },
  lab: { load: () => import('./lab-command.ts').then((m) => ({ run: m.labCommand, help: m.LAB_HELP })), summary: 'a lab of network namespaces with real sshd, chrony, services and KVM (root)' },
  bench: { load: () => import('./bench-command.ts').then((m) => ({ run: m.benchCommand, help: m.BENCH_HELP })), summary: 'measure the simulator (events per second)' },
  repro: { load: () => import('./repro-command.ts').then((m) => ({ run: m.reproCommand, help: m.REPRO_HELP })), summary: 'replay the paper\'s experiments for ring and P2P: CSV, SVG charts, REPORT.md' },
  schema: { load: () => import('./schema-command.ts').then((m) => ({ run: m.schemaCommand, help: m.SCHEMA_HELP })), summary: 'print the format of a scenario file or agent.yaml as a JSON Schema' },
  agent: { load: () => import('./agent-command.ts').then((m) => ({ run: m.agentCommand, help: m.AGENT_HELP })), summary: 'run the management program of one server against the real world (daemon)', subcommands: ['check', 'status'] },
};

function mainHelp(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `dbss: the ring-type Dynamic Backup Server System (Kitamura et al., JISSJ 2022)

Usage: dbss <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help      show this help
  --version       print the version of dbss

Run "dbss help <command>" or "dbss <command> --help" for a command's options.`;
}

/** commandNamed finds a command, or refuses the name with the closest commands there are. */
async function commandNamed(name: string): Promise<Command> {
  const command = COMMANDS[name];
  if (command !== undefined) return command.load();
  const names = Object.keys(COMMANDS);
  // parameters.ts loads zod: only a misspelt command pays for it.
  const { closeMatches } = await import('../config/parameters.ts');
  const close = closeMatches(name, names);
  const guess = close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : '';
  throw new UsageError(`unknown command ${JSON.stringify(name)}${guess}; commands: ${names.join(', ')}`);
}

/** main runs `dbss ARGV` and returns the exit status; bad input rejects (failureOf says how to answer it). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    console.log(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    if (rest.length > 0) throw new UsageError(`dbss ${name} takes no argument, got ${JSON.stringify(rest[0])} (see dbss --help)`);
    console.log(dbssVersion());
    return 0;
  }
  if (name === 'help') {
    const [command, sub] = rest as [string, string | undefined];
    // `dbss help sweep merge` is `dbss sweep merge --help`.
    if (rest.length === 2 && sub !== undefined && COMMANDS[command]?.subcommands?.includes(sub)) return (await commandNamed(command)).run([sub, '--help']);
    if (rest.length > 1) throw new UsageError(`dbss help takes one command, got ${rest.length} (see dbss --help)`);
    console.log((await commandNamed(rest[0] as string)).help);
    return 0;
  }
  if (name.startsWith('-')) throw new UsageError(`unknown option ${name} before the command; see dbss --help`);
  return (await commandNamed(name)).run(rest);
}

/** isUserError tells the errors that are the user's input, printed as one line with status 2. */
function isUserError(e: unknown): e is Error {
  if (e instanceof InputError || e instanceof UsageError) return true;
  // node:util parseArgs reports unknown or malformed options with these codes (parseCommandLine rewords most).
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/**
 * stdoutFailure is the line for standard output that failed: none for a reader that closed the
 * pipe (\`dbss sim --json | head\`: it has what it wanted), else what went wrong.
 */
export function stdoutFailure(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'EPIPE') return null;
  return `error: standard output: expected somewhere to write the output, got ${code === 'ENOSPC' ? 'no space left' : typeof code === 'string' ? code : String(e)}\n`;
}

/** failureOf is how a failed command answers: one line on stderr, status 2 for the user's input and 1 for our own fault. */
export function failureOf(e: unknown): { status: 1 | 2; stderr: string } {
  if (isUserError(e)) return { status: 2, stderr: `error: ${e.message.split('\n')[0]}\n` };
  const debug = process.env.DBSS_DEBUG ? `${e instanceof Error ? e.stack : ''}\n` : '';
  return { status: 1, stderr: `internal error: ${e instanceof Error ? e.message : String(e)}\n${debug}` };
}


// The dbss command line. It is the composition root: the only place that wires the protocol core
// to a world (docs/architecture.md). Bad input ends with one line on stderr and status 2, never a
// stack trace. main.ts runs it as a process; tests run it in-process (test/cli/bad-input.test.ts).
import { InputError } from '../core/model/input-error.ts';
import { benchCommand, BENCH_HELP } from './bench-command.ts';
import { reproCommand, REPRO_HELP } from './repro-command.ts';
import { simCommand, SIM_HELP } from './sim-command.ts';
import { labCommand, LAB_HELP } from './lab-command.ts';
import { exploreCommand, EXPLORE_HELP } from './explore-command.ts';
import { UsageError } from '../config/usage-error.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; summary: string; help: string }> = {
  sim: { run: simCommand, summary: 'simulate a scenario file and report the recovery times', help: SIM_HELP },
  explore: { run: exploreCommand, summary: 'search fault schedules for broken invariants, shrunk to scenarios', help: EXPLORE_HELP },
  lab: { run: labCommand, summary: 'a lab of network namespaces with real sshd, chrony, services and KVM (root)', help: LAB_HELP },
  bench: { run: benchCommand, summary: 'measure the simulator (events per second)', help: BENCH_HELP },
  repro: { run: reproCommand, summary: 'replay the paper\'s experiments for ring and P2P: CSV, SVG charts, REPORT.md', help: REPRO_HELP },
  schema: { run: (argv) => import('./schema-command.ts').then((m) => m.schemaCommand(argv)), summary: 'print the format of a scenario file or agent.yaml as a JSON Schema', help: '' },
  agent: { run: (argv) => import('./agent-command.ts').then((m) => m.agentCommand(argv)), summary: 'run the management program of one server against the real world (daemon)', help: '' },
};

function mainHelp(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `dbss: the ring-type Dynamic Backup Server System (Kitamura et al., JISSJ 2022)

Usage: dbss <command> [options]

Commands:
${lines.join('\n')}

Run "dbss <command> --help" for a command's options.`;
}

/** main runs `dbss ARGV` and returns the exit status; bad input rejects (failureOf says how to answer it). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return command.run(rest);
}

/** isUserError tells the errors that are the user's input, printed as one line with status 2. */
function isUserError(e: unknown): e is Error {
  if (e instanceof InputError || e instanceof UsageError) return true;
  // node:util parseArgs reports unknown or malformed options with these codes (parseCommandLine rewords most).
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** failureOf is how a failed command answers: one line on stderr, status 2 for the user's input and 1 for our own fault. */
export function failureOf(e: unknown): { status: 1 | 2; stderr: string } {
  if (isUserError(e)) return { status: 2, stderr: `error: ${e.message.split('\n')[0]}\n` };
  const debug = process.env.DBSS_DEBUG ? `${e instanceof Error ? e.stack : ''}\n` : '';
  return { status: 1, stderr: `internal error: ${e instanceof Error ? e.message : String(e)}\n${debug}` };
}


// `dbss agent check --config DIR`: everything the agent would read at start, checked before it
// starts, as keepalived's -t and Pacemaker's crm_verify do: ring.txt and the <Host>.dat files,
// agent.yaml (keys, addresses, paths, parameters, templates), the key files it names, that
// known_hosts holds a host key for every other server, and that chronyd answers. Unlike the
// agent's start, which stops at the first problem, it prints every problem it finds, one line each.
import { join } from 'node:path';
import { InputError } from '../core/model/input-error.ts';
import { ChronyClock } from '../drivers/chrony-clock.ts';
import { AGENT_YAML, checkAgentDir } from '../config/agent-dir.ts';
import type { AgentConfig } from '../agent/config.ts';
import { sshFileProblems } from '../config/agent-ssh-files.ts';
import { writablePathProblems } from '../config/agent-write-paths.ts';
import { parseCommandLine } from '../config/command-line.ts';
import { UsageError } from '../config/usage-error.ts';

export const AGENT_CHECK_HELP = `Usage: dbss agent check --config DIR [--no-chrony]

Checks the configuration directory DIR as the agent would read it at start, and more: ring.txt and
every <Host>.dat (daemons the agent can examine), agent.yaml (every key, address, path, parameter
and command template; docs/agent-reference.md), the SEM key (readable, at least 32 bytes), the SSH
private key (one ssh2 can use, without a passphrase), that known_hosts holds a host key for every
other server under its management address, that the agent may write its state directory and log
file, and that chronyd answers and is synchronised within
chrony.maxOffsetMs (unless agent.yaml says chrony: { enabled: false }).

Prints one line per problem on stderr (file, line, field, what was expected) and exits 2, or a
short summary on stdout and exits 0. deploy/example/README.md shows a directory that passes.

Options:
  --config DIR    the configuration directory (as for dbss agent)
  --no-chrony     skip the chrony check, on a machine that is not the server itself
  -h, --help      show this help`;

/** agentCheckCommand runs the check and answers with its problems (status 2) or its summary (status 0). */
export async function agentCheckCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine('agent check', {
    args: argv,
    options: { config: { type: 'string' }, 'no-chrony': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    console.log(AGENT_CHECK_HELP);
    return 0;
  }
  if (values.config === undefined || values.config.trim() === '') throw new UsageError(`agent check: --config DIR is required (see dbss agent check --help)${values.config === undefined ? '' : ', got an empty string'}`);
  const dir = values.config;
  const checked = checkAgentDir(dir);
  const problems = [...checked.problems];
  if (checked.config !== null) problems.push(...sshFileProblems(checked.config), ...writablePathProblems(checked.config));
  const chrony = checked.config === null ? null : await chronyFinding(checked.config, join(dir, AGENT_YAML), values['no-chrony'] === true);
  if (chrony instanceof InputError) problems.push(chrony);
  if (problems.length > 0 || checked.setup === null) {
    for (const p of problems) process.stderr.write(`error: ${p.message}\n`);
    return 2;
  }
  const { config, cluster, key } = checked.setup;
  const others = config.peers.filter((p) => p.name !== config.server).length;
  process.stdout.write(
    `${dir}: ok: ${config.server}, one of ${cluster.length} servers in ring order ${cluster.map((c) => c.data.hostName).join(', ')}; ` +
      `SEM key of ${key.length} bytes; host keys known for the ${others} other servers; ${chrony as string}\n`,
  );
  return 0;
}

/** chronyFinding asks chronyd as the agent does (the same limit); a doubt is a problem, as it keeps the agent from managing. */
async function chronyFinding(config: AgentConfig, yamlPath: string, skip: boolean): Promise<InputError | string> {
  if (!config.chrony.enabled) return 'chrony not asked (chrony.enabled is false)';
  if (skip) return 'chrony not asked (--no-chrony)';
  const clock = new ChronyClock(config.chrony.socket === null ? {} : { socket: config.chrony.socket });
  const verdict = await clock.checkSynchronised({ maxOffsetUs: config.chrony.maxOffsetUs });
  if (!verdict.ok) {
    return new InputError(yamlPath, null, 'chrony', `chronyd answering chronyc and synchronised within ${config.chrony.maxOffsetUs / 1000} ms (or dbss agent check --no-chrony where chronyd does not run)`, verdict.reason);
  }
  return `chrony synchronised, off by ${verdict.offsetUs} µs`;
}

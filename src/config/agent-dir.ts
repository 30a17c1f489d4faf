// The agent's configuration directory: the paper's management data of the ring (ring.txt and
// <Host>.dat, Fig. 4, read by cluster-dir.ts) and agent.yaml, this server's part (its schema is the
// agent's, src/agent/config.ts). Every problem is one InputError naming the file and the line. The
// agent's start refuses the first (loadAgentDir); `dbss agent check` prints them all (checkAgentDir).
import { join } from 'node:path';
import { PARAM_KEYS, paramConfigKey, parseAgentConfig, type AgentConfig, type ConfigIssue } from '../agent/config.ts';
import type { ClusterServer } from '../core/model/cluster.ts';
import { InputError, listed } from '../core/model/input-error.ts';
import { MIN_KEY_BYTES } from '../drivers/net/auth-frame.ts';
import { defaultParams } from '../paper/params.ts';
import { SERVICE_OF_DAEMON } from '../drivers/probes.ts';
import { agentParameterProblems } from './agent-parameters.ts';
import { readClusterDir } from './cluster-dir.ts';
import { closeMatches } from './parameters.ts';
import { readBytes, readText } from './read-text.ts';
import { YamlSource } from './yaml-source.ts';

/** AGENT_YAML is the name of this server's part of the configuration directory. */
export const AGENT_YAML = 'agent.yaml';

/** AgentSetup is everything read and checked from the configuration directory. */
export interface AgentSetup {
  config: AgentConfig;
  cluster: ClusterServer[];
  key: Buffer;
}

/** AgentDirCheck is what checkAgentDir found: the setup when nothing is wrong, agent.yaml's config when it parsed, and every problem in file order. */
export interface AgentDirCheck {
  setup: AgentSetup | null;
  config: AgentConfig | null;
  cluster: ClusterServer[];
  problems: InputError[];
}

/** loadAgentDir reads and checks DIR for the agent's start; it throws the first problem checkAgentDir finds. */
export function loadAgentDir(dir: string): AgentSetup {
  const checked = checkAgentDir(dir);
  const first = checked.problems[0];
  if (first !== undefined) throw first;
  if (checked.setup === null) throw new Error(`agent-dir: ${dir} gave no setup and no problem`);
  return checked.setup;
}

/**
 * checkAgentDir reads everything the agent reads at start and goes on past a problem wherever the
 * next check does not depend on it: each .dat file, agent.yaml, and each file agent.yaml names.
 */
export function checkAgentDir(dir: string): AgentDirCheck {
  const cluster = readClusterDir(dir);
  const problems = [...cluster.problems, ...daemonProblems(dir, cluster.servers)];
  const yaml = readAgentYaml(join(dir, AGENT_YAML), cluster.hosts);
  problems.push(...yaml.problems);
  const config = yaml.config;
  if (config === null) return { setup: null, config: null, cluster: cluster.servers, problems };
  const key = collect(problems, () => semKey(readBytes(config.keyFile, 'SEM key file', 'a readable file holding the shared key')));
  if (key !== null && key.length < MIN_KEY_BYTES) problems.push(new InputError(config.keyFile, null, 'SEM key', `at least ${MIN_KEY_BYTES} bytes (e.g. openssl rand -hex 32)`, `${key.length} bytes`));
  else if (key !== null && key.every((b) => b === key[0])) problems.push(new InputError(config.keyFile, null, 'SEM key', 'a secret (e.g. openssl rand -hex 32)', `one byte repeated ${key.length} times`));
  collect(problems, () => readText(config.ssh.keyFile, 'SSH key file', 'a readable private key'));
  collect(problems, () => readText(config.ssh.knownHosts, 'known_hosts file', 'a readable known_hosts file'));
  const setup = problems.length === 0 && key !== null ? { config, cluster: cluster.servers, key } : null;
  return { setup, config, cluster: cluster.servers, problems };
}

/**
 * semKey is the shared key in a key file: a text key (`openssl rand -hex 32`, base64) is its text
 * without the surrounding white space, as written; any other file is its bytes as they are, so that
 * two binary keys never decode to the same replacement characters.
 */
export function semKey(bytes: Buffer): Buffer {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
  return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? bytes : Buffer.from(text.trim(), 'utf8');
}

/** collect runs read and returns its value, or adds its InputError to problems and returns null. */
function collect<T>(problems: InputError[], read: () => T): T | null {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(e);
    return null;
  }
}

/** daemonProblems refuses a daemon of a .dat file (line 5) that the agent has no service check for (drivers/probes.ts). */
function daemonProblems(dir: string, cluster: readonly ClusterServer[]): InputError[] {
  const known = `daemons the agent can examine (${Object.keys(SERVICE_OF_DAEMON).join(', ')}; see deploy/example/README.md)`;
  return cluster.flatMap((c) =>
    c.data.daemons.filter((d) => SERVICE_OF_DAEMON[d] === undefined).map((d) => new InputError(join(dir, `${c.data.hostName}.dat`), 5, 'service daemons (line 5)', known, d)),
  );
}

/** readAgentYaml parses agent.yaml and checks it against itself and the ring (hosts, null when ring.txt could not be read). */
function readAgentYaml(path: string, hosts: readonly string[] | null): { config: AgentConfig | null; problems: InputError[] } {
  const problems: InputError[] = [];
  const source = collect(problems, () => YamlSource.parse(readText(path, 'agent configuration', 'a readable YAML file (agent.yaml)'), path, AGENT_YAML));
  if (source === null) return { config: null, problems };
  const parsed = parseAgentConfig(source.value);
  if (!parsed.ok) {
    const errors = parsed.issues.map((i) => issueError(source, i));
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { config: null, problems: errors };
  }
  const config = parsed.config;
  problems.push(...agentParameterProblems(source, config));
  if (hosts !== null) problems.push(...ringProblems(source, config, hosts));
  problems.push(...endpointProblems(source, config));
  // The hardened ring allows for clocks off by maxClockOffset (fence deadlines, stale heartbeats):
  // chrony must call a clock unsynchronised before it is off by more.
  const maxClockOffsetUs = { ...defaultParams(), ...config.params }.maxClockOffsetUs;
  if (config.hardening.includes('heartbeatTrust') && config.chrony.enabled && config.chrony.maxOffsetUs > maxClockOffsetUs) {
    problems.push(source.error(['chrony', 'maxOffsetMs'], `at most ${maxClockOffsetUs / 1000} ms with hardening heartbeatTrust (the clock tolerance the hardened ring allows for)`));
  }
  return { config, problems };
}

/** issueError words a schema issue at its line; an unknown key gets the closest known keys, or the hint that a parameter goes under parameters:. */
function issueError(source: YamlSource, issue: ConfigIssue): InputError {
  if (issue.unknownKey === undefined) return source.error(issue.path, issue.expected);
  const key = issue.unknownKey;
  let expected = issue.expected;
  if (issue.path.length === 1 && PARAM_KEYS.some((f) => paramConfigKey(f) === key)) {
    expected = `a key of agent.yaml (a protocol parameter goes under parameters: { ${key}: ... })`;
  } else if (issue.known !== undefined) {
    const close = closeMatches(key, issue.known);
    if (close.length > 0) expected = `a known key (did you mean ${close.join(' or ')}?)`;
  }
  return source.error(issue.path, expected, { keyLine: true, got: key });
}

/** ringProblems holds server and servers to ring.txt: this server is in the ring, and servers has exactly the ring's servers. */
function ringProblems(source: YamlSource, config: AgentConfig, hosts: readonly string[]): InputError[] {
  const problems: InputError[] = [];
  if (!hosts.includes(config.server)) problems.push(source.error(['server'], `one of the servers of ring.txt (${listed(hosts)})`));
  const given = Object.keys((source.value as { servers?: object }).servers ?? {}).join(', ');
  for (const name of hosts) {
    if (!config.peers.some((p) => p.name === name)) problems.push(source.error(['servers'], `an entry with the management address of every server of ring.txt (${name} is missing)`, { got: given }));
  }
  // This server's own entry is not blamed again when the server itself is not in the ring.
  for (const peer of config.peers) {
    if (!hosts.includes(peer.name) && peer.name !== config.server) problems.push(source.error(['servers', peer.name], `a server of ring.txt (${listed(hosts)})`, { keyLine: true, got: peer.name }));
  }
  return problems;
}

/** endpointProblems refuses two servers at the same management address and SEM port: SEM records and SSH would reach the wrong one. */
function endpointProblems(source: YamlSource, config: AgentConfig): InputError[] {
  const owners = new Map<string, string>();
  const problems: InputError[] = [];
  for (const peer of config.peers) {
    const endpoint = `${peer.management}:${peer.semPort}`;
    const owner = owners.get(endpoint);
    if (owner === undefined) owners.set(endpoint, peer.name);
    else problems.push(source.error(['servers', peer.name, 'management'], `an address no other server has (${owner} has ${peer.management}, SEM port ${peer.semPort})`));
  }
  return problems;
}

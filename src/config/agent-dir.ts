// The agent's configuration directory: the paper's management data of the ring (ring.txt and
// <Host>.dat, Fig. 4, read by cluster-dir.ts) and agent.yaml, this server's part (its schema is the
// agent's, src/agent/config.ts). Every problem is one InputError naming the file and the line.
import { join } from 'node:path';
import { PARAM_KEYS, paramConfigKey, parseAgentConfig, type AgentConfig } from '../agent/config.ts';
import type { Params } from '../core/model/params.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import { paramValueProblem } from './parameters.ts';
import { followInterval, parameterRelationProblems } from './parameter-relations.ts';
import type { ClusterServer } from '../core/model/cluster.ts';
import { InputError } from '../core/model/input-error.ts';
import { MIN_KEY_BYTES } from '../drivers/net/auth-frame.ts';
import { defaultParams } from '../paper/params.ts';
import { SERVICE_OF_DAEMON } from '../drivers/probes.ts';
import { loadClusterDir } from './cluster-dir.ts';
import { readText } from './read-text.ts';
import { YamlSource } from './yaml-source.ts';

/** AgentSetup is everything read and checked from the configuration directory. */
export interface AgentSetup {
  config: AgentConfig;
  cluster: ClusterServer[];
  key: Buffer;
}

/**
 * checkParams holds agent.yaml's params to the simulator's rules (config/parameters.ts): each value's
 * range, then the relations between them; the parameters that follow the interval follow it here too.
 */
function checkParams(source: YamlSource, config: AgentConfig): void {
  const raw = ((source.value as { params?: Record<string, number> }).params ?? {}) as Record<string, number>;
  const given = (field: keyof Params): boolean => raw[paramConfigKey(field)] !== undefined;
  for (const field of PARAM_KEYS) {
    const key = paramConfigKey(field);
    const value = raw[key];
    const problem = value === undefined ? null : paramValueProblem(field, value);
    if (problem !== null) throw source.error(['params', key], problem);
  }
  const resolved = { ...defaultParams(), ...config.params };
  followInterval(resolved, given);
  for (const problem of parameterRelationProblems(resolved, defaultSimParams(), (field) => paramConfigKey(field as keyof Params))) {
    const blamed = problem.blame.find((b) => given(b.field as keyof Params));
    if (blamed !== undefined) throw source.error(['params', paramConfigKey(blamed.field as keyof Params)], blamed.expected);
  }
  config.params = { ...config.params, internalMonitorOffsetUs: resolved.internalMonitorOffsetUs, heartbeatStaleUs: resolved.heartbeatStaleUs };
}

/** loadAgentDir reads and checks DIR; every problem is one InputError naming file and line. */
export function loadAgentDir(dir: string): AgentSetup {
  const cluster = loadClusterDir(dir);
  const yamlPath = join(dir, 'agent.yaml');
  const source = YamlSource.parse(readText(yamlPath, 'agent configuration', 'a readable YAML file (agent.yaml)'), yamlPath, 'agent.yaml');
  const parsed = parseAgentConfig(source.value);
  if (!parsed.ok) {
    const errors = parsed.issues.map((i) =>
      i.unknownKey !== undefined ? source.error(i.path, i.expected, { keyLine: true, got: i.unknownKey }) : source.error(i.path, i.expected),
    );
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw errors[0] as InputError;
  }
  const config = parsed.config;
  checkParams(source, config);
  const names = cluster.map((c) => c.data.hostName);
  if (!names.includes(config.server)) throw source.error(['server'], `one of the servers of ring.txt (${names.join(', ')})`);
  for (const name of names) {
    if (!config.peers.some((p) => p.name === name)) throw source.error(['servers'], `an entry with the management address of every server of ring.txt (${name} is missing)`, { got: Object.keys((source.value as { servers?: object }).servers ?? {}).join(', ') });
  }
  for (const peer of config.peers) {
    if (!names.includes(peer.name)) throw source.error(['servers', peer.name], `a server of ring.txt (${names.join(', ')})`, { keyLine: true, got: peer.name });
  }
  // The hardened ring allows for clocks off by maxClockOffset (fence deadlines, stale heartbeats):
  // chrony must call a clock unsynchronised before it is off by more.
  const maxClockOffsetUs = { ...defaultParams(), ...config.params }.maxClockOffsetUs;
  if (config.hardening.includes('heartbeatTrust') && config.chrony.enabled && config.chrony.maxOffsetUs > maxClockOffsetUs) {
    throw source.error(['chrony', 'maxOffsetMs'], `at most ${maxClockOffsetUs / 1000} ms with hardening heartbeatTrust (the clock tolerance the hardened ring allows for)`);
  }
  for (const c of cluster) {
    for (const daemon of c.data.daemons) {
      if (SERVICE_OF_DAEMON[daemon] === undefined) {
        throw new InputError(join(dir, `${c.data.hostName}.dat`), 5, 'service daemons (line 5)', `daemons the agent can examine (${Object.keys(SERVICE_OF_DAEMON).join(', ')})`, daemon);
      }
    }
  }
  const key = Buffer.from(readText(config.keyFile, 'SEM key file', 'a readable file holding the shared key').trim(), 'utf8');
  if (key.length < MIN_KEY_BYTES) throw new InputError(config.keyFile, null, 'SEM key', `at least ${MIN_KEY_BYTES} bytes (e.g. openssl rand -hex 32)`, `${key.length} bytes`);
  readText(config.ssh.keyFile, 'SSH key file', 'a readable private key');
  readText(config.ssh.knownHosts, 'known_hosts file', 'a readable known_hosts file');
  return { config, cluster, key };
}

// What SIGHUP may change while the agent runs. Only what no protocol state depends on is applied
// at once: stdout's log level and format, and the metrics endpoint (closed and opened again on
// its new address). Everything else needs a restart: the protocol's timings (Params) are fixed
// when the management program is built and the core reads them throughout its waits and
// deadlines; the ring, the management data, the SEM key, the peers and their ports are held by
// the transports and the program; the status socket and the log file are open. reloadPlan
// compares the running configuration with the one read again and says, key by key, which.
import { paramConfigKey, type AgentConfig } from './config.ts';
import type { Params } from '../core/model/params.ts';

/** LIVE_KEYS are the keys SIGHUP applies (agent.yaml's names). */
export const LIVE_KEYS: readonly string[] = ['logLevel', 'logFormat', 'metrics'];

/** ReloadChange is one changed key of agent.yaml (or ring file) and whether it was applied. */
export interface ReloadChange {
  key: string;
  outcome: 'applied' | 'needs restart';
}

/** ReloadInput is what the agent was started with, or what a reload read. */
export interface ReloadInput {
  config: AgentConfig;
  /** cluster is the ring and management data read from ring.txt and <Host>.dat, as one comparable value. */
  cluster: unknown;
  key: Buffer;
}

/** yamlKey names a resolved setting by agent.yaml's key (the resolved names differ for a few). */
function yamlKey(path: string): string {
  if (path.startsWith('ops.')) return path.slice(4);
  if (path.startsWith('params.')) return `parameters.${paramConfigKey(path.slice(7) as keyof Params)}`;
  if (path.startsWith('peers.')) return `servers.${path.slice(6)}`;
  const renamed: Record<string, string> = { keyFile: 'sem.keyFile', 'chrony.maxOffsetUs': 'chrony.maxOffsetMs' };
  return renamed[path] ?? path;
}

/** leaves flattens a value to dotted paths; peers by name, lists whole. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (path === 'peers' && Array.isArray(value)) {
    for (const peer of value as { name: string }[]) leaves(peer, `peers.${peer.name}`, out);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path === '' ? k : `${path}.${k}`, out);
    if (Object.keys(value).length === 0 && path !== '') out.set(path, '{}');
  } else {
    out.set(path, JSON.stringify(value) ?? 'undefined');
  }
  return out;
}

/** isLive tells whether a key (agent.yaml's name) is applied by SIGHUP. */
function isLive(key: string): boolean {
  return LIVE_KEYS.some((live) => key === live || key.startsWith(`${live}.`));
}

/**
 * reloadPlan lists the differences between the running inputs and those read again, one per
 * agent.yaml key (a group of keys of metrics counts once), in a stable order.
 */
export function reloadPlan(running: ReloadInput, next: ReloadInput): ReloadChange[] {
  const before = leaves(running.config, '', new Map());
  const after = leaves(next.config, '', new Map());
  const keys = new Set<string>();
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(path) !== after.get(path)) keys.add(yamlKey(path).startsWith('metrics') ? 'metrics' : yamlKey(path));
  }
  const changes: ReloadChange[] = [...keys].sort().map((key) => ({ key, outcome: isLive(key) ? 'applied' : 'needs restart' }));
  if (JSON.stringify(running.cluster) !== JSON.stringify(next.cluster)) changes.push({ key: 'ring.txt and <Host>.dat', outcome: 'needs restart' });
  if (!running.key.equals(next.key)) changes.push({ key: 'the SEM key (sem.keyFile contents)', outcome: 'needs restart' });
  return changes;
}

/**
 * applied is the running configuration after a reload: the live keys taken from next, every
 * other key left as it runs, so that a later SIGHUP still names what waits for a restart.
 */
export function applied(running: AgentConfig, next: AgentConfig): AgentConfig {
  return { ...running, ops: { ...running.ops, logLevel: next.ops.logLevel, logFormat: next.ops.logFormat, metrics: next.ops.metrics } };
}

// The agent's own configuration (agent.yaml): what the paper's management data files (Fig. 4) do
// not say about the real world. Which server this agent is, where the other management servers
// sit on the management network, where the management files live, the SEM key, SSH, Wake-on-LAN,
// chrony limits, the commands that restart a server, move a VIP or wake a virtual server, and
// which extensions of the hardened ring it runs (all by default; `none` is the paper's method).
// The schema checks shape and every value that reaches a program: host names, addresses, paths,
// interface names and argv templates (templates.ts). Line numbers are the CLI's job.
import * as z from 'zod';
import type { Params } from '../core/model/params.ts';
import { HARDENINGS } from '../core/program/hardening.ts';
import type { Hardening } from '../core/program/hardening.ts';
import { isHostName, isIpv4 } from '../core/model/validate.ts';
import { isSafeAbsolutePath } from '../drivers/paths.ts';
import { isInterfaceName } from '../drivers/vip.ts';
import { ACTION_PLACEHOLDERS, checkTemplate, type ActionName, type ArgvTemplate } from './templates.ts';
import { opsOf, opsShape, type OpsConfig } from './ops-config.ts';

/** PeerConfig is one management server as the others reach it. */
export interface PeerConfig {
  name: string;
  /** management is its address on the management network (SEM, load requests, SSH). */
  management: string;
  /** stateDir is where its management files and flag file live (sendFiles, sendFlag). */
  stateDir: string;
  /** serviceIface is its service-network interface, where VIPs go. */
  serviceIface: string;
  semPort: number;
  loadPort: number;
  sshPort: number;
}

export interface AgentConfig {
  server: string;
  stateDir: string;
  logFile: string;
  keyFile: string;
  peers: PeerConfig[];
  ssh: { user: string; keyFile: string; knownHosts: string; timeoutMs: number };
  wol: { broadcast: string; port: number };
  internal: { gateway: string; timeoutMs: number };
  chrony: { enabled: boolean; socket: string | null; maxOffsetUs: number; checkIntervalMs: number };
  load: { sampleMs: number; collectTimeoutMs: number; maxSkewMs: number };
  host: { memKb: number | null; cores: number | null; ratedBytesPerS: number; vmCapacity: number };
  vipPrefixLen: number;
  commands: Record<ActionName, ArgvTemplate> & { timeoutMs: number };
  /** params overrides protocol parameters (Table 1), read from `parameters:` by the scenario's names, times in seconds, e.g. { monitorInterval: 10 }. */
  params: Partial<Params>;
  /** hardening lists the extensions of the hardened ring the program runs (core/program/hardening.ts), in HARDENINGS order. */
  hardening: Hardening[];
  /** testing.holdFileWriteMs pauses every management-file write after its temporary file, for the crash test only. */
  testing: { holdFileWriteMs: number };
  /** ops is how the agent is run: status socket, metrics, stdout's log format (ops-config.ts). */
  ops: OpsConfig;
}

const HOST = 'a host name (letters, digits, hyphen; no spaces or shell characters)';
const IP = 'an IPv4 address such as 198.18.1.1';
const PATH = 'an absolute path of letters, digits and . _ @ + - /';
const IFACE = 'an interface name such as svc0';
const PORT = 'a port number from 1 to 65535';
const USER = 'a user name such as root (lower-case letters, digits, _ and -)';
const count = (what: string) => z.int({ error: `${what}, an integer >= 1` }).positive({ error: `${what}, an integer >= 1` });

const host = z.string({ error: HOST }).refine(isHostName, { error: HOST });
const ip = z.string({ error: IP }).refine(isIpv4, { error: IP });
const path = z.string({ error: PATH }).refine(isSafeAbsolutePath, { error: PATH });
const iface = z.string({ error: IFACE }).refine(isInterfaceName, { error: IFACE });
const port = z.int({ error: PORT }).min(1, { error: PORT }).max(65535, { error: PORT });
const ms = (what: string, max = 600_000) => z.int({ error: `${what} in ms, 1 to ${max}` }).min(1, { error: `${what} in ms, 1 to ${max}` }).max(max, { error: `${what} in ms, 1 to ${max}` });
const keysOf = (shape: object): string => `one of the keys ${Object.keys(shape).join(', ')}`;
function strictMap<T extends z.ZodRawShape>(shape: T, what: string) {
  return z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? keysOf(shape) : what) });
}

const CHRONY_OFFSET = 'milliseconds from 0 to 60000';
const HOLD = 'milliseconds from 0 to 60000';
const DBSS_COMMAND = 'the dbss command as a list, such as [/usr/bin/dbss]';
const ARGV = 'a list of commands, each a list of strings such as [[ip, addr, add, "{vip}/{prefix}", dev, "{iface}"]]';
const template = z.array(z.array(z.string({ error: ARGV }), { error: ARGV }).min(1, { error: ARGV }), { error: ARGV }).min(1, { error: ARGV });

const peerShape = {
  management: ip,
  stateDir: path.optional(),
  serviceIface: iface.optional(),
  semPort: port.optional(),
  loadPort: port.optional(),
  sshPort: port.optional(),
};

const commandShape = {
  dbss: z.array(z.string({ error: 'a program and its arguments' }), { error: DBSS_COMMAND }).min(1, { error: DBSS_COMMAND }).optional(),
  restart: template.optional(),
  vipClaim: template.optional(),
  vipRelease: template.optional(),
  virtualVipClaim: template.optional(),
  virtualVipRelease: template.optional(),
  vsResume: template.optional(),
  vsSuspend: template.optional(),
  timeoutMs: ms('a command timeout').optional(),
};

const paramKeys = (): string[] => PARAM_KEYS.map(paramConfigKey);

const HARDENING_EXPECTED = `all, none, or a list of extensions of the hardened ring from ${HARDENINGS.join(', ')}`;
const hardening = z.union(
  [z.enum(['all', 'none']), z.array(z.enum(HARDENINGS as [Hardening, ...Hardening[]], { error: `one of ${HARDENINGS.join(', ')}` }), { error: HARDENING_EXPECTED })],
  { error: HARDENING_EXPECTED },
);

export const configShape = {
  server: host,
  stateDir: path,
  logFile: path,
  sem: strictMap({ port: port, keyFile: path }, 'a mapping such as { port: 7400, keyFile: /etc/dbss/sem.key }'),
  loadPort: port.optional(),
  serviceIface: iface.optional(),
  servers: z.record(z.string(), strictMap(peerShape, 'a mapping such as { management: 198.18.1.2 }'), { error: 'a mapping of server names to { management: ADDRESS }' }),
  ssh: strictMap({ user: z.string({ error: USER }).regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: USER }).optional(), keyFile: path, knownHosts: path, port: port.optional(), timeoutMs: ms('an SSH timeout').optional() }, 'a mapping with keyFile and knownHosts'),
  wol: strictMap({ broadcast: ip, port: port.optional() }, 'a mapping such as { broadcast: 198.18.1.255 }'),
  internal: strictMap({ gateway: ip, timeoutMs: ms('an internal check timeout').optional() }, 'a mapping such as { gateway: 198.18.0.254 }'),
  chrony: strictMap({ enabled: z.boolean({ error: 'true or false' }).optional(), socket: path.optional(), maxOffsetMs: z.number({ error: CHRONY_OFFSET }).min(0, { error: CHRONY_OFFSET }).max(60_000, { error: CHRONY_OFFSET }).optional(), checkIntervalMs: ms('a check interval').optional() }, 'a mapping such as { maxOffsetMs: 50 }').optional(),
  load: strictMap({ sampleMs: ms('a sampling time', 5000).optional(), collectTimeoutMs: ms('a load collection timeout', 10_000).optional(), maxSkewMs: ms('an allowed request age', 600_000).optional() }, 'a mapping such as { sampleMs: 200 }').optional(),
  host: strictMap({ memKb: count('memory in kB').optional(), cores: count('CPU cores').optional(), ratedBytesPerS: count('network bytes per second').optional(), vmCapacity: z.int({ error: 'an integer >= 0' }).min(0, { error: 'an integer >= 0' }).optional() }, 'a mapping such as { vmCapacity: 3 }').optional(),
  vipPrefixLen: z.int({ error: 'a prefix length 1-32' }).min(1, { error: 'a prefix length 1-32' }).max(32, { error: 'a prefix length 1-32' }).optional(),
  commands: strictMap(commandShape, 'a mapping of command templates').optional(),
  parameters: z.record(z.string(), z.number({ error: 'a number' }), { error: 'a mapping such as { monitorInterval: 10 }' }).optional(),
  testing: strictMap({ holdFileWriteMs: z.int({ error: HOLD }).min(0, { error: HOLD }).max(60_000, { error: HOLD }).optional() }, 'a mapping such as { holdFileWriteMs: 0 }').optional(),
  hardening: hardening.optional(),
  ...opsShape,
};

export const agentConfigSchema = strictMap(configShape, 'a mapping with the keys server, stateDir, logFile, sem, servers, ssh, wol, internal');

/** ConfigIssue is one problem: the YAML path of the value and what was expected there. */
export interface ConfigIssue {
  path: (string | number)[];
  expected: string;
  /** unknownKey is set when the problem is a key the schema does not know. */
  unknownKey?: string;
  /** known lists the keys allowed where unknownKey stands, for a reader that suggests the closest. */
  known?: readonly string[];
}

/**
 * RENAMED_KEYS are keys of older agent.yaml files, each with what replaced it: the agent refuses
 * them with the new spelling rather than ignore a setting the operator believes is in force.
 */
export const RENAMED_KEYS: Readonly<Record<string, string>> = {
  params: "parameters (the scenario files' key and names, times in seconds: parameters: { monitorInterval: 10 })",
};

/** PARAM_KEYS lists the protocol parameters agent.yaml may override. */
export const PARAM_KEYS: readonly (keyof Params)[] = [
  'monitorIntervalUs', 'networkExamTimeoutUs', 'serviceExamWaitMaxUs', 'restartWaitMaxUs', 'startWaitMaxUs',
  'recoveryPollIntervalUs', 'recoveryProbeTimeoutUs', 'internalMonitorOffsetUs', 'heartbeatStaleUs', 'loadSamplesPerStep',
];

/** paramConfigKey names a parameter in agent.yaml as the scenario files do: without the Us suffix, times in seconds (monitorInterval). */
export function paramConfigKey(key: keyof Params): string {
  return key.endsWith('Us') ? key.slice(0, -2) : key;
}

/** oldParamSpelling recognises the S-suffixed names of older agent.yaml files (monitorIntervalS) and returns the name that replaced it, or null. */
function oldParamSpelling(key: string, allowed: readonly string[]): string | null {
  const renamed = key.endsWith('S') ? key.slice(0, -1) : null;
  return renamed !== null && allowed.includes(renamed) && renamed !== key ? renamed : null;
}

/**
 * parseAgentConfig checks the plain value of agent.yaml and resolves its defaults. It returns the
 * config, or the issues (each with its YAML path) for the caller to report with line numbers.
 */
export function parseAgentConfig(value: unknown): { ok: true; config: AgentConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = agentConfigSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.flatMap((i): ConfigIssue[] =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => unknownKeyIssue(i.path.map(pathSeg), k, i.message))
          : [{ path: i.path.map(pathSeg), expected: i.message }],
      ),
    };
  }
  const v = parsed.data;
  const issues: ConfigIssue[] = [];
  const loadPort = v.loadPort ?? v.sem.port + 1;
  const peers: PeerConfig[] = [];
  for (const [name, p] of Object.entries(v.servers)) {
    if (!isHostName(name)) {
      issues.push({ path: ['servers', name], expected: HOST, unknownKey: name });
      continue;
    }
    peers.push({
      name,
      management: p.management,
      stateDir: p.stateDir ?? v.stateDir,
      serviceIface: p.serviceIface ?? v.serviceIface ?? 'eth0',
      semPort: p.semPort ?? v.sem.port,
      loadPort: p.loadPort ?? loadPort,
      sshPort: p.sshPort ?? v.ssh.port ?? 22,
    });
  }
  if (!peers.some((p) => p.name === v.server)) issues.push({ path: ['servers'], expected: `an entry for this server, ${v.server}` });
  const dbss = v.commands?.dbss ?? ['dbss'];
  const commands = defaultCommands(dbss);
  for (const action of Object.keys(ACTION_PLACEHOLDERS) as ActionName[]) {
    // Each template is reported at the key it came from: its own, the one it defaults to, or commands.dbss for the built-in ones.
    const inherited = action === 'virtualVipClaim' ? 'vipClaim' : action === 'virtualVipRelease' ? 'vipRelease' : null;
    const source: (string | number)[] | null = v.commands?.[action] !== undefined ? ['commands', action] : inherited !== null && v.commands?.[inherited] !== undefined ? ['commands', inherited] : v.commands?.dbss !== undefined ? ['commands', 'dbss'] : null;
    const given = v.commands?.[action] ?? (inherited === null ? undefined : v.commands?.[inherited]);
    if (given !== undefined) commands[action] = given;
    commands[action].forEach((argv, i) => {
      const problem = checkTemplate(action, argv);
      if (problem === null) return;
      if (source === null) throw new Error(`agent config: the built-in ${action} template is refused: ${problem}`);
      issues.push({ path: source[1] === 'dbss' ? source : [...source, i], expected: source[1] === 'dbss' ? `a dbss command that makes valid ${action} commands: ${problem}` : problem });
    });
  }
  // Values are checked by the simulator's rules in config/agent-dir.ts (the agent refuses what a scenario would).
  const params: Partial<Params> = {};
  const allowed = paramKeys();
  for (const [key, value] of Object.entries(v.parameters ?? {})) {
    const name = PARAM_KEYS[allowed.indexOf(key)];
    const renamed = oldParamSpelling(key, allowed);
    if (renamed !== null) issues.push({ path: ['parameters', key], expected: `${renamed}, the scenario's name (in seconds; the S suffix is gone)`, unknownKey: key });
    else if (name === undefined) issues.push({ path: ['parameters', key], expected: `one of the keys ${allowed.join(', ')}`, unknownKey: key, known: allowed });
    else params[name] = name.endsWith('Us') ? Math.round(value * 1e6) : value;
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    config: {
      server: v.server,
      stateDir: v.stateDir,
      logFile: v.logFile,
      keyFile: v.sem.keyFile,
      peers,
      ssh: { user: v.ssh.user ?? 'root', keyFile: v.ssh.keyFile, knownHosts: v.ssh.knownHosts, timeoutMs: v.ssh.timeoutMs ?? 10_000 },
      wol: { broadcast: v.wol.broadcast, port: v.wol.port ?? 9 },
      internal: { gateway: v.internal.gateway, timeoutMs: v.internal.timeoutMs ?? 2000 },
      chrony: {
        enabled: v.chrony?.enabled ?? true,
        socket: v.chrony?.socket ?? null,
        maxOffsetUs: Math.round((v.chrony?.maxOffsetMs ?? 100) * 1000),
        checkIntervalMs: v.chrony?.checkIntervalMs ?? 5000,
      },
      load: { sampleMs: v.load?.sampleMs ?? 200, collectTimeoutMs: v.load?.collectTimeoutMs ?? 300, maxSkewMs: v.load?.maxSkewMs ?? 30_000 },
      host: { memKb: v.host?.memKb ?? null, cores: v.host?.cores ?? null, ratedBytesPerS: v.host?.ratedBytesPerS ?? 125_000_000, vmCapacity: v.host?.vmCapacity ?? 3 },
      vipPrefixLen: v.vipPrefixLen ?? 24,
      commands: { ...commands, timeoutMs: v.commands?.timeoutMs ?? 30_000 },
      params,
      hardening: hardeningOf(v.hardening),
      testing: { holdFileWriteMs: v.testing?.holdFileWriteMs ?? 0 },
      ops: opsOf(v, v.stateDir),
    },
  };
}

/**
 * defaultCommands runs the agent's own helpers on the host concerned (`dbss agent vip|vs ...`,
 * which use the VIP driver's duplicate check and libvirt's idempotent resume), and restarts a
 * server with systemd. A lab overrides restart so that it never reboots the machine.
 */
function defaultCommands(dbss: readonly string[]): Record<ActionName, ArgvTemplate> {
  const helper = (...args: string[]): ArgvTemplate => [[...dbss, 'agent', ...args]];
  return {
    restart: [['systemctl', 'reboot']],
    vipClaim: helper('vip', 'claim', '{vip}/{prefix}', '{iface}'),
    vipRelease: helper('vip', 'release', '{vip}/{prefix}', '{iface}'),
    virtualVipClaim: helper('vip', 'claim', '{vip}/{prefix}', '{iface}'),
    virtualVipRelease: helper('vip', 'release', '{vip}/{prefix}', '{iface}'),
    vsResume: helper('vs', 'resume', '{vs}'),
    vsSuspend: helper('vs', 'suspend', '{vs}'),
  };
}

/** hardeningOf resolves `hardening:`: all when absent (the agent runs the hardened ring), none, or the extensions listed. */
function hardeningOf(raw: 'all' | 'none' | readonly Hardening[] | undefined): Hardening[] {
  if (raw === 'none') return [];
  if (raw === undefined || raw === 'all') return [...HARDENINGS];
  return HARDENINGS.filter((h) => raw.includes(h));
}

/** unknownKeyIssue reports a key the schema does not know: an old spelling with its new one, else with the keys allowed there. */
function unknownKeyIssue(path: (string | number)[], key: string, expected: string): ConfigIssue {
  const renamed = path.length === 0 ? RENAMED_KEYS[key] : undefined;
  if (renamed !== undefined) return { path: [key], expected: renamed, unknownKey: key };
  return { path: [...path, key], expected, unknownKey: key, known: keysAt(path) };
}

/** keysAt lists the keys the schema allows in the mapping at path (servers' entries included). */
function keysAt(path: readonly (string | number)[]): string[] {
  let node: z.ZodType | undefined = agentConfigSchema;
  for (const seg of path) {
    if (node === undefined) return [];
    node = unwrapOptional(node);
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(seg)];
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else return [];
  }
  node = node === undefined ? undefined : unwrapOptional(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrapOptional(node: z.ZodType): z.ZodType {
  return node instanceof z.ZodOptional ? (node.unwrap() as z.ZodType) : node;
}

function pathSeg(seg: PropertyKey): string | number {
  return typeof seg === 'number' ? seg : String(seg);
}

/** peerOf finds a configured management server, or null. */
export function peerOf(config: AgentConfig, name: string): PeerConfig | null {
  return config.peers.find((p) => p.name === name) ?? null;
}

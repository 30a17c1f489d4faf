// agent.yaml's format as a JSON Schema, generated like the scenario's (schema-scenario.ts) from the
// zod schema the agent checks it with (src/agent/config.ts), with a description for every key
// (a test walks them) and the protocol parameters `parameters:` accepts with the simulator's ranges.
// What JSON Schema leaves to the agent: host names, IPv4 addresses, safe absolute paths,
// interface names and command templates are checked by their validators when the agent starts.
import * as z from 'zod';
import { agentConfigSchema, PARAM_KEYS, paramConfigKey } from '../agent/config.ts';
import { ACTION_PLACEHOLDERS } from '../agent/templates.ts';
import { OPS_KEY_DOCS } from '../agent/ops-config.ts';
import { HARDENINGS } from '../core/program/hardening.ts';
import { parameterInfos } from './parameters.ts';
import type { JsonSchema } from './schema-scenario.ts';

/** argv says what a command template is and which placeholders its action fills in. */
const argv = (action: keyof typeof ACTION_PLACEHOLDERS): string =>
  `A list of commands, each a list of strings (argv, no shell); placeholders: ${ACTION_PLACEHOLDERS[action].map((p) => `{${p}}`).join(', ')}`;

/** AGENT_KEYS describes every key by its dotted path; `*` stands for a server's name. */
const AGENT_KEYS: Record<string, string> = {
  server: 'This server: its host name, one of servers.',
  stateDir: 'Where this server keeps its management files and flag file (an absolute path).',
  logFile: "The agent's log, JSON Lines (an absolute path).",
  ...OPS_KEY_DOCS,
  sem: 'The SEM transport on the management network.',
  'sem.port': 'The UDP port of SEM records.',
  'sem.keyFile': 'The shared key that authenticates every management frame (an absolute path).',
  loadPort: 'The port of load requests. Default: sem.port + 1.',
  serviceIface: 'The service-network interface VIPs are set on. Default: eth0.',
  servers: 'Every management server of the ring by host name, this one included.',
  'servers.*': 'One management server as the others reach it.',
  'servers.*.management': 'Its IPv4 address on the management network.',
  'servers.*.stateDir': 'Its state directory. Default: stateDir.',
  'servers.*.serviceIface': 'Its service interface. Default: serviceIface.',
  'servers.*.semPort': 'Its SEM port. Default: sem.port.',
  'servers.*.loadPort': 'Its load port. Default: loadPort.',
  'servers.*.sshPort': 'Its SSH port. Default: ssh.port.',
  ssh: 'SSH to the other servers (restart, sending files).',
  'ssh.user': 'The user to log in as. Default: root.',
  'ssh.keyFile': 'The private key (an absolute path).',
  'ssh.knownHosts': "The known_hosts file holding the other servers' host keys (an absolute path).",
  'ssh.port': 'The SSH port. Default: 22.',
  'ssh.timeoutMs': 'How long an SSH command may take, in ms. Default: 10000.',
  wol: 'Wake-on-LAN.',
  'wol.broadcast': 'The broadcast address magic packets go to.',
  'wol.port': 'The UDP port of magic packets. Default: 9.',
  internal: 'Internal monitoring (Sec. 4.1, Fig. 9(b)).',
  'internal.gateway': 'The gateway pinged by the internal check.',
  'internal.timeoutMs': 'How long the internal check waits, in ms. Default: 2000.',
  chrony: "The clock's synchronisation (chrony), which the ticks of Sec. 3.2 rely on.",
  'chrony.enabled': 'Whether chrony is asked. Default: true.',
  'chrony.socket': "chronyd's command socket (an absolute path). Default: chronyc's own.",
  'chrony.maxOffsetMs': 'The largest clock offset in ms at which this server still counts as synchronised. Default: 100.',
  'chrony.checkIntervalMs': 'How often chrony is asked, in ms. Default: 5000.',
  load: 'Load measurement and collection (Eq. (1)-(5)).',
  'load.sampleMs': 'How long one load measurement samples, in ms. Default: 200.',
  'load.collectTimeoutMs': "How long A3 waits for the other servers' loads, in ms. Default: 300.",
  'load.maxSkewMs': 'The oldest load request answered, in ms. Default: 30000.',
  host: 'This host as Eq. (5) sees it.',
  'host.memKb': 'Memory in kB. Default: read from /proc.',
  'host.cores': 'CPU cores (hardware threads). Default: read from /proc.',
  'host.ratedBytesPerS': 'The rated network speed in bytes per second. Default: 125000000 (1000BASE-T).',
  'host.vmCapacity': 'How many virtual servers this host can run. Default: 3.',
  vipPrefixLen: 'The prefix length of the VIPs. Default: 24.',
  commands: 'The commands the agent runs for its actions, as argv lists (never a shell).',
  'commands.dbss': "The dbss command as a list, used by the built-in helpers. Default: [dbss].",
  'commands.restart': `Restart a server. Default: systemctl reboot. ${argv('restart')}.`,
  'commands.vipClaim': `Set a VIP. Default: dbss agent vip claim. ${argv('vipClaim')}.`,
  'commands.vipRelease': `Remove a VIP. Default: dbss agent vip release. ${argv('vipRelease')}.`,
  'commands.virtualVipClaim': `Set a VIP on a virtual server. Default: commands.vipClaim. ${argv('virtualVipClaim')}.`,
  'commands.virtualVipRelease': `Remove a VIP from a virtual server. Default: commands.vipRelease. ${argv('virtualVipRelease')}.`,
  'commands.vsResume': `Resume a suspended virtual server. Default: dbss agent vs resume. ${argv('vsResume')}.`,
  'commands.vsSuspend': `Suspend a virtual server. Default: dbss agent vs suspend. ${argv('vsSuspend')}.`,
  'commands.timeoutMs': 'How long a command may take, in ms. Default: 30000.',
  parameters: "Overrides of the protocol's settings (Table 1) by the scenario files' names, times in seconds; the simulator's ranges and relations apply (the parameters table below).",
  testing: 'For the crash test only.',
  'testing.holdFileWriteMs': 'Pause every management-file write after its temporary file, in ms. Default: 0.',
  hardening: `Extensions of the hardened ring: all, none (the paper's method), or a list from ${HARDENINGS.join(', ')}. Default: all.`,
};

/** agentJsonSchema returns agent.yaml's JSON Schema (a fresh object each call). */
export function agentJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(agentConfigSchema, { io: 'input' }) as JsonSchema;
  const props = schema.properties as Record<string, JsonSchema>;
  props.parameters = paramsSchema();
  describe(schema, '');
  return {
    $schema: schema.$schema,
    title: 'dbss agent.yaml',
    description: "The agent's configuration: which server this is, the other management servers, SSH, Wake-on-LAN, chrony, the commands of its actions and the hardened ring's extensions. The agent also checks host names, IPv4 addresses, absolute paths, interface names and command templates, and that parameters agree with each other, when it starts (`dbss agent check` checks all of it, and the files agent.yaml names).",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** paramsSchema: the parameters agent.yaml may override (PARAM_KEYS), each by its scenario name with the scenario's range. */
function paramsSchema(): JsonSchema {
  const infos = new Map(parameterInfos().map((i) => [i.field, i]));
  const properties: Record<string, JsonSchema> = {};
  for (const key of PARAM_KEYS) {
    const info = infos.get(key);
    if (info === undefined) throw new Error(`schema-agent: no rule for ${key}`);
    const { integer, ...range } = info.bounds;
    properties[paramConfigKey(key)] = { type: integer ? 'integer' : 'number', ...range, description: `As in the scenario files: ${info.expected}.` };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** describe sets each key's description from AGENT_KEYS, walking mappings and the entries of servers. */
function describe(node: JsonSchema, path: string): void {
  const props = node.properties as Record<string, JsonSchema> | undefined;
  for (const [key, child] of Object.entries(props ?? {})) {
    const at = path === '' ? key : `${path}.${key}`;
    if (child.description === undefined) {
      const doc = AGENT_KEYS[at];
      if (doc === undefined) throw new Error(`schema-agent: no description for ${at}`);
      child.description = doc;
    }
    describe(child, at);
  }
  const entries = node.additionalProperties;
  if (typeof entries === 'object' && entries !== null && path === 'servers') {
    (entries as JsonSchema).description = AGENT_KEYS['servers.*'];
    describe(entries as JsonSchema, 'servers.*');
  }
}

// docs/agent-reference.md, rendered from agent.yaml's schema (schema-agent.ts) as the scenario's
// reference is from its own (schema-doc.ts): every key at every level, the parameters agent.yaml
// may override with their scenario names, and the daemons the agent can examine, so that the
// document cannot say what the agent does not check: `dbss schema agent --markdown` prints it,
// and a test compares the committed file.
import { PARAM_KEYS, paramConfigKey } from '../agent/config.ts';
import { SERVICE_OF_DAEMON, type ServiceKind } from '../drivers/probes.ts';
import { agentJsonSchema } from './schema-agent.ts';
import { cell, keyTable, parameterTable } from './schema-doc.ts';
import { parameterRows } from './schema-parameters.ts';
import type { JsonSchema } from './schema-scenario.ts';

/** AGENT_REFERENCE_COMMAND writes the reference document. */
export const AGENT_REFERENCE_COMMAND = 'npm run dbss -- schema agent --markdown > docs/agent-reference.md';

/** SERVICE_CHECKS says in words how the agent examines each kind of service (drivers/probes.ts). */
const SERVICE_CHECKS: Record<ServiceKind, string> = {
  ftp: "the FTP server's 220 greeting",
  smtp: "the SMTP server's 220 greeting",
  ssh: 'the SSH identification string (SSH-2.0-...)',
  http: 'GET / answered with a status below 500',
  proxy: 'a GET through the proxy answered with an HTTP status',
};

/** agentReference renders docs/agent-reference.md. */
export function agentReference(): string {
  const schema = agentJsonSchema();
  const props = propertiesOf(schema);
  const mappings = Object.entries(props).filter(([key, node]) => node.properties !== undefined && key !== 'parameters');
  const servers = props.servers?.additionalProperties as JsonSchema;
  const agentNames = new Set(PARAM_KEYS.map(paramConfigKey));
  const sections = [
    '# agent.yaml reference',
    `<!-- Generated from src/config/schema-agent.ts by \`${AGENT_REFERENCE_COMMAND}\`; test/config/schema-agent-doc.test.ts fails when this file differs. Edit the source, not this file. -->`,
    String(schema.description),
    "A configuration directory holds `ring.txt` (the servers in ring order, one per line), one `<Host>.dat` per server (the paper's management data, Fig. 4: VIP, host name, real IP address, MAC, daemons, server type, one per line) and `agent.yaml`, this server's part. `deploy/example/` is a whole directory with a commented `agent.yaml`; `dbss agent check --config DIR` checks one as the agent would read it, and the files it names: the SEM key (at least 32 bytes), the SSH private key (without a passphrase) and known_hosts (a host key for every other server under its management address). The same as a JSON Schema: `dbss schema agent`.",
    '## Top-level keys',
    keyTable(props, schema.required as string[]),
    '## `servers.NAME` (one entry per server of ring.txt)',
    keyTable(propertiesOf(servers), servers.required as string[]),
    ...mappings.flatMap(([key, node]) => [`## \`${key}:\``, keyTable(propertiesOf(node), (node.required as string[] | undefined) ?? [])]),
    '## `parameters:`',
    "The protocol's settings agent.yaml may override, by the names of the scenario files (docs/scenario-reference.md) and in the same units: a time in seconds. The ranges, and the relations between them (an examination fits in the monitoring interval, ...), are the simulator's. When `monitorInterval` is given, `internalMonitorOffset` (half of it) and `heartbeatStale` (one interval) follow it unless given too. `params:` and the names with an S suffix (`monitorIntervalS`) of older files are refused with the new spelling.",
    parameterTable(parameterRows().filter((r) => agentNames.has(r.name)).map((r) => ({ ...r, aliases: [] }))),
    '## Daemons the agent can examine',
    "Line 5 of a `<Host>.dat` names the daemons whose service the manager examines (Sec. 3.2); the agent examines one by speaking its protocol to the server's real address, so a daemon outside this table is refused (deploy/example/README.md: the paper's dovecot).",
    daemonTable(),
  ];
  return `${sections.join('\n\n')}\n`;
}

function daemonTable(): string {
  const kinds = [...new Set(Object.values(SERVICE_OF_DAEMON))];
  const rows = kinds.map((kind) => {
    const daemons = Object.keys(SERVICE_OF_DAEMON).filter((d) => SERVICE_OF_DAEMON[d] === kind);
    return `| ${daemons.map((d) => `\`${d}\``).join(', ')} | ${cell(SERVICE_CHECKS[kind])} |`;
  });
  return ['| daemons | examined by |', '|---|---|', ...rows].join('\n');
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return schema.properties as Record<string, JsonSchema>;
}

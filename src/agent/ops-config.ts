// The part of agent.yaml that concerns the people who run the agent rather than the protocol:
// where `dbss agent status` finds the daemon (a Unix socket), whether and where Prometheus may
// scrape it, and how its lines reach stdout (plain, journald with priorities, or JSON). Kept in
// a file of its own, spread into the schema of config.ts, so that these keys change apart from
// the protocol's. Every value that reaches a bind is checked here: the socket path is a safe
// absolute path short enough for sun_path, the metrics address an IPv4 address.
import { join } from 'node:path';
import * as z from 'zod';
import { isIpv4 } from '../core/model/validate.ts';
import { isSafeAbsolutePath } from '../drivers/paths.ts';

/** LOG_FORMATS: auto is journal when stdout is journald's stream (JOURNAL_STREAM), else plain. */
export const LOG_FORMATS = ['auto', 'plain', 'journal', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_LEVELS in order of severity, sd-daemon's names (debug 7, info 6, warning 4, err 3). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'err'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** STATUS_SOCKET_NAME is the status socket in the state directory when agent.yaml names none. */
export const STATUS_SOCKET_NAME = 'agent.sock';
/** METRICS_PORT is the metrics port when agent.yaml names none. */
export const METRICS_PORT = 9740;
/** MAX_SOCKET_PATH is the longest path a Unix socket may have (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/** OpsConfig is the resolved operations part of agent.yaml. */
export interface OpsConfig {
  statusSocket: string;
  /** metrics is null when off (the default): no port opens unless agent.yaml asks for one. */
  metrics: { address: string; port: number } | null;
  logFormat: LogFormat;
  logLevel: LogLevel;
}

const SOCKET = `an absolute path of letters, digits and . _ @ + - / of at most ${MAX_SOCKET_PATH} characters (a Unix socket)`;
const METRICS_IP = 'an IPv4 address to listen on, such as 127.0.0.1';
const METRICS_PORT_TEXT = 'a port number from 0 (any free port) to 65535';

/** opsShape is spread into agent.yaml's schema (config.ts configShape). */
export const opsShape = {
  statusSocket: z
    .string({ error: SOCKET })
    .refine((p) => isSafeAbsolutePath(p) && Buffer.byteLength(p) <= MAX_SOCKET_PATH, { error: SOCKET })
    .optional(),
  metrics: z
    .strictObject(
      {
        address: z.string({ error: METRICS_IP }).refine(isIpv4, { error: METRICS_IP }).optional(),
        port: z.int({ error: METRICS_PORT_TEXT }).min(0, { error: METRICS_PORT_TEXT }).max(65535, { error: METRICS_PORT_TEXT }).optional(),
      },
      { error: (iss) => (iss.code === 'unrecognized_keys' ? 'one of the keys address, port' : 'a mapping such as { address: 127.0.0.1, port: 9740 }') },
    )
    .optional(),
  logFormat: z.enum(LOG_FORMATS, { error: `one of ${LOG_FORMATS.join(', ')}` }).optional(),
  logLevel: z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')}` }).optional(),
};

/** OPS_KEY_DOCS describes the keys of opsShape for agent.yaml's JSON Schema (schema-agent.ts). */
export const OPS_KEY_DOCS: Record<string, string> = {
  statusSocket: `The Unix socket (mode 0600) on which the daemon serves its status to \`dbss agent status\`. Default: stateDir/${STATUS_SOCKET_NAME}.`,
  metrics: 'The Prometheus metrics endpoint (GET /metrics). Off unless this mapping is given.',
  'metrics.address': 'The IPv4 address it listens on. Default: 127.0.0.1 (loopback only).',
  'metrics.port': `Its TCP port; 0 takes any free port (logged). Default: ${METRICS_PORT}.`,
  logFormat: 'How lines reach stdout: plain (with times), journal (sd-daemon priority prefixes, no times), json (one JSON object a line), or auto (journal when stdout is journald, else plain). The log file stays JSON Lines. Reloaded by SIGHUP. Default: auto.',
  logLevel: 'The least severe lines written to stdout: debug (every examination), info, warning or err. The log file keeps every line. Reloaded by SIGHUP. Default: debug.',
};

type OpsInput = { statusSocket?: string | undefined; metrics?: { address?: string | undefined; port?: number | undefined } | undefined; logFormat?: LogFormat | undefined; logLevel?: LogLevel | undefined };

/** opsOf resolves the operations keys of a checked agent.yaml, with the state directory for the socket's default. */
export function opsOf(v: OpsInput, stateDir: string): OpsConfig {
  return {
    statusSocket: v.statusSocket ?? defaultStatusSocket(stateDir),
    metrics: v.metrics === undefined ? null : { address: v.metrics.address ?? '127.0.0.1', port: v.metrics.port ?? METRICS_PORT },
    logFormat: v.logFormat ?? 'auto',
    logLevel: v.logLevel ?? 'debug',
  };
}

/** defaultStatusSocket is the status socket beside the management files (a memory disk under /run/dbss in the unit). */
export function defaultStatusSocket(stateDir: string): string {
  return join(stateDir, STATUS_SOCKET_NAME);
}

// `dbss agent status [--config DIR | --socket PATH] [--json]`: this server's view, read from the
// running daemon over its status socket (src/agent/status-socket.ts). The socket is the one
// agent.yaml names (statusSocket, default stateDir/agent.sock) or the one given. Exit status 0
// with the view; 3 with one line when no agent answers, as `systemctl status` says of a stopped
// unit (LSB: program is not running); 2 for bad input, as every dbss command.
import { statSync } from 'node:fs';
import { loadAgentDir } from '../config/agent-dir.ts';
import { parseCommandLine } from '../config/command-line.ts';
import { UsageError } from '../config/usage-error.ts';
import { readStatus, StatusUnavailable } from '../agent/status-socket.ts';
import { isSafeAbsolutePath } from '../drivers/paths.ts';
import { isStatusSnapshot, renderStatus } from './status-render.ts';

/** NOT_RUNNING is the exit status when no agent answers on the socket. */
export const NOT_RUNNING = 3;

const USAGE = 'usage: dbss agent status [--config DIR | --socket PATH] [--json]';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine('agent', {
    args: argv,
    options: { config: { type: 'string' }, socket: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    console.log(`${USAGE.replace(/^usage/, 'Usage')}\n\nThis server's view of the ring, read from the running agent's status socket (the one of\nagent.yaml's ops.statusSocket with --config, or the path given); --json prints it as JSON.\n\nExit status: 0 when the agent answered, 2 on bad input, ${NOT_RUNNING} when no agent answers.`);
    return 0;
  }
  if ((values.config === undefined) === (values.socket === undefined)) throw new UsageError(`agent status: give --config DIR or --socket PATH (${USAGE})`);
  if (values.socket !== undefined && (!isSafeAbsolutePath(values.socket) || Buffer.byteLength(values.socket) > 107)) {
    throw new UsageError(`agent status: --socket expects an absolute path of letters, digits and . _ @ + - / (at most 107 bytes), got ${JSON.stringify(values.socket)}`);
  }
  if (values.config?.trim() === '') throw new UsageError(`agent status: --config expects a configuration directory, got an empty string (${USAGE})`);
  const path = values.socket ?? loadAgentDir(values.config as string).config.ops.statusSocket;
  // A path that is there but is no socket is a wrong path, not an agent that stopped.
  const kind = kindOf(path);
  if (kind !== null && kind !== 'a socket') throw new UsageError(`agent status: expected the agent's status socket at ${path}, got ${kind}`);
  let snapshot: unknown;
  try {
    snapshot = await readStatus(path);
  } catch (error) {
    if (!(error instanceof StatusUnavailable)) throw error;
    process.stderr.write(`dbss agent status: ${error.message}\n`);
    return NOT_RUNNING;
  }
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    return 0;
  }
  if ((snapshot as { starting?: boolean }).starting === true) {
    process.stdout.write(`dbss agent ${(snapshot as { server: string }).server} is starting\n`);
    return 0;
  }
  if (!isStatusSnapshot(snapshot)) {
    process.stderr.write(`dbss agent status: the answer on ${path} is not a status snapshot this dbss can read\n`);
    return NOT_RUNNING;
  }
  process.stdout.write(renderStatus(snapshot));
  return 0;
}

/** kindOf names what is at path (null when nothing is): a status socket, or what it wrongly is. */
function kindOf(path: string): 'a socket' | 'a directory' | 'a regular file' | 'a special file' | null {
  try {
    const s = statSync(path);
    return s.isSocket() ? 'a socket' : s.isDirectory() ? 'a directory' : s.isFile() ? 'a regular file' : 'a special file';
  } catch {
    return null;
  }
}

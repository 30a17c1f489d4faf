// The status socket: the daemon answers each connection on a local Unix socket with one JSON
// snapshot (status.ts) and closes it; `dbss agent status` is the client. A Unix socket rather
// than a TCP port, so that only local users the file mode lets in (0600: root, or the agent's
// user) can read who manages whom, and nothing on the network can. A socket file a dead agent
// left behind is replaced; one a live agent answers on, or any file that is not a socket, is not.
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createConnection, createServer, type Server } from 'node:net';
import { isSafeAbsolutePath } from '../drivers/paths.ts';

/** STATUS_SOCKET_MODE lets only the agent's user connect. */
const STATUS_SOCKET_MODE = 0o600;
/** MAX_STATUS_BYTES bounds what the client reads: a ring of a few dozen servers is a few kB. */
const MAX_STATUS_BYTES = 4 * 1024 * 1024;

/** StatusUnavailable is a status socket nobody answers on: the agent is not running (or not allowed). */
export class StatusUnavailable extends Error {
  override readonly name = 'StatusUnavailable';
}

/** StatusServer is a listening status socket. */
export interface StatusServer {
  path: string;
  close(): Promise<void>;
}

function assertSocketPath(path: string): void {
  if (!isSafeAbsolutePath(path) || Buffer.byteLength(path) > 107) throw new TypeError(`invalid status socket path ${JSON.stringify(path)}`);
}

/** serveStatus listens on path (mode 0600) and answers each connection with snapshot() as JSON. */
export async function serveStatus(path: string, snapshot: () => unknown): Promise<StatusServer> {
  assertSocketPath(path);
  // The default is under stateDir, which the file store makes later (with this mode), and a
  // reboot wipes (Sec. 2.4's memory disk).
  await mkdir(dirname(path), { recursive: true, mode: 0o750 });
  await removeStaleSocket(path);
  const server: Server = createServer((conn) => {
    conn.on('error', () => undefined); // a client that went away
    let body: string;
    try {
      body = `${JSON.stringify(snapshot())}\n`;
    } catch (error) {
      body = `${JSON.stringify({ error: (error as Error).message })}\n`;
    }
    conn.end(body);
  });
  // The socket is created with the umask's mode: made 0600 from the start, not chmod-ed after a
  // moment open to all. The umask is the whole process's: it is restored before anything else
  // runs (listen binds a Unix socket at once), or a directory made meanwhile elsewhere would get
  // mode 0600 too, which a root without CAP_DAC_OVERRIDE (the unit's capability set, the lab)
  // cannot enter: the lab's agents failed to start with EACCES on their state directories.
  const umask = process.umask(0o177);
  let listening: Promise<void>;
  try {
    listening = new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  await listening;
  chmodSync(path, STATUS_SOCKET_MODE);
  return {
    path,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())), // Node unlinks the socket file on close
  };
}

/** removeStaleSocket removes a socket file no agent answers on; a live one, or a file of another kind, is an error. */
async function removeStaleSocket(path: string): Promise<void> {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (info === undefined) return;
  if (!info.isSocket()) throw new TypeError(`the status socket path ${path} is taken by a file that is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const conn = createConnection(path, () => {
      conn.destroy();
      resolve(true);
    });
    conn.on('error', () => resolve(false));
  });
  if (live) throw new TypeError(`another agent answers on the status socket ${path}`);
  unlinkSync(path);
}

/**
 * readStatus connects to path and returns the parsed snapshot. A socket that is missing, refuses
 * the connection or may not be opened is StatusUnavailable, with the reason in one line.
 */
export function readStatus(path: string, timeoutMs = 5000): Promise<unknown> {
  assertSocketPath(path);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const conn = createConnection(path);
    conn.setTimeout(timeoutMs, () => conn.destroy(new StatusUnavailable(`the agent did not answer on ${path} within ${timeoutMs} ms`)));
    conn.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_STATUS_BYTES) conn.destroy(new StatusUnavailable(`the answer on ${path} is larger than ${MAX_STATUS_BYTES} bytes`));
      else chunks.push(chunk);
    });
    conn.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof StatusUnavailable) return reject(error);
      const why =
        error.code === 'ENOENT' ? `no status socket at ${path}`
        : error.code === 'ECONNREFUSED' ? `nothing answers on ${path} (a socket left by an agent that stopped)`
        : error.code === 'EACCES' || error.code === 'EPERM' ? `not allowed to open ${path} (mode 0600: run as the agent's user)`
        : `${path}: ${error.code ?? error.message}`;
      const denied = error.code === 'EACCES' || error.code === 'EPERM';
      reject(new StatusUnavailable(`${denied ? "cannot read the agent's status" : 'the agent is not running'}: ${why}`));
    });
    conn.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new StatusUnavailable(`the answer on ${path} is not a status snapshot`));
      }
    });
  });
}

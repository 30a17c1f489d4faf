// A cluster directory on disk: the paper's management data (Sec. 2.4, Fig. 4) of every server of
// a ring, read by scenario files (`cluster:`) and by the agent (its configuration directory).
import { join } from 'node:path';
import type { ClusterServer } from '../core/model/cluster.ts';
import { InputError } from '../core/model/input-error.ts';
import { parseManagementData } from '../core/model/management-data.ts';
import type { ManagementData } from '../core/model/management-data.ts';
import { isHostName } from '../core/model/validate.ts';
import { MAX_DATA_BYTES } from './limits.ts';
import { readText } from './read-text.ts';

/** RING_FILE lists a cluster directory's host names in ring order, one per line. */
export const RING_FILE = 'ring.txt';

/**
 * loadClusterDir reads a cluster directory: `ring.txt` names the hosts in ring order (one per
 * line; blank lines and `#` comments are skipped), and each host has `<Host>.dat`, its
 * management data (Sec. 2.4, Fig. 4). No. is the position in ring.txt. The host name inside a
 * .dat must be its file name, and no two servers may share an address (VIP or IPR) or a MAC.
 * It throws the first problem readClusterDir finds.
 */
export function loadClusterDir(dir: string): ClusterServer[] {
  const read = readClusterDir(dir);
  const first = read.problems[0];
  if (first !== undefined) throw first;
  return read.servers;
}

/** ClusterDirRead is what readClusterDir found: the ring's names (null without a readable ring.txt), the servers whose .dat was read, and every problem. */
export interface ClusterDirRead {
  hosts: string[] | null;
  servers: ClusterServer[];
  problems: InputError[];
}

/**
 * readClusterDir reads a cluster directory as loadClusterDir does but goes on past a bad .dat,
 * so that `dbss agent check` can name every bad file at once; each file gives its first problem.
 */
export function readClusterDir(dir: string): ClusterDirRead {
  const ringPath = join(dir, RING_FILE);
  let hosts: string[];
  try {
    hosts = parseRing(readText(ringPath, 'ring file', 'a readable file naming the hosts in ring order, one per line'), ringPath);
  } catch (e) {
    if (e instanceof InputError) return { hosts: null, servers: [], problems: [e] };
    throw e;
  }
  const owners = new Map<string, { host: string; line: number }>();
  const servers: ClusterServer[] = [];
  const problems: InputError[] = [];
  hosts.forEach((host, i) => {
    const datPath = join(dir, `${host}.dat`);
    try {
      const data = parseManagementData(readText(datPath, 'management data file', 'a readable file of six lines (Fig. 4)', MAX_DATA_BYTES), datPath);
      if (data.hostName !== host) {
        throw new InputError(datPath, 2, 'host name (line 2)', `${host}, the name of the file`, data.hostName);
      }
      checkUnclaimed(data, datPath, owners);
      servers.push({ no: i + 1, data });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e);
    }
  });
  return { hosts, servers, problems };
}

/** parseRing reads ring.txt: one host name per line, each once, at least one. */
function parseRing(text: string, file: string): string[] {
  const hosts: string[] = [];
  const seenAt = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const name = raw.replace(/\r$/, '').replace(/#.*$/, '').trim(); // CRLF line ends are read as LF, as in the .dat files
    if (name === '') return;
    const line = i + 1;
    if (!isHostName(name)) throw new InputError(file, line, 'host name', 'a host name (letters, digits, hyphen, 1-63 characters)', name);
    const earlier = seenAt.get(name);
    if (earlier !== undefined) throw new InputError(file, line, 'host name', `a host not already listed (line ${earlier} has it)`, name);
    seenAt.set(name, line);
    hosts.push(name);
  });
  if (hosts.length === 0) throw new InputError(file, null, 'host names', 'at least one host name, one per line');
  return hosts;
}

/** checkUnclaimed refuses an address or MAC another server of the directory already has. */
function checkUnclaimed(data: ManagementData, file: string, owners: Map<string, { host: string; line: number }>): void {
  const items = [
    { key: `ip:${data.vip}`, value: data.vip, line: 1, field: 'virtual IP address (line 1)' },
    { key: `ip:${data.ipr}`, value: data.ipr, line: 3, field: 'real IP address (line 3)' },
    { key: `mac:${data.mac.toLowerCase()}`, value: data.mac, line: 4, field: 'MAC address (line 4)' },
  ];
  for (const item of items) {
    const owner = owners.get(item.key);
    if (owner !== undefined) {
      const what = item.key.startsWith('mac:') ? 'a MAC address' : 'an address';
      throw new InputError(file, item.line, item.field, `${what} no other server has (${owner.host}.dat line ${owner.line} has it)`, item.value);
    }
    owners.set(item.key, { host: data.hostName, line: item.line });
  }
}

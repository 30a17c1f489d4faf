// The lab's layout: which server sits in which namespace, with which addresses, names and files.
// It copies the experimental system of Sec. 5.1 / Fig. 13: six servers that are each a target
// and a management server, one switch for the clients' service traffic and one for the SEM
// management traffic, a file management server and a client. Everything here is pure, so the
// same names are computed by `up`, `fault`, `status`, `down` and the power controller.
import { join } from 'node:path';
import { isHostName } from '../core/model/validate.ts';
import { isSafeAbsolutePath } from '../drivers/paths.ts';
import type { ServiceKind } from '../drivers/probes.ts';
import { UsageError } from '../config/usage-error.ts';

/** DEFAULT_SERVERS are the six servers of Fig. 13, in the ring order of the operation file (Fig. 4). */
export const DEFAULT_SERVERS: readonly string[] = ['Mail', 'FTP', 'Web1', 'Web2', 'Proxy', 'Login'];

/** DEFAULT_LAB_DIR is on tmpfs, like the paper's management files on a memory disk (Sec. 2.4). */
export const DEFAULT_LAB_DIR = '/run/dbss-lab';

/** INFRA_NS holds the two switches, the client, the time server and the power controller. */
export const INFRA_NS = 'dbss-infra';

/** SERVICE_BRIDGE and MANAGEMENT_BRIDGE are the two switching hubs of Fig. 13, inside INFRA_NS. */
export const SERVICE_BRIDGE = 'br-svc';
export const MANAGEMENT_BRIDGE = 'br-mgt';

/** The lab's addresses, all in 198.18.0.0/15 (RFC 2544's benchmarking range), never routed to the host. */
export const SERVICE_PREFIX = '198.18.0';
export const MANAGEMENT_PREFIX = '198.18.1';
export const PREFIX_LEN = 24;
export const GATEWAY_ADDRESS = '198.18.0.254';
export const CLIENT_ADDRESS = '198.18.0.250';
/** INFRA_MANAGEMENT_ADDRESS is the time server, file management server and power controller. */
export const INFRA_MANAGEMENT_ADDRESS = '198.18.1.254';
export const MANAGEMENT_BROADCAST = '198.18.1.255';
/** WOL_PORT is where the power controller listens for magic packets (the discard port). */
export const WOL_PORT = 9;
/** LAB_ADDRESS_RANGE is what chronyd in the lab serves, and the only range the lab uses. */
export const LAB_ADDRESS_RANGE = '198.18.0.0/15';

/** SERVER_SERVICE_IFACE and SERVER_MANAGEMENT_IFACE are a server's two NICs, inside its namespace. */
export const SERVER_SERVICE_IFACE = 'svc0';
export const SERVER_MANAGEMENT_IFACE = 'mgt0';

/** MAX_SERVERS keeps VIPs (200 + i) below the client's .250. */
export const MAX_SERVERS = 49;

/** LabServer is one server of the lab with every name and address derived from its position. */
export interface LabServer {
  name: string;
  /** index is 1-based: server i has 198.18.0.i, 198.18.1.i and the VIP 198.18.0.(200+i). */
  index: number;
  ns: string;
  serviceAddress: string;
  managementAddress: string;
  vip: string;
  /** serviceMac and managementMac are fixed, locally administered (02:...), so that WOL can name them. */
  serviceMac: string;
  managementMac: string;
  /** serviceIfaceInInfra and managementIfaceInInfra are the bridge ends of the veth pairs. */
  serviceIfaceInInfra: string;
  managementIfaceInInfra: string;
  service: ServiceKind;
  servicePort: number;
}

const PORT_OF: Readonly<Record<ServiceKind, number>> = { ftp: 21, smtp: 25, http: 80, ssh: 22, proxy: 3128 };

/**
 * serviceOf gives each server of Table 1 its service: postfix on Mail, vsftpd on FTP, Apache on
 * the Web servers, squid on Proxy, sshd on Login. Other names get a web server.
 */
export function serviceOf(name: string): ServiceKind {
  const lower = name.toLowerCase();
  if (lower.startsWith('mail')) return 'smtp';
  if (lower.startsWith('ftp')) return 'ftp';
  if (lower.startsWith('proxy')) return 'proxy';
  if (lower.startsWith('login')) return 'ssh';
  return 'http';
}

function mac(kind: number, index: number): string {
  return `02:db:55:0${kind}:00:${index.toString(16).padStart(2, '0')}`;
}

/** labServers validates a server list and derives each server's layout; it refuses duplicates and bad names. */
export function labServers(names: readonly string[]): LabServer[] {
  if (names.length === 0 || names.length > MAX_SERVERS) throw new UsageError(`--servers: give 1 to ${MAX_SERVERS} servers`);
  const seen = new Set<string>();
  return names.map((name, i) => {
    // 10 characters keep "dbss-" + name within a short namespace name.
    if (!isHostName(name) || name.length > 10) throw new UsageError(`--servers: invalid server name ${JSON.stringify(name)} (letters, digits, -; at most 10)`);
    const lower = name.toLowerCase();
    if (lower === 'infra' || seen.has(lower)) throw new UsageError(`--servers: ${JSON.stringify(name)} is reserved or given twice`);
    seen.add(lower);
    const index = i + 1;
    const service = serviceOf(name);
    return {
      name,
      index,
      ns: `dbss-${lower}`,
      serviceAddress: `${SERVICE_PREFIX}.${index}`,
      managementAddress: `${MANAGEMENT_PREFIX}.${index}`,
      vip: `${SERVICE_PREFIX}.${200 + index}`,
      serviceMac: mac(0, index),
      managementMac: mac(1, index),
      serviceIfaceInInfra: `sv${index}`,
      managementIfaceInInfra: `mg${index}`,
      service,
      servicePort: PORT_OF[service],
    };
  });
}

/** parseServerList reads the --servers option: comma-separated names. */
export function parseServerList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** assertLabDir refuses a lab directory that is not a plain absolute path, or is the root or a top-level system directory. */
export function assertLabDir(dir: string): void {
  if (!isSafeAbsolutePath(dir) || dir.split('/').filter((s) => s !== '').length < 2) {
    throw new UsageError(`--dir: expected an absolute path at least two levels deep, such as ${DEFAULT_LAB_DIR}; got ${JSON.stringify(dir)}`);
  }
}

/** LabPaths are the files of one lab, all under its directory, so that `down` finds and removes them. */
export interface LabPaths {
  dir: string;
  stateFile: string;
  pidDir: string;
  logDir: string;
  powerDir: string;
  sshDir: string;
  clientKey: string;
  authorizedKeys: string;
  knownHosts: string;
  chronyDir: string;
  kvmDir: string;
}

export function labPaths(dir: string): LabPaths {
  assertLabDir(dir);
  const sshDir = join(dir, 'ssh');
  return {
    dir,
    stateFile: join(dir, 'lab.json'),
    pidDir: join(dir, 'pids'),
    logDir: join(dir, 'logs'),
    powerDir: join(dir, 'power'),
    sshDir,
    clientKey: join(sshDir, 'client_ed25519'),
    authorizedKeys: join(sshDir, 'authorized_keys'),
    knownHosts: join(sshDir, 'known_hosts'),
    chronyDir: join(dir, 'chrony'),
    kvmDir: join(dir, 'kvm'),
  };
}

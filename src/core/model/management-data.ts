// Management data: one file per target server (e.g. Mail.dat), six items, one per line.
// Sec. 2.4, Fig. 4: "The virtual IP address set for the target server is recorded in the first
// line of the data, and the target server information is recorded in the second to sixth lines."

import { InputError } from './input-error.ts';
import { isDaemonName, isHostName, isIpv4, isMac } from './validate.ts';

/**
 * ServerType selects the weights of the host-selection value (Sec. 3.3). Fig. 4's OCR prints
 * "CPU NET"; the canonical spelling is CPU_NET, and only the three spellings below are accepted.
 */
export type ServerType = 'CPU' | 'NETWORK' | 'CPU_NET';

/** ManagementData is what the management program needs to manage one target server (Fig. 4). */
export interface ManagementData {
  /** vip is line 1: the virtual IP address clients use, moved to the virtual server on failure. */
  vip: string;
  /** hostName is line 2: the target server's name, as in the group file. */
  hostName: string;
  /** ipr is line 3: the real IP address of the target server, used for external monitoring. */
  ipr: string;
  /** mac is line 4: used for Wake-on-LAN when the server must be started forcibly. */
  mac: string;
  /** daemons is line 5: the service daemons, space separated in the file ("postfix dovecot"). */
  daemons: string[];
  /** serverType is line 6. */
  serverType: ServerType;
}

const SERVER_TYPES: readonly ServerType[] = ['CPU', 'NETWORK', 'CPU_NET'];

/** ITEM_COUNT is the number of lines in a management data file (Fig. 4: 1st to 6th line). */
const ITEM_COUNT = 6;

/** ITEMS names each line's field and what it must hold, in file order, for error messages. */
const ITEMS: readonly { field: string; expected: string }[] = [
  { field: 'virtual IP address (line 1)', expected: 'an IPv4 address such as 172.21.14.201' },
  { field: 'host name (line 2)', expected: 'a host name (RFC 1123 label: letters, digits, hyphen, 1-63 characters)' },
  { field: 'real IP address (line 3)', expected: 'an IPv4 address such as 172.21.14.1' },
  { field: 'MAC address (line 4)', expected: 'a MAC address such as 00:00:00:00:00:01' },
  { field: 'service daemons (line 5)', expected: 'one or more daemon names separated by spaces, such as "postfix dovecot"' },
  { field: 'server type (line 6)', expected: 'one of CPU, NETWORK, CPU_NET' },
];

function item(index: number): { field: string; expected: string } {
  const it = ITEMS[index];
  if (it === undefined) throw new Error(`management data has no item ${index + 1}`);
  return it;
}

/**
 * parseManagementData reads a management data file. CRLF line ends, whitespace around a
 * value and blank trailing lines are tolerated; anything else that is not exactly the six
 * items throws an InputError naming the file, the line and the item.
 */
export function parseManagementData(text: string, file: string): ManagementData {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > ITEM_COUNT) {
    const extra = lines[ITEM_COUNT] ?? '';
    throw new InputError(file, ITEM_COUNT + 1, `end of file (line ${ITEM_COUNT + 1})`, `exactly ${ITEM_COUNT} lines`, extra);
  }
  const value = (index: number): string => {
    const v = lines[index];
    if (v === undefined) {
      const it = item(index);
      throw new InputError(file, index + 1, it.field, `${it.expected}, but the file ends after line ${lines.length}`);
    }
    return v;
  };
  const check = (index: number, ok: boolean, got: string): void => {
    if (!ok) {
      const it = item(index);
      const hint = index === 5 && got.replace(/\s+/g, ' ') === 'CPU NET' ? ' (Fig. 4 prints "CPU NET"; write CPU_NET)' : '';
      throw new InputError(file, index + 1, it.field, it.expected + hint, got);
    }
  };

  const vip = value(0);
  check(0, isIpv4(vip), vip);
  const hostName = value(1);
  check(1, isHostName(hostName), hostName);
  const ipr = value(2);
  check(2, isIpv4(ipr), ipr);
  const mac = value(3);
  check(3, isMac(mac), mac);
  const daemonsText = value(4);
  const daemons = daemonsText === '' ? [] : daemonsText.split(/\s+/);
  check(4, daemons.length > 0 && daemons.every(isDaemonName), daemonsText);
  const serverTypeText = value(5);
  check(5, (SERVER_TYPES as readonly string[]).includes(serverTypeText), serverTypeText);

  return { vip, hostName, ipr, mac, daemons, serverType: serverTypeText as ServerType };
}

/**
 * formatManagementData writes the six lines back, one item per line, daemons joined by one
 * space, with a final newline; parseManagementData(formatManagementData(d)) equals d.
 */
export function formatManagementData(d: ManagementData): string {
  // A value that would not parse back is a programming error, not bad input: refuse to write it.
  const valid =
    isIpv4(d.vip) &&
    isHostName(d.hostName) &&
    isIpv4(d.ipr) &&
    isMac(d.mac) &&
    d.daemons.length > 0 &&
    d.daemons.every(isDaemonName) &&
    SERVER_TYPES.includes(d.serverType);
  if (!valid) throw new Error(`formatManagementData: invalid management data ${JSON.stringify(d)}`);
  return [d.vip, d.hostName, d.ipr, d.mac, d.daemons.join(' '), d.serverType].join('\n') + '\n';
}

const dataMaps = new WeakMap<readonly ManagementData[], ReadonlyMap<string, ManagementData>>();

/** dataByHost indexes management data by host; programs handed the same array (a simulated ring's start) share one index, not K of K entries. */
export function dataByHost(data: readonly ManagementData[]): ReadonlyMap<string, ManagementData> {
  let map = dataMaps.get(data);
  if (map === undefined) dataMaps.set(data, (map = new Map(data.map((d) => [d.hostName, d]))));
  return map;
}

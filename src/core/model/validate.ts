// Validators for the values the management data and management files carry (Sec. 2.4, Fig. 4).
// They are shared with the real drivers, which pass these values to external programs as
// argument-array items: a value that passes here contains no space, slash or shell syntax.

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4_RE = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const MAC_RE = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/;
const HOST_NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const DAEMON_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$/;
const DATA_FILE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

/**
 * isIpv4 accepts dotted-quad IPv4 addresses: four decimal octets 0-255, no leading zeros
 * beyond "0" itself (so "010.0.0.1", which some tools read as octal, is refused).
 */
export function isIpv4(text: string): boolean {
  return IPV4_RE.test(text);
}

/** isMac accepts a colon-separated 48-bit MAC address, `aa:bb:cc:dd:ee:ff`, either case (Fig. 4, line 4). */
export function isMac(text: string): boolean {
  return MAC_RE.test(text);
}

/**
 * isHostName accepts one RFC 1123 label: letters, digits and hyphens, 1-63 characters, not
 * starting or ending with a hyphen. Server names ("Mail", "Web1") and virtual server names
 * ("FTPb") are host names; "Web 1" as the paper prints it is not, so the project writes "Web1".
 */
export function isHostName(text: string): boolean {
  return HOST_NAME_RE.test(text);
}

/** isDaemonName accepts a service daemon (unit) name such as "postfix" or "sshd@1" (Fig. 4, line 5). */
export function isDaemonName(text: string): boolean {
  return DAEMON_NAME_RE.test(text);
}

/**
 * isDataFileName accepts a management data file name such as "Mail.dat" (group file, third
 * column). It never contains a slash and never starts with a dot, so it cannot leave the
 * directory the management files live in.
 */
export function isDataFileName(text: string): boolean {
  return DATA_FILE_NAME_RE.test(text);
}

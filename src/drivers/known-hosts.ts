// OpenSSH known_hosts, read so that the SSH driver can refuse a server whose host key it does
// not already know (docs/architecture.md "Safety of the real side": no accept-anything default). A changed
// key is how a man in the middle, or a reinstalled server, shows itself; either way a manager
// must not send it the management files.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** KnownHostEntry is one line: host patterns, key type and key blob, and an optional marker. */
export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | null;
  patterns: string[];
  keyType: string;
  keyBlob: Buffer;
  line: number;
}

/**
 * parseKnownHosts reads OpenSSH known_hosts text. Blank lines, comments and lines it cannot read
 * are skipped, as ssh does; a malformed line never matches anything, so skipping it is safe.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) return;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return;
    const keyBlob = Buffer.from(base64, 'base64');
    if (blobKeyType(keyBlob) !== keyType) return;
    entries.push({ marker, patterns: hosts.split(','), keyType, keyBlob, line: index + 1 });
  });
  return entries;
}

/** blobKeyType reads the key type name that starts every SSH public key blob (RFC 4253 Sec. 6.6). */
export function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** hostLookupName is how OpenSSH names a host in known_hosts: the bare name on port 22, [host]:port otherwise. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * hostMatches applies one line's patterns to a host the way OpenSSH does: any negated pattern
 * that matches excludes the line, otherwise one plain, wildcard or hashed (|1|salt|hash) pattern
 * must match.
 */
export function hostMatches(patterns: readonly string[], lookupName: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const hit = body.startsWith('|1|') ? hashedMatches(body, lookupName) : globMatches(body, lookupName);
    if (hit && negated) return false;
    if (hit) matched = true;
  }
  return matched;
}

function hashedMatches(pattern: string, lookupName: string): boolean {
  const [, , salt64, hash64] = pattern.split('|');
  if (salt64 === undefined || hash64 === undefined) return false;
  const expected = Buffer.from(hash64, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt64, 'base64')).update(lookupName).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

/** HostKeyVerdict is the decision about a key a server presented. */
export type HostKeyVerdict = { ok: true } | { ok: false; reason: string };

/** fingerprint formats a key blob the way ssh-keygen -l does: SHA256:base64 without padding. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** KnownHosts answers which keys a host may present and whether a presented key is one of them. */
export class KnownHosts {
  constructor(private readonly entries: readonly KnownHostEntry[]) {}

  static fromText(text: string): KnownHosts {
    return new KnownHosts(parseKnownHosts(text));
  }

  /** keysFor lists the usable (not revoked, not CA) entries for host:port. */
  keysFor(host: string, port: number): KnownHostEntry[] {
    const name = hostLookupName(host, port);
    return this.entries.filter((e) => e.marker === null && hostMatches(e.patterns, name));
  }

  /**
   * verify accepts blob only if a known_hosts line for host:port holds exactly that key and no
   * @revoked line holds it. An unknown host and a changed key are both refused, with a reason
   * that says which, naming the fingerprints so an operator can check them.
   */
  verify(host: string, port: number, blob: Buffer): HostKeyVerdict {
    const name = hostLookupName(host, port);
    const presented = `${blobKeyType(blob) ?? 'unknown type'} ${fingerprint(blob)}`;
    if (this.entries.some((e) => e.marker === 'revoked' && e.keyBlob.equals(blob))) {
      return { ok: false, reason: `host key of ${name} is revoked in known_hosts (${presented})` };
    }
    const known = this.keysFor(host, port);
    if (known.length === 0) return { ok: false, reason: `host ${name} is not in known_hosts; refusing an unknown host key (${presented})` };
    if (known.some((e) => e.keyBlob.equals(blob))) return { ok: true };
    const expected = known.map((e) => `${e.keyType} ${fingerprint(e.keyBlob)} (line ${e.line})`).join(', ');
    return { ok: false, reason: `HOST KEY CHANGED for ${name}: it presented ${presented}, known_hosts has ${expected}` };
  }

  /** hostKeyAlgorithms lists what to offer for host:port, so that the server presents a key type we know. */
  hostKeyAlgorithms(host: string, port: number): string[] {
    const algorithms: string[] = [];
    for (const e of this.keysFor(host, port)) {
      const offered = e.keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [e.keyType];
      for (const a of offered) if (!algorithms.includes(a)) algorithms.push(a);
    }
    return algorithms;
  }
}

import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KnownHosts, fingerprint, hostLookupName, parseKnownHosts } from '../../src/drivers/known-hosts.ts';
import { generateEd25519, publicBlob } from './helpers/ssh-test-server.ts';

const keyA = generateEd25519();
const keyB = generateEd25519();
const blobA = publicBlob(keyA.public);
const blobB = publicBlob(keyB.public);
const line = (hosts: string, blob: Buffer): string => `${hosts} ssh-ed25519 ${blob.toString('base64')}`;

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('names a host as OpenSSH does: bare on port 22, [host]:port otherwise', () => {
    expect(hostLookupName('198.18.1.3', 22)).toBe('198.18.1.3');
    expect(hostLookupName('198.18.1.3', 2222)).toBe('[198.18.1.3]:2222');
  });

  it('reads plain, bracketed and hashed host patterns, skipping comments and lines whose key type lies', () => {
    const text = [
      '# lab servers',
      line('FTP,198.18.1.3', blobA),
      line('[127.0.0.1]:2222', blobB),
      line(hashed('Mail'), blobA),
      `Web1 ssh-rsa ${blobA.toString('base64')}`,
      '',
    ].join('\n');

    const entries = parseKnownHosts(text);

    expect(entries.map((e) => e.patterns)).toEqual([['FTP', '198.18.1.3'], ['[127.0.0.1]:2222'], [expect.stringMatching(/^\|1\|/)]]);
    expect(entries[0]?.line).toBe(2);
  });

  it('accepts the known key of a host and refuses an unknown host', () => {
    const known = KnownHosts.fromText(line('FTP,198.18.1.3', blobA));

    expect(known.verify('198.18.1.3', 22, blobA)).toEqual({ ok: true });
    expect(known.verify('198.18.1.4', 22, blobA)).toEqual({ ok: false, reason: expect.stringMatching(/198\.18\.1\.4 is not in known_hosts/) });
  });

  it('refuses a changed key and names both fingerprints', () => {
    const known = KnownHosts.fromText(line('FTP', blobA));

    const verdict = known.verify('FTP', 22, blobB);

    expect(verdict.ok).toBe(false);
    const reason = verdict.ok ? '' : verdict.reason;
    expect(reason).toMatch(/^HOST KEY CHANGED for FTP/);
    expect(reason).toContain(fingerprint(blobB));
    expect(reason).toContain(fingerprint(blobA));
  });

  it('keeps the key of one port from vouching for another port of the same host', () => {
    const known = KnownHosts.fromText(line('[127.0.0.1]:2222', blobA));

    expect(known.verify('127.0.0.1', 2222, blobA).ok).toBe(true);
    expect(known.verify('127.0.0.1', 22, blobA).ok).toBe(false);
    expect(known.verify('127.0.0.1', 2223, blobA).ok).toBe(false);
  });

  it('matches hashed entries', () => {
    const known = KnownHosts.fromText(line(hashed('[127.0.0.1]:2222'), blobA));

    expect(known.verify('127.0.0.1', 2222, blobA).ok).toBe(true);
    expect(known.verify('127.0.0.2', 2222, blobA).ok).toBe(false);
  });

  it('honours wildcards and negation', () => {
    const known = KnownHosts.fromText(line('198.18.1.*,!198.18.1.9', blobA));

    expect(known.verify('198.18.1.3', 22, blobA).ok).toBe(true);
    expect(known.verify('198.18.1.9', 22, blobA).ok).toBe(false);
  });

  it('refuses a revoked key even when another line lists it for the host', () => {
    const known = KnownHosts.fromText([line('FTP', blobA), `@revoked * ssh-ed25519 ${blobA.toString('base64')}`].join('\n'));

    expect(known.verify('FTP', 22, blobA)).toEqual({ ok: false, reason: expect.stringMatching(/revoked/) });
  });

  it('offers only the host key algorithms that known_hosts has for the host', () => {
    const rsaBlob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from([0, 0, 0, 1, 1])]);
    const known = KnownHosts.fromText([line('FTP', blobA), `FTP ssh-rsa ${rsaBlob.toString('base64')}`].join('\n'));

    expect(known.hostKeyAlgorithms('FTP', 22)).toEqual(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(known.hostKeyAlgorithms('Mail', 22)).toEqual([]);
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirshKvm, isDomainName } from '../../src/drivers/kvm.ts';
import { type FakeBin, makeFakeBin } from './helpers/fake-bin.ts';
import { FAKE_VIRSH } from './helpers/fake-virsh.ts';

const URI = 'qemu:///system';

describe('the KVM driver through virsh', () => {
  let bin: FakeBin;
  let kvm: VirshKvm;

  async function setDomains(domains: Record<string, string>, staleOnce: Record<string, string> = {}): Promise<void> {
    await writeFile(join(bin.dir, 'domains.json'), JSON.stringify({ domains, staleOnce }));
  }
  async function domains(): Promise<Record<string, string>> {
    return (JSON.parse(await readFile(join(bin.dir, 'domains.json'), 'utf8')) as { domains: Record<string, string> }).domains;
  }
  /** commands lists the virsh subcommands run, without the -c URI every call carries. */
  async function commands(): Promise<string[]> {
    const calls = await bin.calls('virsh');
    for (const call of calls) expect(call.slice(0, 2)).toEqual(['-c', URI]);
    return calls.map((call) => call.slice(2).join(' '));
  }

  beforeEach(async () => {
    bin = await makeFakeBin();
    await bin.add('virsh', FAKE_VIRSH);
    kvm = new VirshKvm({ uri: URI, env: bin.env });
  });
  afterEach(async () => {
    await bin.cleanup();
  });

  it('resumes a suspended virtual server and reports the change (function recovery, Fig. 14)', async () => {
    await setDomains({ FTPb: 'paused' });

    const result = await kvm.resume('FTPb');

    expect(result).toEqual({ changed: true, state: 'running' });
    expect(await domains()).toEqual({ FTPb: 'running' });
    expect(await commands()).toEqual(['domstate --domain FTPb', 'resume --domain FTPb', 'domstate --domain FTPb']);
  });

  it('treats resuming a running domain as done, without calling resume', async () => {
    await setDomains({ FTPb: 'running' });

    expect(await kvm.resume('FTPb')).toEqual({ changed: false, state: 'running' });
    expect(await commands()).toEqual(['domstate --domain FTPb']);
  });

  it('treats suspending a paused domain as done', async () => {
    await setDomains({ FTPb: 'paused' });

    expect(await kvm.suspend('FTPb')).toEqual({ changed: false, state: 'paused' });
  });

  it('suspends a running domain back to its waiting state', async () => {
    await setDomains({ FTPb: 'running' });

    expect(await kvm.suspend('FTPb')).toEqual({ changed: true, state: 'paused' });
  });

  it('treats destroying a shut-off or unknown domain as done', async () => {
    await setDomains({ FTPb: 'shut off' });

    expect(await kvm.destroy('FTPb')).toEqual({ changed: false, state: 'shut off' });
    expect(await kvm.destroy('Gone')).toEqual({ changed: false, state: 'absent' });
  });

  it('starts a shut-off domain and leaves an active one alone', async () => {
    await setDomains({ FTPb: 'shut off', Mailb: 'paused' });

    expect(await kvm.start('FTPb')).toEqual({ changed: true, state: 'running' });
    expect(await kvm.start('Mailb')).toEqual({ changed: false, state: 'paused' });
  });

  it('refuses to resume a shut-off domain with a message naming its state', async () => {
    await setDomains({ FTPb: 'shut off' });

    await expect(kvm.resume('FTPb')).rejects.toThrow('cannot resume domain FTPb: it is shut off');
  });

  it('reads an unknown domain as absent rather than failing', async () => {
    await setDomains({});

    expect(await kvm.domstate('Nope')).toBe('absent');
    await expect(kvm.suspend('Nope')).rejects.toThrow('cannot suspend domain Nope: it is absent');
  });

  it('accepts a virsh error when the domain reached the goal in between (another manager was faster)', async () => {
    // domstate says paused once (stale), but the domain is already running when resume runs.
    await setDomains({ FTPb: 'running' }, { FTPb: 'paused' });

    expect(await kvm.resume('FTPb')).toEqual({ changed: false, state: 'running' });
    expect(await commands()).toEqual(['domstate --domain FTPb', 'resume --domain FTPb', 'domstate --domain FTPb']);
  });

  it('defines a domain from an XML file and undefines it idempotently', async () => {
    const xmlPath = join(bin.dir, 'FTPb.xml');
    await writeFile(xmlPath, '<domain type="kvm"><name>FTPb</name></domain>\n');
    await setDomains({});

    await kvm.define(xmlPath);
    expect(await domains()).toEqual({ FTPb: 'shut off' });
    expect(await kvm.undefine('FTPb')).toEqual({ changed: true, state: 'absent' });
    expect(await kvm.undefine('FTPb')).toEqual({ changed: false, state: 'absent' });
    expect((await commands())[0]).toBe(`define --file ${xmlPath}`);
  });

  it('refuses domain names, paths and URIs that could be read as options or shell syntax, before running virsh', async () => {
    await setDomains({});

    await expect(kvm.resume('FTPb; reboot')).rejects.toThrow(/invalid domain name/);
    await expect(kvm.resume('--all')).rejects.toThrow(/invalid domain name/);
    await expect(kvm.define('relative.xml')).rejects.toThrow(/invalid domain XML path/);
    await expect(kvm.define('/tmp/../etc/x.xml')).rejects.toThrow(/invalid domain XML path/);
    expect(() => new VirshKvm({ uri: 'qemu:///system; id' })).toThrow(/invalid libvirt URI/);
    expect(await bin.calls('virsh')).toEqual([]);
  });

  it('stops waiting for a virsh that hangs', async () => {
    await bin.add('virsh', '#!/bin/sh\nexec sleep 30\n');

    await expect(kvm.domstate('FTPb', { timeoutMs: 200 })).rejects.toThrow(/no answer within 200 ms/);
  });
});

describe('domain names', () => {
  it("accepts the names of the paper's virtual servers and refuses the rest", () => {
    expect(isDomainName('FTPb')).toBe(true);
    expect(isDomainName('Web1b')).toBe(true);
    expect(isDomainName('vs_ftp-1.0')).toBe(true);
    expect(isDomainName('a'.repeat(64))).toBe(true);
    expect(isDomainName('a'.repeat(65))).toBe(false);
    expect(isDomainName('')).toBe(false);
    expect(isDomainName('-x')).toBe(false);
    expect(isDomainName('a b')).toBe(false);
    expect(isDomainName('a/b')).toBe(false);
    expect(isDomainName('$(id)')).toBe(false);
  });
});

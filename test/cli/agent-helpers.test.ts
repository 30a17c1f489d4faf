// The helpers the agent's default command templates run at every failover (`dbss agent vip` and
// `dbss agent vs`): an action that fails (no such interface, no such domain, no virsh) exits 1 with
// one line naming the action and the cause, which the agent logs; never "internal error".
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeFakeBin } from '../drivers/helpers/fake-bin.ts';

const DBSS = join(import.meta.dirname, '../../bin/dbss.js');

const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

function dbss(...args: string[]): { status: number | null; stderr: string } {
  return dbssWithPath(SYSTEM_PATH, ...args);
}

function dbssWithPath(path: string, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [DBSS, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: path } });
  return { status: r.status, stderr: r.stderr };
}

describe('dbss agent vip and vs helpers', () => {
  test('a VIP claim on an interface that does not exist exits 1 with one line naming the claim', () => {
    const r = dbss('agent', 'vip', 'claim', '198.18.0.9/24', 'dbss-nosuchif');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: dbss agent vip claim 198\.18\.0\.9\/24 dbss-nosuchif: /);
    expect(r.stderr).not.toContain('internal error');
  });

  test('resuming a domain that does not exist (or without libvirt) exits 1 with one line naming the resume', () => {
    const r = dbss('agent', 'vs', 'resume', 'dbss-no-such-domain', '--uri', 'qemu:///system');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: dbss agent vs resume dbss-no-such-domain: /);
  });

  test('a virsh that cannot reach libvirtd and says so on two lines still gives one line', async () => {
    const bin = await makeFakeBin();
    try {
      await bin.add('virsh', '#!/bin/sh\necho "error: failed to connect to the hypervisor" >&2\necho "error: Failed to connect socket" >&2\nexit 1\n');
      const r = dbssWithPath(`${bin.dir}:${SYSTEM_PATH}`, 'agent', 'vs', 'resume', 'dbss-vs-FTPb');
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('failed to connect to the hypervisor; error: Failed to connect socket');
    } finally {
      await bin.cleanup();
    }
  });

  test('a malformed VIP or domain name is bad input: exit 2 and the usage line', () => {
    expect(dbss('agent', 'vip', 'claim', '198.18.0.9', 'eth0')).toEqual({ status: 2, stderr: 'error: usage: dbss agent vip claim|release VIP/PREFIX IFACE\n' });
    expect(dbss('agent', 'vs', 'resume', '-x')).toMatchObject({ status: 2 });
  });
});

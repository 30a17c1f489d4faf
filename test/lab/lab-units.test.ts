// The lab's pure parts, which need neither root nor a network: the layout of Fig. 13, the magic
// packet the power controller reads, the initramfs archive and the domain definition. The last
// test runs the CLI as an unprivileged user and expects one clear line and status 2.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { magicPacket } from '../../src/drivers/wol.ts';
import { cpioArchive } from '../../src/lab/cpio.ts';
import { DEFAULT_SERVERS, assertLabDir, labServers } from '../../src/lab/layout.ts';
import { macOfMagicPacket } from '../../src/lab/magic-packet.ts';
import { domainXml, type GuestDomain } from '../../src/lab/tiny-guest.ts';
import { guestDomainOf, labGuests, uuidOf } from '../../src/lab/virtual-servers.ts';
import { isDomainName } from '../../src/drivers/kvm.ts';
import { virtualServerName } from '../../src/core/dbss/function-recovery.ts';
import { isRoot } from './leftovers.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

describe('lab layout (Sec. 5.1, Fig. 13)', () => {
  test('the six servers get 198.18.0.i, 198.18.1.i, VIP 198.18.0.(200+i), their namespace and their service', () => {
    const servers = labServers(DEFAULT_SERVERS);
    expect(servers.map((s) => [s.name, s.ns, s.serviceAddress, s.managementAddress, s.vip, s.service])).toEqual([
      ['Mail', 'dbss-mail', '198.18.0.1', '198.18.1.1', '198.18.0.201', 'smtp'],
      ['FTP', 'dbss-ftp', '198.18.0.2', '198.18.1.2', '198.18.0.202', 'ftp'],
      ['Web1', 'dbss-web1', '198.18.0.3', '198.18.1.3', '198.18.0.203', 'http'],
      ['Web2', 'dbss-web2', '198.18.0.4', '198.18.1.4', '198.18.0.204', 'http'],
      ['Proxy', 'dbss-proxy', '198.18.0.5', '198.18.1.5', '198.18.0.205', 'proxy'],
      ['Login', 'dbss-login', '198.18.0.6', '198.18.1.6', '198.18.0.206', 'ssh'],
    ]);
    expect(new Set(servers.map((s) => s.managementMac)).size).toBe(6);
  });

  test('server names with shell syntax, duplicates, the reserved name and bad lab directories are refused', () => {
    expect(() => labServers(['Mail', 'mail'])).toThrow(/given twice/);
    expect(() => labServers(['infra'])).toThrow(/reserved/);
    expect(() => labServers(['a;rm -rf /'])).toThrow(/invalid server name/);
    expect(() => labServers([])).toThrow(/1 to 49/);
    expect(() => assertLabDir('/')).toThrow();
    expect(() => assertLabDir('/run')).toThrow();
    expect(() => assertLabDir('/run/../etc')).toThrow();
    expect(() => assertLabDir('/run/dbss lab')).toThrow();
    expect(() => assertLabDir('/run/dbss-lab')).not.toThrow();
  });
});

describe('magic packet (Sec. 2.1, Wake-on-LAN)', () => {
  test('the power controller reads back the MAC of a packet built by the WOL driver', () => {
    expect(macOfMagicPacket(magicPacket('02:DB:55:01:00:03'))).toBe('02:db:55:01:00:03');
  });

  test('a short packet, a missing sync stream or a differing copy is not a magic packet', () => {
    const packet = magicPacket('02:db:55:01:00:03');
    expect(macOfMagicPacket(packet.subarray(0, 101))).toBeNull();
    const noSync = Buffer.from(packet);
    noSync[0] = 0;
    expect(macOfMagicPacket(noSync)).toBeNull();
    const badCopy = Buffer.from(packet);
    badCopy[101] = (badCopy[101] ?? 0) ^ 1;
    expect(macOfMagicPacket(badCopy)).toBeNull();
  });
});

describe('tiny guest', () => {
  test('the initramfs archive is newc cpio that cpio(1) lists, device node included', () => {
    const archive = cpioArchive([
      { kind: 'dir', path: 'dev' },
      { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
      { kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { kind: 'symlink', path: 'sh', target: 'init' },
    ]);
    expect(archive.subarray(0, 6).toString('latin1')).toBe('070701');
    expect(archive.length % 4).toBe(0);
    const listed = spawnSync('cpio', ['-itv', '--quiet'], { input: archive, encoding: 'utf8' });
    if (listed.error !== undefined) return; // cpio(1) is not installed; the format check above stands.
    expect(listed.stdout).toMatch(/^crw-------.* 5, +1 .*dev\/console$/m);
    expect(listed.stdout).toMatch(/^-rwxr-xr-x.* init$/m);
    expect(listed.stdout).toMatch(/^lrwxrwxrwx.* sh -> init$/m);
  });

  test('the domain XML has a fixed UUID, no network when asked for none, and refuses quotes in paths', () => {
    const guest: GuestDomain = {
      name: 'dbss-x',
      uuid: uuidOf('dbss-x'),
      accel: 'kvm',
      memoryMiB: 128,
      kernelPath: '/boot/vmlinuz-6.1.0-1-amd64',
      initrdPath: '/run/x/initrd.gz',
      consoleLogPath: '/run/x/console.log',
      controlSocketPath: null,
      address: '198.18.0.101',
      prefixLen: 24,
      service: { kind: 'ftp', port: 21 },
      nic: null,
    };
    const xml = domainXml(guest);
    expect(xml).toContain(`<uuid>${uuidOf('dbss-x')}</uuid>`);
    expect(uuidOf('dbss-x')).toBe(uuidOf('dbss-x'));
    expect(xml).not.toContain('<interface');
    expect(xml).toContain('dbss.ip=198.18.0.101/24');
    expect(xml).toContain('dbss.service=ftp dbss.port=21');
    expect(() => domainXml({ ...guest, initrdPath: "/run/x/'><evil/>" })).toThrow(/refusing/);
    expect(() => domainXml({ ...guest, service: { kind: 'ssh' as 'ftp', port: 22 } })).toThrow(/invalid guest service/);
  });

  test("each target whose protocol a busybox guest can serve gets its own virtual server, named as the core names it, with a unique address, MAC and tap", () => {
    const guests = labGuests(labServers(DEFAULT_SERVERS));
    expect(guests.map((g) => [g.target, g.domain, g.address, g.service, g.port])).toEqual([
      ['Mail', 'dbss-vs-Mailb', '198.18.0.111', 'smtp', 25],
      ['FTP', 'dbss-vs-FTPb', '198.18.0.112', 'ftp', 21],
      ['Web1', 'dbss-vs-Web1b', '198.18.0.113', 'http', 80],
      ['Web2', 'dbss-vs-Web2b', '198.18.0.114', 'http', 80],
    ]);
    expect(new Set(guests.map((g) => g.mac)).size).toBe(4);
    expect(guests.every((g) => g.tap.length <= 15 && isDomainName(g.domain))).toBe(true);
    expect(guestDomainOf(virtualServerName('FTP'))).toBe('dbss-vs-FTPb');
  });
});

describe.skipIf(!isRoot())('dbss lab as an unprivileged user', () => {
  test('refuses with one clear line and status 2', () => {
    const loader = join(HERE, '../../node_modules/tsx/dist/loader.mjs');
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, '--import', loader, join(HERE, 'fixtures/lab-cli.ts'), 'status'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' },
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['error: dbss lab must run as root (it creates network namespaces, bridges and libvirt domains)']);
  });
});

describe('reading the agents\' JSON lines while they write', () => {
  test('a record still being written and a line cut by a power-off are skipped; whole lines are read in order', async () => {
    const { wholeJsonLines } = await import('./agents-lab.ts');
    const text = '{"n":1}\n{"n":2,"te\n{"n":3}\n{"n":4,"text":"und';

    expect(wholeJsonLines<{ n: number }>(text)).toEqual([{ n: 1 }, { n: 3 }]);
  });
});

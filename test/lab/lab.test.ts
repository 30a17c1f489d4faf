// The lab of real processes (issue 5, item 3), laid out like the paper's experimental system
// (Sec. 5.1, Fig. 13). Root only: it makes namespaces, bridges and daemons on this machine.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ipIn, namespacePids } from '../../src/lab/netns.ts';
import { probeFromInfra, probeTargetOf, sshFrom, wolFrom } from '../../src/lab/in-namespace.ts';
import { DEFAULT_SERVERS, labPaths, labServers } from '../../src/lab/layout.ts';
import { labDown } from '../../src/lab/lab-down.ts';
import { labFault } from '../../src/lab/lab-fault.ts';
import { chronyVerdict, labStatus } from '../../src/lab/lab-status.ts';
import { labUp } from '../../src/lab/lab-up.ts';
import { isServiceProcessRunning, startService } from '../../src/lab/server-power.ts';
import { isRoot, leftovers } from './leftovers.ts';
import { VirshKvm } from '../../src/drivers/kvm.ts';
import { kvmAvailability, LIBVIRT_URI } from '../../src/lab/kvm-availability.ts';
import { controlSocketOf, guestProbeTarget, labGuests } from '../../src/lab/virtual-servers.ts';
import { guestAddresses, guestVip } from '../../src/lab/guest-control.ts';

const LAB_DIR = '/run/dbss-lab-test';
const BOOT_DELAY_MS = 2000;
const paths = labPaths(LAB_DIR);
const servers = labServers(DEFAULT_SERVERS);
const byName = (name: string) => servers.find((s) => s.name === name)!;
const log = (line: string): void => void process.stdout.write(`    lab: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!isRoot()) console.warn('test/lab/lab.test.ts: skipped, the lab needs root (namespaces, bridges, daemons)');

const kvm = isRoot() ? await kvmAvailability() : { usable: false as const, missing: ['root'] };
if (isRoot() && !kvm.usable) console.warn(`test/lab/lab.test.ts: the lab runs without its virtual server, missing ${kvm.missing.join('; ')}`);

const upOptions = { dir: LAB_DIR, servers: [...DEFAULT_SERVERS], bootDelayMs: BOOT_DELAY_MS, onBoot: null, kvm: kvm.usable, vmAccel: 'auto' as const, readyTimeoutMs: 30_000, log };

describe.skipIf(!isRoot())('dbss lab after a failed up', () => {
  afterAll(() => labDown({ dir: LAB_DIR, log }));

  test('lab down after an up that failed half-way leaves no namespace, process, domain or address', async () => {
    // Arrange: clean slate, then an up that fails when it starts the first server's boot hook.
    await labDown({ dir: LAB_DIR, log });
    await expect(labUp({ ...upOptions, onBoot: '/nonexistent/dbss-hook' })).rejects.toThrow(/onboot|nonexistent/i);
    expect((await leftovers(LAB_DIR)).length).toBeGreaterThan(0);
    // Act
    await labDown({ dir: LAB_DIR, log });
    // Assert
    expect(await leftovers(LAB_DIR)).toEqual([]);
    expect(existsSync(LAB_DIR)).toBe(false);
  });
});

describe.skipIf(!isRoot())('dbss lab', () => {
  beforeAll(async () => {
    await labDown({ dir: LAB_DIR, log });
    await labUp(upOptions);
  });
  // Runs even when a test failed half-way, so that the host is left as it was found.
  afterAll(() => labDown({ dir: LAB_DIR, log }));

  test('every server answers ping and its service probe from dbss-infra, at its own address and at its VIP', async () => {
    const reports = await probeFromInfra([...servers.map((s) => probeTargetOf(s)), ...servers.map((s) => probeTargetOf(s, true))]);
    for (const r of reports) {
      expect(r.ping.ok, `${r.name} ${r.address}: ${r.ping.detail}`).toBe(true);
      expect(r.service.ok, `${r.name} ${r.address}: ${r.service.detail}`).toBe(true);
    }
    expect(reports).toHaveLength(2 * servers.length);
  });

  test('ssh into a server works with known_hosts checking; an unknown host and a changed host key are refused', async () => {
    const ftp = byName('FTP');
    const ok = await sshFrom('dbss-infra', paths, ftp.serviceAddress, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'svc0']);
    expect(ok.ok, ok.error).toBe(true);
    expect(ok.stdout).toContain(ftp.vip);
    // The VIP is not in known_hosts: the driver refuses to talk to an unknown host.
    const refused = await sshFrom('dbss-infra', paths, ftp.vip, ['true']);
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/HostKeyError.*not in known_hosts/);
    // A known_hosts that gives FTP's addresses Mail's key: FTP's real key is then a changed key.
    const mail = byName('Mail');
    const lines = (await readFile(paths.knownHosts, 'utf8')).split('\n');
    const mailKey = lines.find((l) => l.startsWith(`${mail.serviceAddress},`))!.split(' ').slice(1).join(' ');
    const forged = join(paths.dir, 'known_hosts.forged');
    await writeFile(forged, `${ftp.serviceAddress} ${mailKey}\n`);
    const changed = await sshFrom('dbss-infra', paths, ftp.serviceAddress, ['true'], { knownHostsPath: forged });
    expect(changed.ok).toBe(false);
    expect(changed.error).toMatch(/HOST KEY CHANGED/);
  });

  test('chrony in a server namespace reports synchronised to the lab time server within a minute', async () => {
    const mail = byName('Mail');
    const deadlineMs = Date.now() + 60_000;
    let verdict = await chronyVerdict(paths, mail);
    while (!verdict.ok && Date.now() < deadlineMs) {
      await sleep(1000);
      verdict = await chronyVerdict(paths, mail);
    }
    expect(verdict.ok, verdict.detail).toBe(true);
    expect(verdict.detail).toContain('198.18.1.254');
  });

  test('St kills only the service: the server still answers ping and ssh, the other servers are untouched', async () => {
    const ftp = byName('FTP');
    await labFault({ dir: LAB_DIR, server: 'FTP', fault: 'St', log });
    try {
      const [own, ...others] = await probeFromInfra([probeTargetOf(ftp), ...servers.filter((s) => s !== ftp).map((s) => probeTargetOf(s))]);
      expect(own?.ping.ok).toBe(true);
      expect(own?.service.ok).toBe(false);
      expect(await isServiceProcessRunning(paths, ftp)).toBe(false);
      for (const r of others) expect(r.service.ok, `${r.name}: ${r.service.detail}`).toBe(true);
      expect((await sshFrom('dbss-infra', paths, ftp.serviceAddress, ['true'])).ok).toBe(true);
    } finally {
      await startService(paths, ftp);
    }
    const [again] = await probeFromInfra([probeTargetOf(ftp)]);
    expect(again?.service.ok).toBe(true);
  });

  test('Nt makes a server unreachable, and a magic packet from another server namespace boots it back', async () => {
    const web1 = byName('Web1');
    await labFault({ dir: LAB_DIR, server: 'Web1', fault: 'Nt', log });
    const [down] = await probeFromInfra([probeTargetOf(web1)], 1000);
    expect(down?.ping.ok).toBe(false);
    expect(down?.service.ok).toBe(false);
    expect(await namespacePids(web1.ns)).toEqual([]);
    expect((await labStatus(LAB_DIR)).servers.find((s) => s.name === 'Web1')?.power).toBe('off');

    const sentMs = Date.now();
    await wolFrom('dbss-mail', web1.managementMac);
    let back = false;
    while (!back && Date.now() - sentMs < BOOT_DELAY_MS + 20_000) {
      const [r] = await probeFromInfra([probeTargetOf(web1)], 1000);
      back = r?.ping.ok === true && r.service.ok;
    }
    const bootMs = Date.now() - sentMs;
    log(`Web1 answered again ${bootMs} ms after the magic packet (boot delay ${BOOT_DELAY_MS} ms)`);
    expect(back).toBe(true);
    expect(bootMs).toBeGreaterThanOrEqual(BOOT_DELAY_MS);
    expect((await labStatus(LAB_DIR)).servers.find((s) => s.name === 'Web1')?.power).toBe('on');
  });

  test.skipIf(!kvm.usable)("every target's virtual server waits suspended and silent after up; resumed, Web1b answers HTTP at once; suspended again it is silent", async () => {
    const virsh = new VirshKvm({ uri: LIBVIRT_URI });
    const guests = labGuests(servers);
    expect(await Promise.all(guests.map((g) => virsh.domstate(g.domain)))).toEqual(guests.map(() => 'paused'));
    const web1b = guests.find((g) => g.target === 'Web1')!;
    const [paused] = await probeFromInfra([guestProbeTarget(web1b)], 1000);
    expect(paused?.service.ok).toBe(false);

    const resumedAtMs = Date.now();
    await virsh.resume(web1b.domain);
    let answered = false;
    while (!answered && Date.now() - resumedAtMs < 15_000) {
      const [r] = await probeFromInfra([guestProbeTarget(web1b)], 1000);
      answered = r?.service.ok === true;
    }
    log(`virtual server ${web1b.vsName} answered ${Date.now() - resumedAtMs} ms after resume (Table 1: 1.52 s to activate a suspended virtual server)`);
    expect(answered).toBe(true);
    await virsh.suspend(web1b.domain);
    const [again] = await probeFromInfra([guestProbeTarget(web1b)], 1000);
    expect(again?.service.ok).toBe(false);
  });

  test.skipIf(!kvm.usable)("FTP's virtual server takes over FTP's VIP: the client reaches its FTP greeting there until it gives the VIP back", async () => {
    // Arrange: FTP's VIP moves off FTP, as a manager does before setting it on the virtual server.
    const ftp = byName('FTP');
    const ftpb = labGuests(servers).find((g) => g.target === 'FTP')!;
    const virsh = new VirshKvm({ uri: LIBVIRT_URI });
    const socket = controlSocketOf(paths.kvmDir, ftpb.domain);
    await ipIn(ftp.ns, ['addr', 'del', `${ftp.vip}/24`, 'dev', 'svc0']);
    await virsh.resume(ftpb.domain);
    try {
      // Act
      expect(await guestVip(socket, 'add', ftp.vip)).toBe(`ok vip-add ${ftp.vip}/24`);
      // Assert: the greeting at FTP's VIP is the guest's, and the guest says it holds the VIP.
      const [held] = await probeFromInfra([{ ...guestProbeTarget(ftpb), address: ftp.vip }]);
      expect(held?.service.ok, held?.service.detail).toBe(true);
      expect(held?.service.detail).toContain('FTPb dbss lab guest');
      expect(await guestAddresses(socket)).toEqual([ftpb.address, ftp.vip]);
      await guestVip(socket, 'del', ftp.vip);
      expect(await guestAddresses(socket)).toEqual([ftpb.address]);
      const [released] = await probeFromInfra([{ ...guestProbeTarget(ftpb), address: ftp.vip }], 1000);
      expect(released?.ping.ok).toBe(false);
      await expect(guestVip(socket, 'add', '10.0.0.1')).rejects.toThrow(/not a lab VIP/);
    } finally {
      await virsh.suspend(ftpb.domain);
      await ipIn(ftp.ns, ['addr', 'replace', `${ftp.vip}/24`, 'dev', 'svc0']);
    }
  });

  test('lab down leaves no namespace, process, domain or address, and a second down changes nothing', async () => {
    await labDown({ dir: LAB_DIR, log });
    expect(await leftovers(LAB_DIR)).toEqual([]);
    await labDown({ dir: LAB_DIR, log });
    expect(await leftovers(LAB_DIR)).toEqual([]);
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VipConflictError, VipDriver, classifyArping, isInterfaceName } from '../../src/drivers/vip.ts';
import { type FakeBin, makeFakeBin } from './helpers/fake-bin.ts';
import { FAKE_ARPING_HABETS, FAKE_ARPING_IPUTILS, FAKE_IP } from './helpers/fake-net.ts';

describe('the VIP driver', () => {
  let bin: FakeBin;
  beforeEach(async () => {
    bin = await makeFakeBin();
    await bin.add('ip', FAKE_IP);
  });
  afterEach(async () => {
    await bin.cleanup();
  });

  const addresses = async (): Promise<Record<string, string[]>> => JSON.parse(await readFile(join(bin.dir, 'addrs.json'), 'utf8')) as Record<string, string[]>;
  const takenBy = (vip: string): Promise<void> => writeFile(join(bin.dir, 'taken'), `${vip}\n`);

  describe('with iputils arping', () => {
    beforeEach(async () => {
      await bin.add('arping', FAKE_ARPING_IPUTILS);
    });

    it('detects iputils from arping -V', async () => {
      expect(await new VipDriver({ env: bin.env }).arpingFlavor()).toBe('iputils');
      expect(await bin.calls('arping')).toEqual([['-V']]);
    });

    it('checks for a duplicate, adds the address and sends a gratuitous ARP, in that order', async () => {
      const vip = new VipDriver({ env: bin.env });

      expect(await vip.claim('198.18.1.203', 24, 'br-svc')).toEqual({ added: true });

      expect(await addresses()).toEqual({ 'br-svc': ['198.18.1.203/24'] });
      expect(await bin.calls('arping')).toEqual([
        ['-V'],
        ['-D', '-c', '2', '-I', 'br-svc', '198.18.1.203'],
        ['-U', '-c', '1', '-I', 'br-svc', '198.18.1.203'],
      ]);
      expect(await bin.calls('ip')).toEqual([
        ['-o', '-4', 'addr', 'show', 'dev', 'br-svc'],
        ['addr', 'add', '198.18.1.203/24', 'dev', 'br-svc'],
      ]);
    });

    it('refuses to claim an address that another host answers for, and adds nothing', async () => {
      await takenBy('198.18.1.203');
      const vip = new VipDriver({ env: bin.env });

      await expect(vip.claim('198.18.1.203', 24, 'br-svc')).rejects.toThrow(VipConflictError);
      expect((await bin.calls('ip')).filter((call) => call[1] === 'add')).toEqual([]);
    });

    it('only announces again when this host already holds the address', async () => {
      await writeFile(join(bin.dir, 'addrs.json'), JSON.stringify({ 'br-svc': ['198.18.1.10/24', '198.18.1.203/24'] }));
      const vip = new VipDriver({ env: bin.env, arping: 'iputils' });

      expect(await vip.claim('198.18.1.203', 24, 'br-svc')).toEqual({ added: false });
      expect(await bin.calls('arping')).toEqual([['-U', '-c', '1', '-I', 'br-svc', '198.18.1.203']]);
    });

    it('releases an address, and treats releasing an absent one as done', async () => {
      await writeFile(join(bin.dir, 'addrs.json'), JSON.stringify({ 'br-svc': ['198.18.1.203/24'] }));
      const vip = new VipDriver({ env: bin.env });

      expect(await vip.release('198.18.1.203', 24, 'br-svc')).toEqual({ removed: true });
      expect(await vip.release('198.18.1.203', 24, 'br-svc')).toEqual({ removed: false });
      expect(await addresses()).toEqual({ 'br-svc': [] });
    });

    it('treats releasing an absent address as done also when ip words it as Linux 6.1 does ("Address not found")', async () => {
      await writeFile(join(bin.dir, 'extack'), '');
      const vip = new VipDriver({ env: bin.env });

      expect(await vip.release('198.18.1.203', 24, 'br-svc')).toEqual({ removed: false });
    });
  });

  describe("with Habets' arping", () => {
    beforeEach(async () => {
      await bin.add('arping', FAKE_ARPING_HABETS);
    });

    it('detects Habets from the usage that -V prints', async () => {
      expect(await new VipDriver({ env: bin.env }).arpingFlavor()).toBe('habets');
    });

    it('probes from 0.0.0.0 with -i and announces with -S, accepting the exit status 1 of an unanswered announcement', async () => {
      const vip = new VipDriver({ env: bin.env });

      expect(await vip.claim('198.18.1.203', 24, 'br-svc')).toEqual({ added: true });

      expect((await bin.calls('arping')).slice(1)).toEqual([
        ['-0', '-c', '2', '-i', 'br-svc', '198.18.1.203'],
        ['-U', '-c', '1', '-i', 'br-svc', '-S', '198.18.1.203', '198.18.1.203'],
      ]);
    });

    it('reads replies to the probe as a duplicate address', async () => {
      await takenBy('198.18.1.203');
      const vip = new VipDriver({ env: bin.env });

      expect(await vip.isInUse('198.18.1.203', 'br-svc')).toBe(true);
      expect(await vip.isInUse('198.18.1.204', 'br-svc')).toBe(false);
    });
  });

  it('says clearly which arping it could not recognise', async () => {
    await bin.add('arping', '#!/bin/sh\necho "some other tool"\nexit 1\n');

    await expect(new VipDriver({ env: bin.env }).arpingFlavor()).rejects.toThrow(/cannot tell which arping is installed/);
  });

  it('says which package to install when arping is missing', async () => {
    await expect(new VipDriver({ env: { PATH: bin.dir } }).arpingFlavor()).rejects.toThrow(/arping is not installed \(Debian: iputils-arping or arping\)/);
  });

  it('refuses addresses, prefixes and interface names that are not plain, before running anything', async () => {
    await bin.add('arping', FAKE_ARPING_IPUTILS);
    const vip = new VipDriver({ env: bin.env, arping: 'iputils' });

    await expect(vip.claim('198.18.1.203; id', 24, 'br-svc')).rejects.toThrow(/invalid virtual IP/);
    await expect(vip.claim('198.18.1.203', 33, 'br-svc')).rejects.toThrow(/invalid prefix length/);
    await expect(vip.claim('198.18.1.203', 24, '-br')).rejects.toThrow(/invalid interface name/);
    await expect(vip.release('198.18.1.203', 24, 'eth0 label x')).rejects.toThrow(/invalid interface name/);
    expect(await bin.calls('ip')).toEqual([]);
    expect(await bin.calls('arping')).toEqual([]);
  });
});

describe('arping and interface names', () => {
  it('classifies the version texts of the three arpings', () => {
    expect(classifyArping('arping from iputils 20240905')).toBe('iputils');
    expect(classifyArping('arping utility, iputils-s20180629')).toBe('iputils');
    expect(classifyArping('ARPing 2.21, by Thomas Habets <thomas@habets.se>')).toBe('habets');
    expect(classifyArping('BusyBox v1.36.1 (2023-11-07) multi-call binary.')).toBe('busybox');
    expect(classifyArping('command not found')).toBe(null);
  });

  it('accepts Linux interface names and refuses the rest', () => {
    expect(isInterfaceName('eth0')).toBe(true);
    expect(isInterfaceName('br-svc')).toBe(true);
    expect(isInterfaceName('veth1.10')).toBe(true);
    expect(isInterfaceName('a'.repeat(16))).toBe(false);
    expect(isInterfaceName('-x')).toBe(false);
    expect(isInterfaceName('eth0/1')).toBe(false);
  });
});

// The KVM driver (src/drivers/kvm.ts) against a real libvirtd: the original server method keeps
// virtual servers suspended and resumes one to recover a failed target's function (Sec. 3.1,
// Table 1: 1.52 s to activate a suspended virtual server). Root only, and only where /dev/kvm
// and libvirtd are usable.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VirshKvm } from '../../src/drivers/kvm.ts';
import { kvmAvailability, LIBVIRT_URI } from '../../src/lab/kvm-availability.ts';
import { defineAndStart, prepareGuests } from '../../src/lab/virtual-servers.ts';
import { isRoot } from './leftovers.ts';

const DOMAIN = 'dbss-kvm-test';
const DIR = '/run/dbss-kvm-test';
const availability = isRoot() ? await kvmAvailability() : { usable: false as const, missing: ['root'] };
if (!availability.usable) console.warn(`test/lab/kvm.test.ts: skipped, missing ${availability.missing.join('; ')}`);

describe.skipIf(!availability.usable)('KVM driver under libvirtd', () => {
  const kvm = new VirshKvm({ uri: LIBVIRT_URI });

  async function removeDomain(): Promise<void> {
    await kvm.destroy(DOMAIN);
    await kvm.undefine(DOMAIN);
    await rm(DIR, { recursive: true, force: true });
  }

  beforeAll(removeDomain);
  afterAll(removeDomain);

  test('defines, starts, suspends and resumes a real tiny domain, idempotently, then destroys and undefines it', async () => {
    // Arrange: a tiny guest (Debian kernel, busybox initramfs) with no network: only its state matters here.
    const prepared = await prepareGuests(DIR, 'kvm', [{ name: DOMAIN, address: '198.18.0.199', nic: null, service: { kind: 'http', port: 80 } }]);
    if ('missing' in prepared) throw new Error(`missing ${prepared.missing.join('; ')}`);
    const guest = prepared[0]!;
    expect(await kvm.domstate(DOMAIN)).toBe('absent');

    // Act and assert, one transition at a time.
    await defineAndStart(kvm, DIR, guest);
    expect(await kvm.domstate(DOMAIN)).toBe('running');

    const startedAgain = await kvm.start(DOMAIN);
    expect(startedAgain).toEqual({ changed: false, state: 'running' });

    const suspendStartMs = performance.now();
    const suspended = await kvm.suspend(DOMAIN);
    const suspendMs = performance.now() - suspendStartMs;
    expect(suspended).toEqual({ changed: true, state: 'paused' });
    expect(await kvm.domstate(DOMAIN)).toBe('paused');
    expect(await kvm.suspend(DOMAIN)).toEqual({ changed: false, state: 'paused' });

    const resumeStartMs = performance.now();
    const resumed = await kvm.resume(DOMAIN);
    const resumeMs = performance.now() - resumeStartMs;
    expect(resumed).toEqual({ changed: true, state: 'running' });
    expect(await kvm.domstate(DOMAIN)).toBe('running');
    // Resuming a running domain is not an error: a manager that retries must not fail here.
    expect(await kvm.resume(DOMAIN)).toEqual({ changed: false, state: 'running' });
    console.log(`    kvm: suspend took ${suspendMs.toFixed(0)} ms, resume ${resumeMs.toFixed(0)} ms (Table 1: 1.52 s to activate a suspended virtual server)`);

    expect(await kvm.destroy(DOMAIN)).toEqual({ changed: true, state: 'shut off' });
    expect(await kvm.destroy(DOMAIN)).toEqual({ changed: false, state: 'shut off' });
    expect(await kvm.undefine(DOMAIN)).toEqual({ changed: true, state: 'absent' });
    expect(await kvm.undefine(DOMAIN)).toEqual({ changed: false, state: 'absent' });
  });
});

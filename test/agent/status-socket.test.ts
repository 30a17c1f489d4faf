// The status socket's set-up, apart from the daemon (status.test.ts runs it against a live agent).
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStatus, serveStatus } from '../../src/agent/status-socket.ts';

/** umaskNow reads the process's umask without changing it (process.umask() sets and restores it). */
function umaskNow(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('Umask:'));
  return Number.parseInt(line?.split(/\s+/)[1] ?? 'NaN', 8);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-status-socket-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the status socket', () => {
  it('makes its missing directory (the state directory a reboot wiped) and answers there with mode 0600', async () => {
    const path = join(dir, 'state', 'agent.sock');

    const server = await serveStatus(path, () => ({ ok: true }));

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o750);
    expect(await readStatus(path)).toEqual({ ok: true });
    await server.close();
  });

  it('never leaves the process umask changed while other work runs (a directory made meanwhile would get mode 0600)', async () => {
    const before = umaskNow();
    const seen = new Set<number>();
    let done = false;
    // Other work, as promise continuations between every step of the opening (bounded, so that the
    // event loop still turns), reads the umask each time it runs.
    const otherWork = async (): Promise<void> => {
      while (!done) {
        for (let i = 0; i < 200 && !done; i++) {
          seen.add(umaskNow());
          await null;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const running = otherWork();

    const server = await serveStatus(join(dir, 'agent.sock'), () => ({}));
    done = true;
    await running;

    expect([...seen]).toEqual([before]);
    await server.close();
  });
});

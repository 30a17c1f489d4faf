// sd_notify through systemd-notify (sd-notify.ts), against a real Unix datagram socket bound by a
// Python one-liner (Node has no Unix datagram sockets): the message arrives as systemd reads it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { SdNotify, notifySocketOf, watchdogIntervalMs } from '../../src/drivers/sd-notify.ts';

/**
 * RECEIVE_ONE binds the socket, says so, and prints the first datagram. Then it stays for the
 * barrier systemd-notify sends next (BARRIER=1 with a pipe's end, systemd >= 246), which a
 * manager reads too: reading it closes the passed end and lets systemd-notify go. A receiver that
 * left after the first datagram raced the barrier ("Failed to invoke barrier: Connection refused").
 */
const RECEIVE_ONE = 'import socket, sys\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint("bound", flush=True)\nprint(repr(s.recv(65536).decode()), flush=True)\ns.settimeout(20)\ntry:\n    s.recv(65536)\nexcept socket.timeout:\n    pass';

test('a notify message reaches a Unix datagram socket as one datagram of VARIABLE=value lines', async () => {
  // Arrange
  const dir = await mkdtemp(join(tmpdir(), 'dbss-notify-'));
  const socket = join(dir, 'notify');
  const receiver = spawn('python3', ['-c', RECEIVE_ONE, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  receiver.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString('utf8')));
  const done = new Promise<number | null>((resolve) => receiver.once('exit', resolve));
  try {
    while (!out.includes('bound\n')) await new Promise((r) => setTimeout(r, 20));
    // Act
    await new SdNotify(socket).notify('READY=1', 'STATUS=dbss agent Mail running');
    // Assert
    expect(await done).toBe(0);
    expect(out).toBe("bound\n'READY=1\\nSTATUS=dbss agent Mail running'\n");
  } finally {
    receiver.kill();
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000); // a Python start on a loaded machine can take seconds: the test waits, it does not time

test('NOTIFY_SOCKET is taken only as a safe absolute path or an abstract name, and a message only as VARIABLE=value lines', async () => {
  expect(notifySocketOf({ NOTIFY_SOCKET: '/run/systemd/notify' })).toBe('/run/systemd/notify');
  expect(notifySocketOf({ NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify/123' })).toBe('@/org/freedesktop/systemd1/notify/123');
  expect(notifySocketOf({ NOTIFY_SOCKET: 'relative/notify' })).toBeNull();
  expect(notifySocketOf({ NOTIFY_SOCKET: `/${'a'.repeat(120)}` })).toBeNull();
  expect(notifySocketOf({ NOTIFY_SOCKET: '/run/x;rm -rf' })).toBeNull();
  expect(notifySocketOf({})).toBeNull();
  expect(SdNotify.fromEnv({})).toBeNull();
  await expect(new SdNotify('/run/systemd/notify').notify('READY=1\nMAINPID=1')).rejects.toThrow(/invalid sd_notify message/);
  await expect(new SdNotify('/run/systemd/notify').notify()).rejects.toThrow(/invalid sd_notify message/);
});

test('the watchdog is fed at half of WATCHDOG_USEC, and not at all when WATCHDOG_PID names another process', () => {
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 42)).toBe(15_000);
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42)).toBe(15_000);
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '43' }, 42)).toBeNull();
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '0' }, 42)).toBeNull();
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '-5' }, 42)).toBeNull();
  expect(watchdogIntervalMs({}, 42)).toBeNull();
});

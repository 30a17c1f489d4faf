// The receivers act on an accepted datagram only after the state that accepted it is saved
// (write-ahead.ts), and remember the requests they answered across a restart (nonce-window.ts).
import { expect, test } from 'vitest';
import { NonceWindow } from '../../../src/drivers/net/nonce-window.ts';
import { WriteAhead, type Persisted } from '../../../src/drivers/net/write-ahead.ts';

function slowStore(): { persisted: Persisted<number>; saves: number[]; finish: () => void } {
  const saves: number[] = [];
  let finish: () => void = () => undefined;
  const persisted: Persisted<number> = {
    restored: null,
    save: (state) => {
      saves.push(state);
      return new Promise((resolve) => (finish = resolve));
    },
    failed: () => undefined,
  };
  return { persisted, saves, finish: () => finish() };
}

test('an action runs only after the state as it was when the action was held is saved, and actions held during a save share the next one', async () => {
  const { persisted, saves, finish } = slowStore();
  let state = 1;
  const gate = new WriteAhead(persisted, () => state);
  const done: string[] = [];

  gate.after(() => done.push('a'));
  state = 2;
  gate.after(() => done.push('b'));
  state = 3;
  gate.after(() => done.push('c'));
  expect(done).toEqual([]);
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  expect(done).toEqual(['a']);
  finish();
  await gate.idle();

  expect(done).toEqual(['a', 'b', 'c']);
  expect(saves).toEqual([1, 3]);
});

test('a failed save is reported and the action still runs', async () => {
  const failures: string[] = [];
  const gate = new WriteAhead<number>({ restored: null, save: () => Promise.reject(new Error('disk full')), failed: (e) => failures.push(e.message) }, () => 1);
  const done: string[] = [];
  gate.after(() => done.push('a'));
  await gate.idle();
  expect(failures).toEqual(['disk full']);
  expect(done).toEqual(['a']);
});

test('a nonce window restored from a previous incarnation refuses its nonces as replays and forgets them once too old', () => {
  const first = new NonceWindow(30_000);
  expect(first.admit('FTP n1', 1_000, 1_000)).toBe(null);

  const restarted = new NonceWindow(30_000, first.entries());

  expect(restarted.admit('FTP n1', 1_000, 2_000)).toBe('replay');
  expect(restarted.admit('FTP n2', 2_000, 2_000)).toBe(null);
  expect(restarted.admit('FTP n1', 1_000, 40_000)).toBe('stale');
  expect(restarted.entries().map(([key]) => key)).toEqual(['FTP n1', 'FTP n2']);
  restarted.admit('FTP n3', 62_000, 62_000);
  expect(restarted.entries().map(([key]) => key)).toEqual(['FTP n2', 'FTP n3']);
});

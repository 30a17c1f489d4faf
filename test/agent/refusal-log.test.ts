// Refusals reach the agent's log at a bounded rate (refusal-log.ts): a flood of forged datagrams
// must not fill the disk, every refusal is counted, and what was left out is said once per interval.
import { expect, test } from 'vitest';
import { RefusalLog, refusalKey } from '../../src/agent/refusal-log.ts';

function harness(opts: { maxRemembered?: number } = {}): { log: RefusalLog; lines: string[]; at: (ms: number) => void } {
  let nowMs = 0;
  const lines: string[] = [];
  const log = new RefusalLog({
    summary: (notLogged, refused) => lines.push(`not logged ${Object.entries(notLogged).map(([k, n]) => `${k} ${n}/${refused[k]}`).join(', ')}`),
    repeatMs: 1000,
    intervalMs: 10_000,
    perInterval: 3,
    nowMs: () => nowMs,
    ...opts,
  });
  return { log, lines, at: (ms) => void (nowMs = ms) };
}

test('the same refusal is written once while it repeats within repeatMs, and again after', () => {
  const { log, lines, at } = harness();
  for (const ms of [0, 200, 900]) {
    at(ms);
    log.refused('replay', 'replay Web1 7', () => lines.push('replay Web1 7'));
  }
  at(1500);
  log.refused('replay', 'replay Web1 7', () => lines.push('replay Web1 7'));
  expect(lines).toEqual(['replay Web1 7', 'replay Web1 7']);
  expect(log.counts()).toEqual({ replay: 4 });
});

test('at most perInterval lines of one kind are written per interval, and the rest is counted in one line when the interval ends', () => {
  const { log, lines, at } = harness();
  for (let i = 0; i < 100; i++) log.refused('badMac', `badMac ${i}`, () => lines.push(`badMac ${i}`));
  log.refused('replay', 'replay 1', () => lines.push('replay 1'));
  expect(lines).toEqual(['badMac 0', 'badMac 1', 'badMac 2', 'replay 1']);

  at(9_999);
  log.flush();
  expect(lines).toHaveLength(4);
  at(10_000);
  log.flush();

  expect(lines.slice(4)).toEqual(['not logged badMac 97/100']);
  log.refused('badMac', 'badMac next', () => lines.push('badMac next'));
  expect(lines.slice(5)).toEqual(['badMac next']);
  expect(log.counts()).toEqual({ badMac: 101, replay: 1 });
});

test('an interval that left nothing out writes no summary, and the final flush writes the part interval at once', () => {
  const { log, lines, at } = harness();
  log.refused('replay', 'replay 1', () => lines.push('replay 1'));
  at(10_000);
  log.flush();
  expect(lines).toEqual(['replay 1']);

  for (let i = 0; i < 5; i++) log.refused('stale', `stale ${i}`, () => lines.push(`stale ${i}`));
  at(10_001);
  log.flush(true);

  expect(lines.slice(1)).toEqual(['stale 0', 'stale 1', 'stale 2', 'not logged stale 2/5']);
});

test('the lines remembered against repeats are bounded: distinct keys make the oldest forgotten', () => {
  const { log, lines } = harness({ maxRemembered: 2 });
  for (const key of ['a', 'b', 'c', 'a']) log.refused(`kind-${key}`, key, () => lines.push(key));
  expect(lines).toEqual(['a', 'b', 'c', 'a']);
});

test('a refusal key leaves out what an unauthenticated sender chooses (sizes, numbers) and keeps an authenticated sender and detail', () => {
  expect(refusalKey('load/malformed', null, '5404 bytes is too long')).toBe(refusalKey('load/malformed', null, '4436 bytes is too long'));
  expect(refusalKey('sem/bad-hmac', null, 'no HMAC')).not.toBe(refusalKey('sem/bad-hmac', null, 'HMAC does not match'));
  expect(refusalKey('sem/replay', 'FTP', 'record 7 of epoch 1')).not.toBe(refusalKey('sem/replay', 'FTP', 'record 8 of epoch 1'));
  expect(refusalKey('sem/malformed', null, 'x'.repeat(500)).length).toBeLessThan(60);
});

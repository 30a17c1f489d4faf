// Refusals reach the agent's log at a bounded rate (refusal-log.ts): a flood of forged datagrams
// must not fill the disk, and what was left out is counted.
import { expect, test } from 'vitest';
import { RefusalLog } from '../../src/agent/refusal-log.ts';

function harness(): { log: RefusalLog; lines: string[]; at: (ms: number) => void } {
  let nowMs = 0;
  const lines: string[] = [];
  const log = new RefusalLog({ summary: (reason, n) => lines.push(`${reason} suppressed ${n}`), repeatMs: 1000, windowMs: 10_000, perWindow: 3, nowMs: () => nowMs });
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
});

test('at most perWindow lines of one reason are written per window, and the rest is counted in one line after it', () => {
  const { log, lines, at } = harness();
  for (let i = 0; i < 100; i++) log.refused('badMac', `badMac ${i}`, () => lines.push(`badMac ${i}`));
  log.refused('replay', 'replay 1', () => lines.push('replay 1'));
  expect(lines).toEqual(['badMac 0', 'badMac 1', 'badMac 2', 'replay 1']);
  at(10_000);
  log.refused('badMac', 'badMac next', () => lines.push('badMac next'));
  expect(lines.slice(4)).toEqual(['badMac suppressed 97', 'badMac next']);
});

// A flood of garbage on the agent's UDP ports (issue 15): every datagram is refused and counted,
// the log gets a bounded number of lines, and the agent still answers a valid datagram after it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { encodeLoadFrame, decodeLoadFrame } from '../../src/drivers/net/load-rpc.ts';
import { formatDiff } from '../../src/core/model/sem.ts';
import { MAX_DATAGRAM_BYTES, encodeFrame } from '../../src/drivers/net/sem-wire.ts';
import { NOW_S, startNetAgent, until, TEST_KEY, type NetAgent } from './net-agent.ts';

const FLOOD = 40_000;
const SEED = 'port-flood-1';
const BURST = 10;

let dir = '';
let net: NetAgent;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-flood-'));
  net = await startNetAgent(join(dir, 'state'));
});
afterEach(async () => {
  await net.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * garbage is datagram i of a flood: random bytes of random length, a forged HMAC in front of
 * random text, or a datagram longer than the port takes. Its bytes are cut from a pool of seeded
 * random bytes, so that a flood is cheap to make and the same on every run.
 */
function garbage(random: () => number, pool: Buffer, i: number, tooLongBytes: number): Buffer {
  const cut = (n: number): Buffer => {
    const from = Math.floor(random() * (pool.length - n));
    return pool.subarray(from, from + n);
  };
  switch (i % 4) {
    case 0:
      return cut(1 + Math.floor(random() * 1400));
    case 1:
      return Buffer.from(`${cut(32).toString('hex')} {"t":"loadReq","from":"FTP","n":${i}}`);
    case 2:
      return Buffer.from(`${'0'.repeat(64)} ${cut(40).toString('base64')}`);
    default:
      return cut(tooLongBytes + 1 + Math.floor(random() * 2000));
  }
}

/**
 * flood sends FLOOD datagrams to a port in bursts, and after each burst lets the agent (in this
 * same process) read until it has counted them or 20 ms have passed, so that few are lost in
 * the socket's buffer.
 */
async function flood(to: 'sem' | 'load', tooLongBytes: number): Promise<void> {
  const random = seedrandom(SEED);
  const pool = Buffer.from(Array.from({ length: 2 * MAX_DATAGRAM_BYTES }, () => Math.floor(random() * 256)));
  const counted = (): number => Object.values(net.agent.refusals.counts()).reduce((a, b) => a + b, 0);
  for (let i = 0; i < FLOOD; i += BURST) {
    const burst: Promise<void>[] = [];
    for (let j = i; j < i + BURST; j += 1) burst.push(net.send(net.peerLoad, garbage(random, pool, j, tooLongBytes), to));
    await Promise.all(burst);
    const deadlineMs = Date.now() + 20;
    while (counted() < i + BURST && Date.now() < deadlineMs) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** loggedAndLeftOut is, per `port/reason`, the refusal lines written and the refusals the summaries say were left out. */
function loggedAndLeftOut(from: number): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const r of net.log.slice(from)) {
    if (r.event === 'semRefused' || r.event === 'loadRefused') {
      const kind = `${r.event === 'semRefused' ? 'sem' : 'load'}/${String(r.reason)}`;
      seen[kind] = (seen[kind] ?? 0) + 1;
    }
    if (r.event === 'refusalsNotLogged') for (const [kind, n] of Object.entries(r.notLogged as Record<string, number>)) seen[kind] = (seen[kind] ?? 0) + n;
  }
  return seen;
}

test(`${FLOOD} random datagrams to the load port give fewer than 100 log lines, every one counted, and a valid request is answered after them (seed ${SEED})`, async () => {
  const before = net.log.length;

  await flood('load', 4096);
  const answer = new Promise<Buffer>((resolve) => net.peerLoad.once('message', resolve));
  const nonce = randomBytes(16).toString('hex');
  await net.send(net.peerLoad, encodeLoadFrame({ t: 'loadReq', from: 'FTP', to: 'Mail', nonce, sentMs: Date.now() }, TEST_KEY), 'load');
  const decoded = decodeLoadFrame(await answer, TEST_KEY);
  await net.agent.stop();

  expect(decoded.ok && decoded.message).toMatchObject({ t: 'loadRep', from: 'Mail', to: 'FTP', nonce });
  const counts = net.agent.refusals.counts();
  const refused = Object.values(counts).reduce((a, b) => a + b, 0);
  expect(refused).toBeGreaterThan(0.9 * FLOOD); // loopback in one process may drop a few
  expect(Object.keys(counts).every((kind) => kind.startsWith('load/'))).toBe(true);
  expect(loggedAndLeftOut(before)).toEqual(counts);
  expect(net.log.length - before).toBeLessThan(100);
});

test(`${FLOOD} random and oversized datagrams to the SEM port give fewer than 100 log lines, every one counted, and a valid record is applied after them (seed ${SEED})`, async () => {
  const before = net.log.length;

  await flood('sem', MAX_DATAGRAM_BYTES);
  const edit = { file: 'heartbeat.file' as const, op: 'Mod' as const, oldLine: `FTP ${NOW_S}`, newLine: `FTP ${NOW_S + 10}` };
  await net.send(net.peerSem, encodeFrame({ t: 'edit', from: 'FTP', epoch: 1, seq: 1, body: formatDiff(edit) }, TEST_KEY), 'sem');
  await until(() => net.node.files['heartbeat.file'].includes(`FTP ${NOW_S + 10}`), 'the valid edit');
  await net.agent.stop();

  const counts = net.agent.refusals.counts();
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.9 * FLOOD);
  expect(Object.keys(counts).every((kind) => kind.startsWith('sem/'))).toBe(true);
  expect(loggedAndLeftOut(before)).toEqual(counts);
  expect(net.log.length - before).toBeLessThan(100);
});

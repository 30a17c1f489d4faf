// A SEM record recorded on the network and replayed after the agent restarts is refused, as it was
// while the agent ran (issue 15): the receiver's window is saved in the state directory before a
// record is applied (write-ahead.ts, replay-window-file.ts) and read back at start.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { formatDiff, type SemEdit } from '../../src/core/model/sem.ts';
import { REPLAY_WINDOW_FILE } from '../../src/agent/replay-window-file.ts';
import { encodeLoadFrame } from '../../src/drivers/net/load-rpc.ts';
import { encodeFrame } from '../../src/drivers/net/sem-wire.ts';
import { NOW_S, TEST_KEY, startNetAgent, until, type NetAgent } from './net-agent.ts';

const addProblem: SemEdit = { file: 'problem.file', op: 'Add', line: 'FTPb FTP Mail' };
const delProblem: SemEdit = { file: 'problem.file', op: 'Del', line: 'FTPb FTP Mail' };
const beat: SemEdit = { file: 'heartbeat.file', op: 'Mod', oldLine: `FTP ${NOW_S}`, newLine: `FTP ${NOW_S + 10}` };
const record = (epoch: number, seq: number, edit: SemEdit): Buffer => encodeFrame({ t: 'edit', from: 'FTP', epoch, seq, body: formatDiff(edit) }, TEST_KEY);

let dir = '';
let net: NetAgent;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-replay-'));
  net = await startNetAgent(join(dir, 'state'));
});
afterEach(async () => {
  await net.stop();
  await rm(dir, { recursive: true, force: true });
});

const refusals = (reason: string) => net.log.filter((r) => r.event === 'semRefused' && r.reason === reason);

/** applyFtpHistory has FTP add and then remove a problem (epoch 1), restart (epoch 2) and send a heartbeat; it returns the recorded frames. */
async function applyFtpHistory(): Promise<{ oldAdd: Buffer; newBeat: Buffer }> {
  const oldAdd = record(1, 1, addProblem);
  const newBeat = record(2, 1, beat);
  for (const frame of [oldAdd, record(1, 2, delProblem), newBeat]) await net.send(net.peerSem, frame, 'sem');
  await until(() => net.node.files['heartbeat.file'].includes(`FTP ${NOW_S + 10}`), 'the edits');
  await net.agent.store.flushed();
  expect(net.node.files['problem.file']).toEqual([]);
  return { oldAdd, newBeat };
}

test('a recorded SEM record of an earlier epoch and one of the current epoch, replayed after the agent restarts, are refused and problem.file is unchanged', async () => {
  const { oldAdd, newBeat } = await applyFtpHistory();

  await net.restart();
  await net.send(net.peerSem, oldAdd, 'sem');
  await net.send(net.peerSem, newBeat, 'sem');

  await until(() => refusals('stale-epoch').length === 1 && refusals('replay').length === 1, 'both refusals');
  expect(refusals('stale-epoch')[0]?.detail).toBe('record 1 of epoch 1');
  expect(refusals('replay')[0]?.detail).toBe('record 1 of epoch 2');
  await net.agent.store.flushed();
  expect(net.node.files['problem.file']).toEqual([]);
  expect(await readFile(join(net.config.stateDir, 'problem.file'), 'utf8')).toBe('');
});

test('the saved window is what refuses the replay: without its file a restarted agent applies the old record again (the hole it closes)', async () => {
  const { oldAdd } = await applyFtpHistory();
  await net.agent.stop();
  await rm(join(net.config.stateDir, REPLAY_WINDOW_FILE));

  await net.restart();
  await net.send(net.peerSem, oldAdd, 'sem');

  await until(() => net.node.files['problem.file'].length === 1, 'the replayed record applied');
});

test('a recorded load request, answered once, is refused as a replay after the agent restarts and not answered again', async () => {
  const request = encodeLoadFrame({ t: 'loadReq', from: 'FTP', to: 'Mail', nonce: 'ab'.repeat(16), sentMs: Date.now() }, TEST_KEY);
  const answers: Buffer[] = [];
  net.peerLoad.on('message', (frame) => answers.push(frame));
  await net.send(net.peerLoad, request, 'load');
  await until(() => answers.length === 1, 'the answer');

  await net.restart();
  await net.send(net.peerLoad, request, 'load');

  await until(() => net.log.some((r) => r.event === 'loadRefused' && r.reason === 'replay'), 'the refusal');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(answers).toHaveLength(1);
});

test('a replay window file that does not read back stops the start with one line naming the file', async () => {
  await applyFtpHistory();
  await net.agent.stop();
  const path = join(net.config.stateDir, REPLAY_WINDOW_FILE);
  expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ sem: { senders: { FTP: [2, 2] } } });

  await writeFile(path, '{"format":"dbss-replay-window-1","sem":{"senders":{"FTP":[2,"x"]},"asks":[]},"load":{"requests":[]}}\n');
  await expect(net.restart()).rejects.toThrow(`${path}: sem.senders.FTP: expected [epoch, next sequence number], each a whole number from 1 to 2^53`);
  await writeFile(path, '{"format":"dbss-repl');
  await expect(net.restart()).rejects.toThrow(new RegExp(`^${path}: replay window: expected the JSON the agent writes; .*got "not JSON"$`));
});

test('a temporary file that a killed write left in the state directory is removed when the agent starts again, and the start says so', async () => {
  const left = `.${REPLAY_WINDOW_FILE}.dbss-tmp-4194304-0123456789ab`;
  await writeFile(join(net.config.stateDir, left), '{"format":');

  await net.restart();

  expect(await readdir(net.config.stateDir)).not.toContain(left);
  expect(net.log.filter((r) => r.event === 'staleTemps').map((r) => r.text)).toEqual([`Removed_unfinished_writes ${left}`]);
});

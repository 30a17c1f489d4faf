// The agent's VIP move of a hand-back (A6) in the hardened ring (src/core/dbss/hand-back.ts).
// fencing: when the virtual server's host cannot be told to release, the move claims only if that host answers a ping.
// readmission: setVip with suspendFrom releases the VIP from the virtual server and suspends it in one
// SSH session, then claims the VIP on the target, as the simulator does (src/sim/world/vip-moves.ts).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AgentLog } from '../../src/agent/agent-log.ts';
import { HostActions, schedulerTime } from '../../src/agent/host-actions.ts';
import type { HostCommand } from '../../src/core/program/commands.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { FakeWorld, PAPER, VirtualScheduler, agentConfig } from './fake-world.ts';

const WEB2_IPR = PAPER.find((d) => d.hostName === 'Web2')!.ipr;
const MOVE: Extract<HostCommand, { type: 'setVip' }> = {
  type: 'setVip',
  id: 1,
  vip: '172.21.14.201',
  to: { kind: 'real', server: 'Mail' },
  from: { kind: 'virtual', vsName: 'Mailb', host: 'Web2' },
};

async function move(web2: 'up' | 'off', command: Extract<HostCommand, { type: 'setVip' }>): Promise<{ ok: boolean; ranOn: string[] }> {
  const clock = new VirtualScheduler(1_700_000_000e6);
  const world = new FakeWorld(clock);
  world.state.set('Web2', web2);
  const node = new RingNode('Login', defaultParams(), { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
  const actions = new HostActions(agentConfig('/nonexistent'), PAPER, node, world.drivers(() => []), new AgentLog('Login', () => clock.nowUs(), []), schedulerTime(clock));
  const result = actions.execute(command, new AbortController().signal);
  await clock.runUntil(clock.nowUs() + 60e6);
  const r = await result;
  return { ok: r.kind === 'done' && r.ok, ranOn: world.runs.map((c) => c.server) };
}

describe('hand-back VIP move (hardened: fencing)', () => {
  test('a source host that cannot be told and does not answer a ping fails the move; nothing is claimed', async () => {
    expect(await move('off', { ...MOVE, fromIpr: WEB2_IPR })).toEqual({ ok: false, ranOn: ['Web2'] });
  });
  test("the paper's move claims on the duplicate-address check alone", async () => {
    expect(await move('off', MOVE)).toEqual({ ok: true, ranOn: ['Web2', 'Mail'] });
  });
  test('a source host told to release is not pinged', async () => {
    expect(await move('up', { ...MOVE, fromIpr: WEB2_IPR })).toEqual({ ok: true, ranOn: ['Web2', 'Mail'] });
  });
});

describe('hand-back VIP move (hardened: readmission)', () => {
  test('a hand-back move with suspendFrom suspends the virtual server in the release session, before the claim', async () => {
    const clock = new VirtualScheduler(1_700_000_000e6);
    const world = new FakeWorld(clock);
    const node = new RingNode('Mail', defaultParams(), { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
    const actions = new HostActions(agentConfig(join(tmpdir(), 'dbss-vip-move')), PAPER, node, world.drivers(() => []), new AgentLog('Mail', () => clock.nowUs(), []), schedulerTime(clock));
    const from = { kind: 'virtual', vsName: 'FTPb', host: 'Web2' } as const;
    const done = actions.execute({ type: 'setVip', id: 1, vip: '172.21.14.202', to: { kind: 'real', server: 'FTP' }, from, suspendFrom: true }, new AbortController().signal);
    await clock.runUntil(clock.nowUs() + 1e6);
    const result = await done;
    expect(result).toEqual({ kind: 'done', ok: true });
    expect(world.runs.map((r) => [r.server, r.commands])).toEqual([
      ['Web2', [['ip', 'addr', 'del', '172.21.14.202/24', 'dev', 'svc0'], ['vs', 'suspend', 'FTPb']]],
      ['FTP', [['ip', 'addr', 'replace', '172.21.14.202/24', 'dev', 'svc0']]],
    ]);
  });
});

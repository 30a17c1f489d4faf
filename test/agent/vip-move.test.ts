// The agent's hand-back move (hardened ring, readmission): setVip with suspendFrom releases the VIP
// from the virtual server and suspends it in one SSH session, then claims the VIP on the target,
// as the simulator does (src/sim/world/vip-moves.ts).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { AgentLog } from '../../src/agent/agent-log.ts';
import { HostActions, schedulerTime } from '../../src/agent/host-actions.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { agentConfig, FakeWorld, PAPER, VirtualScheduler } from './fake-world.ts';

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

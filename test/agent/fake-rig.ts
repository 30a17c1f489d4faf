// Mail's ring program driven by the agent's runner and host actions in the fake world on virtual
// time (fake-world.ts), as the daemon drives it: shared by the runner's tests and the metrics' tests.
import { initialFiles } from '../../src/core/model/management-files.ts';
import { defaultParams } from '../../src/paper/params.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { cloneFiles } from '../../src/core/model/sem.ts';
import type { SemEdit } from '../../src/core/model/sem.ts';
import { AgentLog, type LogRecord, type LogSink } from '../../src/agent/agent-log.ts';
import { FileStore } from '../../src/agent/file-store.ts';
import { HostActions, schedulerTime } from '../../src/agent/host-actions.ts';
import { AgentRunner, type RunnerObserver } from '../../src/agent/runner.ts';
import { FakeWorld, PAPER, PAPER_RING, VirtualScheduler, agentConfig, loadReport } from './fake-world.ts';

export const START_S = 1_700_000_000;
export const START_US = START_S * 1e6;

export interface Rig {
  clock: VirtualScheduler;
  world: FakeWorld;
  node: RingNode;
  runner: AgentRunner;
  log: LogRecord[];
  store: FileStore;
}

/** RigOptions watch the rig as the daemon's metrics do: a runner observer and more log sinks. */
export interface RigOptions {
  observer?: RunnerObserver;
  sinks?: LogSink[];
}

/** rig starts Mail's program at START + 1 s with the paper's files and flag, and keeps the other servers' heartbeats fresh. */
export async function rig(stateDir: string, opts: RigOptions = {}): Promise<Rig> {
  const clock = new VirtualScheduler(START_US + 1_000_000);
  const world = new FakeWorld(clock);
  const node = new RingNode('Mail', defaultParams(), { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
  const log: LogRecord[] = [];
  const agentLog = new AgentLog('Mail', () => clock.nowUs(), [(r) => void log.push(r), ...(opts.sinks ?? [])]);
  const config = agentConfig(stateDir);
  const store = new FileStore({ dir: config.stateDir });
  await store.prepare();
  const drivers = world.drivers(() => [loadReport('Web1', 3_000_000), loadReport('Web2', 7_000_000), loadReport('Proxy', 5_000_000)]);
  const actions = new HostActions(config, PAPER, node, drivers, agentLog, schedulerTime(clock));
  const runner = new AgentRunner({
    node,
    scheduler: clock,
    commands: actions,
    log: agentLog,
    filesChanged: (edits) => void store.save(cloneFiles(node.filesView()!), edits),
    observer: opts.observer,
  });
  runner.deliver({ type: 'filesReceived', files: initialFiles(PAPER_RING, START_S), data: PAPER });
  runner.deliver({ type: 'flagFile', present: true });
  // The other servers stamp their heartbeats at the half interval (Sec. 4.1) and send the edit by SEM.
  const stamp = (): void => {
    for (const d of PAPER) {
      if (d.hostName === 'Mail' || world.state.get(d.hostName) !== 'up' || !node.files['group.file'].some((l) => l.includes(` ${d.hostName} `))) continue;
      const old = node.files['heartbeat.file'].find((l) => l.startsWith(`${d.hostName} `))!;
      const edit: SemEdit = { file: 'heartbeat.file', op: 'Mod', oldLine: old, newLine: `${d.hostName} ${Math.floor(clock.nowUs() / 1e6)}` };
      runner.deliver({ type: 'semEdits', from: d.hostName, edits: [edit] });
    }
    clock.setTimer(stamp, 10_000);
  };
  clock.setTimer(stamp, 4_000);
  return { clock, world, node, runner, log, store };
}

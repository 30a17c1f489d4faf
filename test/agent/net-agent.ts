// An agent for Mail on 127.0.0.1 whose peers' SEM and load ports are sockets of the test, so that
// what the agent sends back (resend requests, load answers) lands where the test can read it.
import { createSocket, type Socket } from 'node:dgram';
import { defaultParams } from '../../src/paper/params.ts';
import { RingNode } from '../../src/core/ring/node.ts';
import { initialFiles } from '../../src/core/model/management-files.ts';
import { Agent } from '../../src/agent/agent.ts';
import { AgentLog, type LogRecord } from '../../src/agent/agent-log.ts';
import type { AgentConfig } from '../../src/agent/config.ts';
import type { HostDrivers } from '../../src/agent/host-actions.ts';
import type { Params } from '../../src/core/model/params.ts';
import { FileStore } from '../../src/agent/file-store.ts';
import { realScheduler } from '../../src/agent/runner.ts';
import { FakeWorld, PAPER, PAPER_RING, VirtualScheduler, agentConfig } from './fake-world.ts';
import { freeUdpPort } from '../helpers/net.ts';

export const TEST_KEY = Buffer.from('kd'.repeat(32));
/** NOW_S is the time of the initial management files the agent starts with. */
export const NOW_S = Math.floor(Date.now() / 1000);

/** NetAgent is a running agent, its log and the test's sockets standing for every other server. */
export interface NetAgent {
  agent: Agent;
  node: RingNode;
  log: LogRecord[];
  config: AgentConfig;
  /** peerSem and peerLoad receive what the agent sends to any other server's SEM and load port. */
  peerSem: Socket;
  peerLoad: Socket;
  /** send puts one datagram on the agent's SEM or load port from the given socket. */
  send: (from: Socket, frame: Buffer, to: 'sem' | 'load') => Promise<void>;
  /** restart stops the agent and starts a new one, with a new program, over the same state directory and ports. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

function newNode(params: Partial<Params>): RingNode {
  return new RingNode('Mail', { ...defaultParams(), ...params }, { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 }, 3);
}

/** NetAgentOptions: drivers replace the fake world's, params Table 1's. */
export interface NetAgentOptions {
  drivers?: Partial<HostDrivers>;
  params?: Partial<Params>;
}

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

/**
 * startNetAgent starts Mail's agent over stateDir (the paper's initial files written there first)
 * and returns it with its peers' sockets. The fake world's probes wait for a virtual time that
 * never moves here: a test that needs the program to manage gives drivers that answer them.
 */
export async function startNetAgent(stateDir: string, opts: NetAgentOptions = {}): Promise<NetAgent> {
  const store = new FileStore({ dir: stateDir });
  await store.prepare();
  await store.writeSet(initialFiles(PAPER_RING, NOW_S));
  const ports = { sem: await freeUdpPort(), load: await freeUdpPort() };
  const peerSem = await bound();
  const peerLoad = await bound();
  const base = agentConfig(stateDir, {}, ports);
  const config: AgentConfig = {
    ...base,
    peers: base.peers.map((p) => (p.name === 'Mail' ? p : { ...p, semPort: peerSem.address().port, loadPort: peerLoad.address().port })),
  };
  const log: LogRecord[] = [];
  const clock = { nowUs: () => Date.now() * 1000 };
  const startOne = async (): Promise<{ agent: Agent; node: RingNode }> => {
    const node = newNode(opts.params ?? {});
    const agent = await Agent.start({
      config,
      data: PAPER,
      node,
      key: TEST_KEY,
      log: new AgentLog('Mail', clock.nowUs, [(r) => void log.push(r)]),
      scheduler: realScheduler(clock),
      checkClock: null,
      drivers: { ...new FakeWorld(new VirtualScheduler(0)).drivers(() => []), ...opts.drivers },
      pollMs: 50,
    });
    return { agent, node };
  };
  const net: NetAgent = {
    ...(await startOne()),
    log,
    config,
    peerSem,
    peerLoad,
    send: (from, frame, to) =>
      new Promise((resolve, reject) => from.send(frame, to === 'sem' ? ports.sem : ports.load, '127.0.0.1', (err) => (err ? reject(err) : resolve()))),
    restart: async () => {
      await net.agent.stop();
      Object.assign(net, await startOne());
    },
    stop: async () => {
      await net.agent.stop();
      await Promise.all([peerSem, peerLoad].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  return net;
}

/** until waits (up to 5 s) for check to hold. */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

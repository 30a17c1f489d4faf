// The simulated service examination (Table 1's service examination times and maximum wait): what a
// manager's probe of a target's daemons meets on the service network.
import type { HostCommand } from '../../core/program/commands.ts';
import type { NodeRunner } from './node-runner.ts';
import { FAIL, OK, reply } from './replies.ts';
import type { SimServer } from './server.ts';
import type { World } from './world.ts';

type ProbeService = Extract<HostCommand, { type: 'probeService' }>;

/**
 * probeService answers a service examination: at once when the service answers, after a
 * reset when the port is closed (retrying until the maximum wait when asked to), and only at
 * the maximum wait when nothing answers at all.
 */
export function probeService(world: World, runner: NodeRunner, command: ProbeService): void {
  serviceAttempt(world, runner, command, world.kernel.nowUs + command.waitMaxUs);
}

/** serviceAttempt is one try of a service examination; a retrying one tries again until its deadline. */
function serviceAttempt(world: World, runner: NodeRunner, command: ProbeService, deadlineUs: number): void {
  if (!runner.alive) return;
  const sim = world.sim;
  const target = probedServer(world, runner, command.target);
  const nowUs = world.kernel.nowUs;
  const reachable = runner.server.serviceLinkUp && target.answersNetwork;
  if (reachable && target.serviceUp) {
    const us = vary(world, runner, command, serviceExamUs(world, runner, command.daemons));
    const leftUs = Math.max(0, deadlineUs - nowUs);
    return reply(runner, Math.min(us, leftUs), command.id, us <= leftUs ? OK : FAIL);
  }
  if (!reachable) return reply(runner, Math.max(0, deadlineUs - nowUs), command.id, FAIL);
  const nextUs = nowUs + sim.serviceRetryIntervalUs;
  if (!command.retry || nextUs >= deadlineUs) {
    const failAtUs = command.retry ? deadlineUs : nowUs + vary(world, runner, command, sim.serviceRefusedUs);
    return reply(runner, failAtUs - nowUs, command.id, FAIL);
  }
  world.kernel.at(nextUs, () => serviceAttempt(world, runner, command, deadlineUs));
}

/** probedServer is world.server(name) for a runner's probe: a DBSS names the same target at every tick, so the runner keeps the server it found last (a large ring's map is out of the caches). */
export function probedServer(world: World, runner: NodeRunner, name: string): SimServer {
  if (name === runner.commandTargetName) return runner.commandTarget as SimServer;
  const s = world.server(name);
  runner.commandTarget = s;
  runner.commandTargetName = name;
  return s;
}

/** vary draws an examination's duration; one only the hardened ring makes (extra) from that ring's own stream (World.varyHardened). */
function vary(world: World, runner: NodeRunner, command: ProbeService, us: number): number {
  return command.extra === true ? world.varyHardened(us, runner.server) : world.vary(us, runner.server);
}

/**
 * serviceExamUs is how long a healthy examination of these daemons takes: the slowest, as they are
 * checked together (Table 1). A runner keeps it for the daemons it was asked for last: a DBSS names
 * the same ones at every tick, and looking each up by name misses a large ring's caches.
 */
function serviceExamUs(world: World, runner: NodeRunner, daemons: readonly string[]): number {
  if (daemons === runner.examDaemons) return runner.examUs;
  let us = 0;
  for (const d of daemons) us = Math.max(us, world.sim.serviceExamUsByDaemon[d] ?? world.sim.serviceExamDefaultUs);
  runner.examDaemons = daemons;
  runner.examUs = us;
  return us;
}

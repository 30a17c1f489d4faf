// The end state of a run, server by server, as the scenario expectations and the liveness
// checks read it: is the service answering at its VIP, is the VIP back on the real server, is
// the server's own management program running, and which live servers manage it.
import type { SimServer } from '../world/server.ts';
import type { World } from '../world/world.ts';

export interface ServerOutcome {
  server: string;
  /** served: a client reaching the VIP gets the service (from the real server or a virtual one). */
  served: boolean;
  /** recovered: the VIP is on the real server again. */
  recovered: boolean;
  /** running: the server is on and its management program runs (executor started it). */
  running: boolean;
  /** managers: the live servers with a DBSS for this server. */
  managers: string[];
}

/**
 * managersOf maps each target to the servers among candidates (in their order) whose programs
 * manage it, besides the target itself: one pass over what each program manages, rather than a
 * question to every program about every server (K^2 in a large ring).
 */
export function managersOf(candidates: Iterable<SimServer>): Map<string, string[]> {
  const managers = new Map<string, string[]>();
  for (const m of candidates) {
    for (const target of m.runner?.node.managedTargets() ?? []) {
      if (target === m.name) continue;
      const list = managers.get(target);
      if (list === undefined) managers.set(target, [m.name]);
      else list.push(m.name);
    }
  }
  return managers;
}

export function outcomes(world: World): ServerOutcome[] {
  const result: ServerOutcome[] = [];
  const servers = [...world.servers.values()];
  const managing = managersOf(servers.filter((m) => m.runner !== null && m.runner.node.running));
  for (const s of servers) {
    const holder = world.vips.effective(s.data.vip, (h) => world.holderLive(h));
    const managers = managing.get(s.name) ?? [];
    result.push({
      server: s.name,
      served: world.reachOf(s) === 'ok',
      recovered: holder !== null && holder.kind === 'real' && holder.server === s.name,
      running: s.runner !== null && s.runner.node.running,
      managers,
    });
  }
  return result;
}

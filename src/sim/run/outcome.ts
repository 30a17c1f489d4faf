// The end state of a run, server by server, as the scenario expectations and the liveness
// checks read it: is the service answering at its VIP, is the VIP back on the real server, is
// the server's own management program running, and which live servers manage it.
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

export function outcomes(world: World): ServerOutcome[] {
  const result: ServerOutcome[] = [];
  const servers = [...world.servers.values()];
  for (const s of servers) {
    const holder = world.vips.effective(s.data.vip, (h) => world.holderLive(h));
    const managers = servers
      .filter((m) => m !== s && m.runner !== null && m.runner.node.running && m.runner.node.manages(s.name))
      .map((m) => m.name);
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

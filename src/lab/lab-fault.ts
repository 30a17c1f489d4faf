// `dbss lab fault <server> St|Nt`: the two faults of Table 2 (Sec. 5.2). St kills the service
// program and leaves the server up; Nt powers the server off, so that only a Wake-on-LAN magic
// packet through the power controller brings it back.
import { UsageError } from '../config/usage-error.ts';
import { labPaths, labServers, type LabServer } from './layout.ts';
import { readLabState } from './lab-state.ts';
import { killService, powerOffServer } from './server-power.ts';

export type FaultKind = 'St' | 'Nt';

export function parseFault(text: string): FaultKind {
  if (text === 'St' || text === 'Nt') return text;
  throw new UsageError(`fault: expected St (service stops) or Nt (server shut down), got ${JSON.stringify(text)}`);
}

export async function findServer(dir: string, name: string): Promise<LabServer> {
  const state = await readLabState(labPaths(dir).stateFile);
  if (state === null) throw new UsageError(`no lab is up in ${dir}`);
  const server = labServers(state.servers).find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (server === undefined) throw new UsageError(`no server ${JSON.stringify(name)} in the lab; servers: ${state.servers.join(', ')}`);
  return server;
}

export async function labFault(opts: { dir: string; server: string; fault: FaultKind; log: (line: string) => void }): Promise<void> {
  const paths = labPaths(opts.dir);
  const server = await findServer(opts.dir, opts.server);
  if (opts.fault === 'St') {
    const killed = await killService(paths, server);
    opts.log(killed ? `St: killed the ${server.service} service of ${server.name}` : `St: the ${server.service} service of ${server.name} was not running`);
    return;
  }
  await powerOffServer(paths, server);
  opts.log(`Nt: ${server.name} is powered off; a magic packet for ${server.managementMac} on the management network boots it`);
}

// `dbss lab down`: removes every namespace, process, address, link, domain and file the lab
// made. It works from what lab.json recorded plus the default names, so that it also cleans up
// after an `up` that failed half-way or a test that died, and it is idempotent: running it on
// a clean host does nothing and succeeds.
import { readdir, rm } from 'node:fs/promises';
import { commandLineOf, killAndWait, killNamespace } from './daemons.ts';
import { DEFAULT_SERVERS, INFRA_NS, labPaths } from './layout.ts';
import { readLabState } from './lab-state.ts';
import { deleteNamespace, isLabNamespace, listNamespaces } from './netns.ts';
import { removeVirtualServers } from './virtual-servers.ts';

/** strayProcesses finds processes whose command line names a file under the lab directory (never this process). */
async function strayProcesses(dir: string): Promise<number[]> {
  const mark = `${dir}/`;
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || pid === process.ppid) continue;
    if ((await commandLineOf(pid)).includes(mark)) pids.push(pid);
  }
  return pids;
}

export async function labDown(opts: { dir: string; log: (line: string) => void }): Promise<void> {
  const paths = labPaths(opts.dir);
  const state = await readLabState(paths.stateFile).catch((error: unknown) => {
    opts.log(`ignoring unreadable ${paths.stateFile}: ${(error as Error).message}`);
    return null;
  });
  const names = new Set([...(state?.servers ?? []), ...DEFAULT_SERVERS].map((n) => n.toLowerCase()));
  const namespaces = [INFRA_NS, ...[...names].map((n) => `dbss-${n}`).filter(isLabNamespace)];
  await removeVirtualServers(state, opts.log);
  const present = new Set(await listNamespaces());
  // The power controller first, so that it boots nothing while the servers are being removed.
  if (present.has(INFRA_NS)) await killNamespace(INFRA_NS);
  for (const ns of namespaces) {
    if (!present.has(ns)) continue;
    const killed = await killNamespace(ns);
    await deleteNamespace(ns);
    opts.log(`removed namespace ${ns}${killed > 0 ? ` and ${killed} processes` : ''}`);
  }
  const stray = await strayProcesses(paths.dir);
  if (stray.length > 0) {
    await killAndWait(stray);
    opts.log(`killed ${stray.length} stray lab processes`);
  }
  await rm(paths.dir, { recursive: true, force: true });
  opts.log(`lab is down; ${paths.dir} removed`);
}

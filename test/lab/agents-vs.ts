// The lab's stand-in for a virtual server under the agents (Sec. 3.1, original server method): a
// copy of the failed target's service, run in the host server's namespace. The agents run it
// through their vsResume / vsSuspend command templates, over SSH in the host's namespace:
//   agents-vs.ts resume <vs> <target> <host-lower> <lab-dir>
//   agents-vs.ts suspend <vs> <host-lower> <lab-dir>
// Resume starts the copy (or leaves a running one alone); suspend stops it. A paused process
// (SIGSTOP) would be closer to a suspended domain, but it shares its host's addresses: its
// listening socket would swallow connections to the host's own address on that port (the lab's
// proxy check of Proxy fetches from port 80 of its own server), where a paused domain only
// silences its own address. The tiny KVM guest of the lab serves HTTP only; this serves each
// target's own protocol, so FTP and Mail can be recovered too. A VIP set on the host reaches
// it, since it listens on every address of the host's namespace (lab-service.ts).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isHostName } from '../../src/core/model/validate.ts';
import { labPaths, labServers } from '../../src/lab/layout.ts';
import { readLabState } from '../../src/lab/lab-state.ts';
import { nodeScript } from '../../src/lab/node-script.ts';

const [op, vs = '', ...rest] = process.argv.slice(2);
const fail = (message: string): never => {
  process.stderr.write(`agents-vs: ${message}\n`);
  process.exit(2);
};

function pidFile(labDir: string, hostLower: string): string {
  return join(labDir, 'agents', 'vs', `${hostLower}-${vs}.pid`);
}

async function livePid(path: string, labDir: string): Promise<number | null> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (!Number.isSafeInteger(pid) || pid < 2) return null;
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
  return cmdline.includes(labDir) && cmdline.includes(`--name ${vs} `) ? pid : null;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function resume(target: string, hostLower: string, labDir: string): Promise<void> {
  const state = await readLabState(labPaths(labDir).stateFile);
  const server = labServers(state?.servers ?? []).find((s) => s.name === target) ?? fail(`no lab server ${target}`);
  if (server.service === 'ssh') fail(`${target}'s virtual server would need its own sshd on port 22 beside the host's`);
  const path = pidFile(labDir, hostLower);
  if ((await livePid(path, labDir)) !== null) return;
  await mkdir(join(labDir, 'agents', 'vs'), { recursive: true });
  const script = nodeScript('services/lab-service.ts', ['--kind', server.service, '--name', vs, '--port', String(server.servicePort), '--dir', labDir]);
  const out = openSync(join(labDir, 'agents', 'vs', `${hostLower}-${vs}.log`), 'a');
  const child = spawn(script.program, script.args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  await writeFile(path, `${child.pid}\n`);
  const deadline = Date.now() + 10_000;
  while (!(await listening(server.servicePort))) {
    if (Date.now() > deadline) fail(`${vs} does not listen on ${server.servicePort}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function suspend(hostLower: string, labDir: string): Promise<void> {
  const path = pidFile(labDir, hostLower);
  const pid = await livePid(path, labDir);
  if (pid === null) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while ((await livePid(path, labDir)) !== null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if ((await livePid(path, labDir)) !== null) process.kill(pid, 'SIGKILL');
  await rm(path, { force: true });
}

if (!isHostName(vs)) fail(`invalid virtual server name ${JSON.stringify(vs)}`);
if (op === 'resume') {
  const [target = '', hostLower = '', labDir = ''] = rest;
  if (!isHostName(target) || !isHostName(hostLower)) fail('usage: agents-vs.ts resume VS TARGET HOST LABDIR');
  await resume(target, hostLower, labPaths(labDir).dir);
} else if (op === 'suspend') {
  const [hostLower = '', labDir = ''] = rest;
  if (!isHostName(hostLower)) fail('usage: agents-vs.ts suspend VS HOST LABDIR');
  await suspend(hostLower, labPaths(labDir).dir);
} else {
  fail('usage: agents-vs.ts resume|suspend ...');
}

// What a lab might leave behind on the host, read the way an operator would check by hand:
// `ip netns list`, `pgrep -f <lab dir>`, `virsh list --all`, and the host's own `ip addr`/links.
import { runProgramStatus } from '../../src/drivers/exec.ts';

const TIMEOUT_MS = 15_000;

export async function leftovers(labDir: string): Promise<string[]> {
  const found: string[] = [];
  const netns = await runProgramStatus('ip', ['netns', 'list'], { timeoutMs: TIMEOUT_MS });
  for (const line of netns.stdout.split('\n')) if (line.startsWith('dbss-')) found.push(`namespace ${line.split(' ')[0]}`);
  const procs = await runProgramStatus('pgrep', ['-af', `${labDir}/`], { timeoutMs: TIMEOUT_MS });
  for (const line of procs.stdout.split('\n')) if (line.trim() !== '') found.push(`process ${line.trim()}`);
  const links = await runProgramStatus('ip', ['-o', 'link', 'show'], { timeoutMs: TIMEOUT_MS });
  for (const m of links.stdout.matchAll(/^\d+: (dbss-[^:@]+)/gm)) found.push(`host link ${m[1]}`);
  const addrs = await runProgramStatus('ip', ['-o', '-4', 'addr', 'show'], { timeoutMs: TIMEOUT_MS });
  for (const m of addrs.stdout.matchAll(/inet (198\.1[89]\.\d+\.\d+)/g)) found.push(`host address ${m[1]}`);
  const virsh = await runProgramStatus('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name'], { timeoutMs: TIMEOUT_MS }).catch(() => null);
  for (const name of virsh?.stdout.split('\n') ?? []) if (name.startsWith('dbss-')) found.push(`libvirt domain ${name}`);
  return found;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

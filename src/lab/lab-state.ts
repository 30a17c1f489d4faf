// The lab's record of what it made, written before it makes anything, so that `dbss lab down`
// after a failed or partial `up` knows which servers, namespaces and domains to remove.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { isHostName } from '../core/model/validate.ts';
import { isDomainName } from '../drivers/kvm.ts';

/** LabState is lab.json. */
export interface LabState {
  servers: string[];
  /** bootDelayMs is the power controller's stand-in for the real server start time (Table 1: 31.07 s). */
  bootDelayMs: number;
  /** domains are the libvirt domains the lab defined (virtual servers). */
  domains: string[];
  /** rootLinks are links the lab made in the host's root namespace (the guest bridge), if any. */
  rootLinks: string[];
  /** onBoot is an executable run in a server's namespace after each power-on (the agent's hook). */
  onBoot: string | null;
}

export async function writeLabState(path: string, state: LabState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
}

/** readLabState reads lab.json; a missing file is null, a file that does not check out is an error. */
export async function readLabState(path: string): Promise<LabState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const raw = JSON.parse(text) as Partial<LabState>;
  const strings = (v: unknown, ok: (s: string) => boolean): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && ok(s));
  if (
    !strings(raw.servers, isHostName) ||
    !strings(raw.domains, isDomainName) ||
    !strings(raw.rootLinks, (s) => /^dbss-[a-z0-9-]{1,10}$/.test(s)) ||
    typeof raw.bootDelayMs !== 'number' ||
    !(raw.onBoot === null || typeof raw.onBoot === 'string')
  ) {
    throw new Error(`${path} is not a dbss lab state file`);
  }
  return raw as LabState;
}

// FakeBin writes small stand-in programs into a temporary directory that the tests put first in
// PATH, so a driver runs "virsh" or "arping" without the real program, root or a network.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeBin {
  dir: string;
  /** env is process.env with dir first in PATH. */
  env: NodeJS.ProcessEnv;
  /** add writes an executable script named name. */
  add(name: string, script: string): Promise<string>;
  /** calls reads the argv lines a recording script appended to dir/<name>.calls (one JSON array per line). */
  calls(name: string): Promise<string[][]>;
  cleanup(): Promise<void>;
}

export async function makeFakeBin(): Promise<FakeBin> {
  const dir = await mkdtemp(join(tmpdir(), 'dbss-fakebin-'));
  const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKEBIN_DIR: dir };
  return {
    dir,
    env,
    async add(name, script) {
      const path = join(dir, name);
      await writeFile(path, script);
      await chmod(path, 0o755);
      return path;
    },
    async calls(name) {
      let text = '';
      try {
        text = await readFile(join(dir, `${name}.calls`), 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[]);
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * nodeScript wraps a body of JavaScript as an executable node script that first records its argv
 * to $FAKEBIN_DIR/<name>.calls. In the body, `args` is the argv after the program name, `fs` is
 * node:fs and `dir` is the fake bin directory.
 */
export function nodeScript(name: string, body: string): string {
  return `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.FAKEBIN_DIR;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, ${JSON.stringify(`${name}.calls`)}), JSON.stringify(args) + '\\n');
${body}
`;
}

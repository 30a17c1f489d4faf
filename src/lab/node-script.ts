// How the lab runs its own TypeScript programs (services, power controller, helper) inside a
// namespace: the running Node binary with tsx's loader, by absolute paths, so that the command
// needs no build step and no PATH lookup, and names the lab directory for `down` to find it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const LAB_SRC_DIR = dirname(fileURLToPath(import.meta.url));

/** labScriptPath is the absolute path of a script beside this file (e.g. "services/lab-service.ts"). */
export function labScriptPath(relative: string): string {
  if (!/^[a-z0-9/-]+\.ts$/.test(relative) || relative.includes('..')) throw new TypeError(`invalid lab script ${JSON.stringify(relative)}`);
  return join(LAB_SRC_DIR, relative);
}

/** tsxLoaderPath finds tsx's ESM loader (its "." export) from the project's node_modules. */
function tsxLoaderPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
}

/** nodeScript is the program and arguments that run script with args under Node and tsx. */
export function nodeScript(relative: string, args: readonly string[]): { program: string; args: string[] } {
  return { program: process.execPath, args: ['--import', tsxLoaderPath(), labScriptPath(relative), ...args] };
}

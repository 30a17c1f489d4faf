// How the lab runs its own TypeScript programs (services, power controller, helper) inside a
// namespace: the running Node binary with tsx's loader, by absolute paths, so that the command
// needs no build step and no PATH lookup, and names the lab directory for `down` to find it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const LAB_SRC_DIR = dirname(fileURLToPath(import.meta.url));
// COMPILED is true when this file runs from dist/ (npm run build): the scripts beside it are .js
// there and start without tsx.
const COMPILED = import.meta.url.endsWith('.js');

/** labScriptPath is the absolute path of a script beside this file (e.g. "services/lab-service.ts"). */
export function labScriptPath(relative: string): string {
  if (!/^[a-z0-9/-]+\.ts$/.test(relative) || relative.includes('..')) throw new TypeError(`invalid lab script ${JSON.stringify(relative)}`);
  return join(LAB_SRC_DIR, COMPILED ? relative.replace(/\.ts$/, '.js') : relative);
}

/** tsxLoaderPath finds tsx's ESM loader (its "." export) from the project's node_modules. */
function tsxLoaderPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
}

/** nodeScript is the program and arguments that run script with args under Node (and tsx, from the sources). */
export function nodeScript(relative: string, args: readonly string[]): { program: string; args: string[] } {
  const loader = COMPILED ? [] : ['--import', tsxLoaderPath()];
  return { program: process.execPath, args: [...loader, labScriptPath(relative), ...args] };
}

#!/usr/bin/env node
// The dbss command. It runs the compiled CLI in dist/ (`npm run build`, run by `npm ci` through
// `prepare`) when that is there and newer than every source file, because Node then starts it
// without transpiling (about 0.1 s for `dbss --help` instead of 0.8 s). Otherwise, as while the
// sources are being edited, it runs them through tsx's loader, so that a stale build never runs.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledMain } from './compiled.js';

const main = compiledMain(fileURLToPath(new URL('..', import.meta.url)));
if (main !== null) {
  await import(pathToFileURL(main).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

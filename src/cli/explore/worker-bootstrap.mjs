// The entry point of the worker threads (the explorer's and the sweep's). Compiled (dist/, built by `npm run build`),
// the worker's .js sits beside this file and loads as it is, with no transpiling. From the
// sources (tests, development), worker threads do not inherit tsx's loader from the main
// thread, so it is registered here first; only that path pays for loading tsx.
import { existsSync } from 'node:fs';

// DBSS_WORKER names the worker; the explorer's search is the default.
const WORKERS = { search: './search-worker', sweep: '../sweep-worker' };
const key = process.env.DBSS_WORKER ?? 'search';
const name = Object.hasOwn(WORKERS, key) ? WORKERS[key] : undefined;
if (name === undefined) throw new Error(`unknown DBSS_WORKER ${JSON.stringify(process.env.DBSS_WORKER)}`);
// The extension is joined at run time so that the build does not rewrite it.
const compiled = new URL(`${name}${'.js'}`, import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL(`${name}${'.ts'}`, import.meta.url).href);
}

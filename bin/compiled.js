// compiledMain says whether the compiled CLI in dist/ may run: it must exist and be newer than
// every file of src/, so that an edit to the sources is never hidden by an older build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** newestMtimeMs is the latest modification time of the files under dir (0 when there is no dir). */
function newestMtimeMs(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    // Node 20 before 20.12 names the folder `path`, later ones `parentPath`.
    const mtimeMs = statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs;
    if (mtimeMs > newest) newest = mtimeMs;
  }
  return newest;
}

/** compiledMain is the path of dist/cli/main.js under root when it is there and up to date, else null. */
export function compiledMain(root) {
  const main = join(root, 'dist', 'cli', 'main.js');
  let builtMs;
  try {
    builtMs = statSync(main).mtimeMs;
  } catch {
    return null;
  }
  return builtMs >= newestMtimeMs(join(root, 'src')) ? main : null;
}

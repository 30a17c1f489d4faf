// The version of dbss, from package.json. package.json is a data file two levels above this one
// (src/cli/ and dist/cli/ alike), read as text rather than imported: no module of src/ may import
// from outside src/ (test/architecture.test.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dbssVersion reads package.json's version. */
export function dbssVersion(): string {
  const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

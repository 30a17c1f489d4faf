// bin/dbss.js runs the compiled CLI only while it is newer than every source file: an edit to
// src/ falls back to the sources (through tsx) instead of running an older build.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error bin/ is plain JavaScript without types
import { compiledMain } from '../../bin/compiled.js';

const root = mkdtempSync(join(tmpdir(), 'dbss-compiled-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** touch writes a file with the given modification time (seconds since the epoch). */
function touch(relative: string, mtimeS: number): void {
  const path = join(root, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, mtimeS, mtimeS);
}

describe('when bin/dbss.js runs dist/', () => {
  it('runs nothing compiled before a build', () => {
    touch('src/cli/main.ts', 1000);
    expect(compiledMain(root)).toBeNull();
  });

  it('runs dist/ when it was built after the last edit of src/, however deep', () => {
    touch('src/sim/run/deep/x.ts', 1500);
    touch('dist/cli/main.js', 2000);
    expect(compiledMain(root)).toBe(join(root, 'dist', 'cli', 'main.js'));
  });

  it('falls back to the sources when any file of src/ is newer than the build', () => {
    touch('src/sim/run/deep/x.ts', 2500);
    expect(compiledMain(root)).toBeNull();
  });
});

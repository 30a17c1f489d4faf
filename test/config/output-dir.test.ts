// Output paths are made and checked before any work starts, and what killed writers left behind
// is tidied away (src/config/output-dir.ts).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareOutputDir, prepareOutputFile, writesFiles } from '../../src/config/output-dir.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbss-output-dir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** DEAD_PID is above Linux's largest process id (2^22), so no process has it. */
const DEAD_PID = 4_194_305;

describe('prepareOutputDir', () => {
  it('names a loop of symbolic links and a link to nothing, with the flag', async () => {
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    symlinkSync(join(dir, 'nothing'), join(dir, 'dangling'));
    await expect(prepareOutputDir('--out', join(dir, 'a', 'x'))).rejects.toThrow(`--out: expected a path dbss can examine, got "${join(dir, 'a')}": a loop of symbolic links`);
    await expect(prepareOutputDir('--out', join(dir, 'dangling'))).rejects.toThrow(`--out: expected a directory that can be created, got "${join(dir, 'dangling')}": ${join(dir, 'dangling')}: a symbolic link to nothing`);
  });

  it('refuses, before anything is written, a directory where the command writes a file, and leaves other names alone', async () => {
    mkdirSync(join(dir, 'points.csv'));
    mkdirSync(join(dir, 'notes'));
    await expect(prepareOutputDir('--out', dir, writesFiles('points.csv'))).rejects.toThrow(`--out: expected "${join(dir, 'points.csv')}" to be a file dbss can replace, got a directory`);
    expect(await prepareOutputDir('--out', dir, writesFiles('REPORT.md', /\.svg$/))).toBe(dir);
  });

  it('makes missing parents one level at a time and returns the directory', async () => {
    const out = join(dir, 'a', 'b', 'c');
    expect(await prepareOutputDir('--out', out)).toBe(out);
    expect(existsSync(out)).toBe(true);
  });

  it('removes the temporary files of writers that are gone and keeps those of a live one', async () => {
    writeFileSync(join(dir, `.results.csv.dbss-tmp-${DEAD_PID}-0a1b2c3d4e5f`), 'half a file');
    writeFileSync(join(dir, `.REPORT.md.dbss-tmp-${process.pid}-3d4e5f6a7b8c`), 'being written');
    writeFileSync(join(dir, 'results.csv'), 'whole');

    await prepareOutputDir('--out', dir);

    expect(readdirSync(dir).sort()).toEqual([`.REPORT.md.dbss-tmp-${process.pid}-3d4e5f6a7b8c`, 'results.csv']);
  });

  it('refuses a path through a regular file, naming the file', async () => {
    writeFileSync(join(dir, 'file.txt'), '');
    await expect(prepareOutputDir('--logs', join(dir, 'file.txt', 'logs'))).rejects.toThrow(`--logs: expected a directory, got "${dir}/file.txt/logs": ${dir}/file.txt is a file`);
  });

  it('refuses a directory under /proc at once instead of looping as a recursive mkdir does', async () => {
    await expect(prepareOutputDir('--out', '/proc/dbss-test/x')).rejects.toThrow('--out: expected a directory that can be created, got "/proc/dbss-test/x": /proc/dbss-test: it cannot be created there');
  });
});

describe('prepareOutputFile', () => {
  it('accepts a new file in a directory it makes', async () => {
    expect(await prepareOutputFile('--report', join(dir, 'r', 'FINDINGS.md'))).toBe(join(dir, 'r', 'FINDINGS.md'));
    expect(existsSync(join(dir, 'r'))).toBe(true);
  });

  it('refuses a directory as the file', async () => {
    await expect(prepareOutputFile('--report', dir)).rejects.toThrow(`--report: expected a file to write, got "${dir}": a directory`);
  });
});

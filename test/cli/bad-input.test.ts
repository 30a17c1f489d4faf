// Bad input gets one line naming the file, the line and the field, exit status 2 and no stack
// trace. Each file under scenarios/bad/ carries its expected message in a "# error:" comment.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function dbss(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dbss.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const badDir = 'scenarios/bad';
const badFiles = readdirSync(badDir).filter((f) => f.endsWith('.yaml')).sort();

describe('dbss sim refuses bad scenarios with one clear line and status 2', () => {
  it.each(badFiles)('%s', (file) => {
    const path = join(badDir, file);
    const expected = /^# error: (.*)$/m.exec(readFileSync(path, 'utf8'))?.[1];
    expect(expected, `${file} names its expected error`).toBeDefined();
    const r = dbss('sim', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${expected}\n`);
    expect(r.stdout).toBe('');
  });
});

describe('dbss refuses bad command lines with one clear line and status 2', () => {
  it('an unknown command names the commands there are', () => {
    const r = dbss('simulate');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown command "simulate"; commands: .*sim.*\n$/);
  });

  it('a missing scenario file names the file', () => {
    const r = dbss('sim', 'scenarios/no-such-file.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain('scenarios/no-such-file.yaml');
  });

  it('a non-numeric --runs is refused', () => {
    const r = dbss('sim', 'scenarios/single-ftp-nt.yaml', '--runs', 'ten');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --runs: expected a whole number from 1 to 10000, got "ten"\n');
  });

  it('an unknown option is refused without a stack trace', () => {
    const r = dbss('sim', 'scenarios/single-ftp-nt.yaml', '--sead', '3');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*--sead.*\n$/);
  });
});

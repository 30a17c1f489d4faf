// A standard output that cannot be written ends dbss with one line and status 2 (a full disk), or
// quietly (a reader that closed the pipe): never a stack trace, never status 0 with the output lost.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/dbss.js');
const LINE = 'error: standard output: expected somewhere to write the output, got no space left\n';

/** toFullDisk runs `dbss ARGS` with its standard output on /dev/full, where every write fails with ENOSPC. */
function toFullDisk(args: string[]): { status: number | null; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stderr: r.stderr };
  } finally {
    closeSync(full);
  }
}

describe.skipIf(!existsSync('/dev/full'))('dbss writing to a full standard output', () => {
  it.each([[['schema', 'scenario']], [['--help']], [['sim', 'scenarios/single-ftp-nt.yaml', '--runs', '1', '--json']]])('dbss %j says so in one line and exits 2', (args) => {
    expect(toFullDisk(args)).toEqual({ status: 2, stderr: LINE });
  });
});

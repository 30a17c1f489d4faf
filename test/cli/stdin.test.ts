// `dbss sim -` reads the scenario from standard input, as a script piping a generated scenario
// runs it: through a real process and a real pipe, bounded like a file, with a relative
// `cluster:` read from the current directory.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../../src/config/limits.ts';

const BIN = resolve('bin/dbss.js');

/** dbssWithInput runs `dbss ARGS` in cwd with input piped to its standard input. */
function dbssWithInput(input: string, args: string[], cwd = '.'): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dbss sim -', () => {
  it('runs the scenario piped to standard input, its cluster directory relative to the current directory', () => {
    const scenario = 'cluster: paper-cluster\nservers: [Mail, FTP]\nfaults: [{ server: FTP, type: Nt, at: 5 }]\nruns: 1\n';

    const r = dbssWithInput(scenario, ['sim', '-', '--json'], resolve('scenarios'));

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { scenario: string; runs: number; targets: { server: string; fault: string }[] };
    expect(report.scenario).toBe('stdin');
    expect(report.runs).toBe(1);
    expect(report.targets.map((t) => `${t.server} ${t.fault}`)).toEqual(['FTP Nt']);
  });

  it('answers a bad scenario on standard input with one line naming stdin and its line, status 2', () => {
    const r = dbssWithInput('faults:\n  - { server: FTQ, type: Nt, at: 5 }\n', ['sim', '-']);

    expect(r.stderr).toBe('error: stdin:2: faults[0].server: expected one of Mail, FTP, Web1, Web2, Proxy, Login, got "FTQ"\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('refuses more than MAX_INPUT_BYTES on standard input before parsing any of it', () => {
    const r = dbssWithInput(`# ${'x'.repeat(MAX_INPUT_BYTES)}\nfaults: []\n`, ['sim', '-']);

    expect(r.stderr).toBe(`error: stdin: scenario: expected a YAML scenario on standard input of at most ${MAX_INPUT_BYTES} bytes, got "more"\n`);
    expect(r.status).toBe(2);
  });
});

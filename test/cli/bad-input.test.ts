// Bad input gets one line naming the file, the line and the field, exit status 2, no stack trace,
// and it gets it at once (within 2 s, before any work starts). The cases are data:
//   scenarios/bad/*.yaml              bad scenario files, each with its "# error:" line
//   test/bad-input/command-lines.yaml bad command lines, each with its error
//   test/bad-input/agent/*.yaml       bad agent.yaml files, each with its "# error:" line
// They run in-process through the CLI's own entry (cli.ts), so that a hundred cases cost no
// hundred process start-ups; a few run as real processes to check the exit status itself.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, main } from '../../src/cli/cli.ts';
import { loadAgentDir } from '../../src/config/agent-dir.ts';
import { formatManagementData } from '../../src/core/model/management-data.ts';
import { paperCluster } from '../../src/paper/cluster.ts';

/**
 * ANSWER_MS is how fast a bad input must be answered: at once, against a hang or a run of minutes.
 * The slowest (an alias bomb) takes about 1.1 s alone; test files run one per core, so a loaded
 * machine doubles that.
 */
const ANSWER_MS = 5000;

/** answer runs `dbss ARGS` in-process and returns its status and stderr, with what reached stdout. */
async function answer(args: string[]): Promise<{ status: number; stderr: string; stdout: string; ms: number }> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  const t0 = performance.now();
  try {
    const status = await main(args);
    return { status, stderr: '', stdout: out.join(''), ms: performance.now() - t0 };
  } catch (e) {
    const f = failureOf(e);
    return { status: f.status, stderr: f.stderr, stdout: out.join(''), ms: performance.now() - t0 };
  } finally {
    process.stdout.write = write;
  }
}

function expectedLine(text: string, file: string): string {
  const expected = /^# error: (.*)$/m.exec(text)?.[1];
  if (expected === undefined) throw new Error(`${file} has no "# error:" line`);
  return expected;
}

const badDir = 'scenarios/bad';
const badScenarios = readdirSync(badDir).filter((f) => f.endsWith('.yaml')).sort();

describe('dbss sim refuses every bad scenario of scenarios/bad with its one line and status 2, at once', () => {
  it.each(badScenarios)('%s', async (file) => {
    const path = join(badDir, file);
    const r = await answer(['sim', path]);
    expect(r.stderr).toBe(`error: ${expectedLine(readFileSync(path, 'utf8'), file)}\n`);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.ms).toBeLessThan(ANSWER_MS);
  });
});

const badSweepDir = 'sweeps/bad';
const badSweeps = readdirSync(badSweepDir).filter((f) => f.endsWith('.yaml')).sort();

describe('dbss sweep refuses every bad sweep file of sweeps/bad with its one line and status 2, at once', () => {
  it.each(badSweeps)('%s', async (file) => {
    const path = join(badSweepDir, file);
    const r = await answer(['sweep', path, '--out', join(tmp, 'sweep-out')]);
    expect(r.stderr).toBe(`error: ${expectedLine(readFileSync(path, 'utf8'), file)}\n`);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.ms).toBeLessThan(ANSWER_MS);
  });
});

interface CommandLineCase {
  args: string[];
  error: string;
}

const commandLines = parse(readFileSync('test/bad-input/command-lines.yaml', 'utf8')) as CommandLineCase[];
let tmp = '';

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dbss-bad-input-'));
  writeFileSync(join(tmp, 'file.txt'), 'not a directory\n');
  spawnSync('mkfifo', [join(tmp, 'fifo')]);
  writeFileSync(join(tmp, 'big.yaml'), `# ${'x'.repeat(1_999_997)}\n`);
  for (const [name, ring] of [['fifo-cluster', 'fifo'], ['zero-cluster', '/dev/zero']] as const) {
    mkdirSync(join(tmp, name));
    if (ring === 'fifo') spawnSync('mkfifo', [join(tmp, name, 'ring.txt')]);
    else symlinkSync(ring, join(tmp, name, 'ring.txt'));
    writeFileSync(join(tmp, `${name}.yaml`), `cluster: ${name}\nfaults:\n  - { server: FTP, type: Nt, at: 5 }\n`);
  }
  writeFileSync(join(tmp, 'latin1.yaml'), Buffer.from('name: x\ndescription: caf\xe9\nfaults: [{ server: FTP, type: Nt, at: 5 }]\n', 'latin1'));
  // Output directories where a name dbss writes is taken by the wrong kind of entry.
  for (const taken of ['sweep-taken/points.csv', 'repro-taken/REPORT.md', 'scale-taken/scale.csv', 'explore-taken/x.yaml', 'sim-taken/single-ftp-nt/latest']) mkdirSync(join(tmp, taken), { recursive: true });
  mkdirSync(join(tmp, 'logs-taken'));
  writeFileSync(join(tmp, 'logs-taken', 'run-2'), '');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dbss refuses every bad command line of test/bad-input/command-lines.yaml with its one line and status 2, at once', () => {
  it.each(commandLines.map((c) => [c.args.join(' '), c] as const))('dbss %s', async (_, c) => {
    const r = await answer(c.args.map((a) => a.replaceAll('{tmp}', tmp)));
    expect(r.stderr).toBe(`error: ${c.error.replaceAll('{tmp}', tmp)}\n`);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.ms).toBeLessThan(ANSWER_MS);
  });
});

const agentDir = 'test/bad-input/agent';
const badAgentFiles = readdirSync(agentDir).filter((f) => f.endsWith('.yaml')).sort();

/** agentConfigDir writes a two-server configuration directory (Mail, FTP) with agent.yaml as given ({cfg} is the directory). */
function agentConfigDir(name: string, agentYaml: string): string {
  const cfg = join(tmp, `agent-${name}`);
  mkdirSync(cfg);
  const [mail, ftp] = paperCluster().filter((c) => c.data.hostName === 'Mail' || c.data.hostName === 'FTP');
  writeFileSync(join(cfg, 'ring.txt'), 'Mail\nFTP\n');
  writeFileSync(join(cfg, 'Mail.dat'), formatManagementData({ ...mail!.data, daemons: ['postfix'] }));
  writeFileSync(join(cfg, 'FTP.dat'), formatManagementData(ftp!.data));
  writeFileSync(join(cfg, 'sem.key'), 'kd'.repeat(32));
  writeFileSync(join(cfg, 'short.key'), 'k'.repeat(8));
  writeFileSync(join(cfg, 'id_ed25519'), 'a private key\n');
  writeFileSync(join(cfg, 'known_hosts'), '');
  spawnSync('mkfifo', [join(cfg, 'fifo')]);
  writeFileSync(join(cfg, 'agent.yaml'), agentYaml.replaceAll('{cfg}', cfg));
  return cfg;
}

describe('dbss agent refuses every bad configuration of test/bad-input/agent with its one line, at once', () => {
  it.each(badAgentFiles)('%s', (file) => {
    const text = readFileSync(join(agentDir, file), 'utf8');
    const cfg = agentConfigDir(file.replace(/\.yaml$/, ''), text);
    const t0 = performance.now();
    let failure: { status: number; stderr: string } | null = null;
    try {
      loadAgentDir(cfg);
    } catch (e) {
      failure = failureOf(e);
    }
    expect(failure?.stderr).toBe(`error: ${expectedLine(text, file).replaceAll('{cfg}', cfg)}\n`);
    expect(failure?.status).toBe(2);
    expect(performance.now() - t0).toBeLessThan(ANSWER_MS);
  });
});

describe('the cases are many and each is answered in its own words', () => {
  it('holds at least 100 cases as data', () => {
    expect(badScenarios.length + commandLines.length + badAgentFiles.length).toBeGreaterThanOrEqual(100);
  });
});

function dbss(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dbss.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a real dbss process answers bad input with one line and exit status 2', () => {
  it('an unknown command names the commands there are', () => {
    const r = dbss('simulate');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown command "simulate" \(did you mean sim\?\); commands: .*sim.*\n$/);
  });

  it('an alias bomb is refused without Node warnings or a stack trace', () => {
    const r = dbss('sim', 'scenarios/bad/alias-bomb.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: scenarios\/bad\/alias-bomb\.yaml:4: YAML: expected aliases used at most 1000 times/);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stdout).toBe('');
  });

  it('a scenario with a list as a key is refused without the YAML parser\'s warnings', () => {
    const r = dbss('sim', 'scenarios/bad/complex-key.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('/dev/zero as the scenario is refused at once instead of filling the memory', () => {
    const r = dbss('sim', '/dev/zero');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: /dev/zero: scenario file: expected a readable YAML file (a regular file), got "a special file"\n');
  });
});

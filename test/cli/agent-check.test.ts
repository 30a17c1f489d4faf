// `dbss agent check` on the shipped example (deploy/example), installed as an operator would: the
// files copied to a directory of their own (a temporary one here, /etc/dbss on a server, so the
// paths of agent.yaml are rewritten from /etc/dbss, /run/dbss and /var/log/dbss), the SEM key, the
// SSH key and known_hosts created. chronyc is a fake first in PATH that answers as chronyc does:
// synchronised, or "Could not open connection to daemon" for a socket where no chronyd listens.
// The broken configurations are data (test/bad-input/agent-check.yaml), one line each.
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, main } from '../../src/cli/cli.ts';

const EXAMPLE = 'deploy/example';

/** BrokenCase is one entry of test/bad-input/agent-check.yaml: edits to the installed example and the one line they get. */
interface BrokenCase {
  case: string;
  remove?: string[];
  mkdir?: string[];
  write?: Record<string, string>;
  replace?: { file: string; from: string; to: string }[];
  error: string;
}

const CASES = parse(readFileSync('test/bad-input/agent-check.yaml', 'utf8')) as BrokenCase[];

/** FAKE_CHRONYC prints a synchronised `chronyc -c tracking` line, 12 µs off, unless -h names a socket that is not there. */
const FAKE_CHRONYC = `#!/bin/sh
if [ "$1" = "-h" ] && [ ! -e "$2" ]; then echo "Could not open connection to daemon" >&2; exit 1; fi
echo "A9FEA97B,169.254.169.123,4,1764729600.123,0.000012000,0.000010000,0.000020000,-5.123,0.001,0.050,0.000500000,0.000200000,64.2,Normal"
`;

let tmp = '';
let savedPath: string | undefined;
let installs = 0;
let clientKey = '';
let hostKey = '';

/**
 * usableKeyPair generates an ed25519 key pair that ssh2 reads back: its generator writes about one
 * key in 400 with a 31-byte public half that its own parser refuses ("Malformed OpenSSH private key").
 */
function usableKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dbss-agent-check-'));
  mkdirSync(join(tmp, 'bin'));
  writeFileSync(join(tmp, 'bin', 'chronyc'), FAKE_CHRONYC);
  chmodSync(join(tmp, 'bin', 'chronyc'), 0o755);
  clientKey = usableKeyPair().private;
  hostKey = usableKeyPair().public;
  savedPath = process.env.PATH;
  process.env.PATH = `${join(tmp, 'bin')}:${savedPath ?? ''}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(tmp, { recursive: true, force: true });
});

/** install copies the example to a fresh directory and creates what its README says the operator creates. */
function install(): string {
  installs += 1;
  const cfg = join(tmp, `etc-dbss-${installs}`);
  cpSync(EXAMPLE, cfg, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  const yamlPath = join(cfg, 'agent.yaml');
  const yaml = readFileSync(yamlPath, 'utf8').replaceAll('/etc/dbss/', `${cfg}/`).replaceAll('/run/dbss', `${cfg}/run`).replaceAll('/var/log/dbss', `${cfg}/log`);
  writeFileSync(yamlPath, yaml);
  writeFileSync(join(cfg, 'sem.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  writeFileSync(join(cfg, 'id_ed25519'), clientKey, { mode: 0o600 });
  const { server, servers } = parse(yaml) as { server: string; servers: Record<string, { management: string }> };
  const lines = Object.entries(servers).filter(([name]) => name !== server).map(([, s]) => `${s.management} ${hostKey}\n`);
  writeFileSync(join(cfg, 'known_hosts'), lines.join(''));
  return cfg;
}

/** breakIt applies a case's edits to an installed copy; {cfg} in a text is the copy's directory. */
function breakIt(cfg: string, c: BrokenCase): void {
  const text = (s: string): string => s.replaceAll('{cfg}', cfg);
  for (const f of c.remove ?? []) rmSync(join(cfg, f), { recursive: true });
  for (const f of c.mkdir ?? []) mkdirSync(join(cfg, f));
  for (const [f, content] of Object.entries(c.write ?? {})) writeFileSync(join(cfg, f), text(content));
  for (const r of c.replace ?? []) {
    const before = readFileSync(join(cfg, r.file), 'utf8');
    if (!before.includes(text(r.from))) throw new Error(`${c.case}: ${r.file} has no ${JSON.stringify(r.from)}`);
    writeFileSync(join(cfg, r.file), before.replace(text(r.from), text(r.to)));
  }
}

/** check runs `dbss agent check --config CFG [ARGS]` in-process and returns its status, stdout and stderr. */
function check(cfg: string, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return dbss(['agent', 'check', '--config', cfg, ...args]);
}

/** dbss runs `dbss ARGS` in-process through the CLI's own entry and returns its status, stdout and stderr. */
async function dbss(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [write, writeErr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } catch (e) {
    const f = failureOf(e);
    return { status: f.status, stdout: out.join(''), stderr: err.join('') + f.stderr };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('dbss agent check on the shipped example', () => {
  it('accepts the example once the operator has put the keys and known_hosts in place', async () => {
    const cfg = install();

    const r = await check(cfg);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${cfg}: ok: Mail, one of 6 servers in ring order Mail, FTP, Web1, Web2, Proxy, Login; SEM key of 64 bytes; host keys known for the 5 other servers; chrony synchronised, off by 12 µs\n`);
  });

  it.skipIf(existsSync('/etc/dbss'))('names, as shipped, exactly the three files the operator must create', async () => {
    const r = await check(EXAMPLE, '--no-chrony');

    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean).map((l) => l.split(':')[1])).toEqual([' /etc/dbss/sem.key', ' /etc/dbss/id_ed25519', ' /etc/dbss/known_hosts']);
  });

  it('skips the chrony check with --no-chrony, and only it', async () => {
    const cfg = install();
    breakIt(cfg, { case: 'no chronyd', replace: [{ file: 'agent.yaml', from: 'chrony: { maxOffsetMs: 100 }', to: 'chrony: { maxOffsetMs: 100, socket: {cfg}/chronyd.sock }' }], error: '' });

    const r = await check(cfg, '--no-chrony');

    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/; chrony not asked \(--no-chrony\)\n$/);
  });

  it('prints every problem of a directory broken in several files, one line each, in file order', async () => {
    const cfg = install();
    breakIt(cfg, {
      case: 'three at once',
      replace: [
        { file: 'Mail.dat', from: 'postfix', to: 'postfix dovecot' },
        { file: 'agent.yaml', from: 'monitorInterval: 10,', to: 'monitorInterval: 0,' },
        { file: 'known_hosts', from: '10.0.1.6 ', to: '# 10.0.1.6 ' },
      ],
      error: '',
    });

    const r = await check(cfg);

    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean).map((l) => l.split(': ').slice(1, 3).join(': '))).toEqual([
      `${cfg}/Mail.dat:5: service daemons (line 5)`,
      `${cfg}/agent.yaml:54: parameters.monitorInterval`,
      `${cfg}/known_hosts: host key of Login`,
    ]);
  });
});

describe("dbss agent's help", () => {
  it('names the check and says where every key of agent.yaml is documented', async () => {
    const r = await dbss(['agent', '--help']);

    const help = r.stdout;
    expect(r.status).toBe(0);
    expect(help).toContain('dbss agent check --config DIR [--no-chrony]');
    expect(help).toContain('docs/agent-reference.md');
    expect(help).toContain('deploy/example/');
    expect(help).toContain('parameters: { monitorInterval: 10 }');
  });
});

describe('dbss agent check refuses every broken configuration of test/bad-input/agent-check.yaml with its one line and status 2', () => {
  it('holds at least 15 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.error)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES.map((c) => [c.case, c] as const))('%s', async (_, c) => {
    const cfg = install();
    breakIt(cfg, c);

    const r = await check(cfg);

    expect(r.stderr).toBe(`error: ${c.error.replaceAll('{cfg}', cfg)}\n`);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadClusterDir } from '../../src/config/cluster-dir.ts';
import { loadScenarioFile } from '../../src/config/scenario-file.ts';
import { InputError } from '../../src/core/model/input-error.ts';
import { paperCluster } from '../../src/paper/cluster.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = join(ROOT, 'scenarios');
/** rel names a path as the CLI's user would type it from the current directory (the repository root under npm test). */
const rel = (path: string): string => relative(process.cwd(), path);

function errorOf(load: () => unknown): InputError {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, but it loaded');
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** paperClusterCopy copies scenarios/paper-cluster to a fresh temporary directory for a test to spoil. */
function paperClusterCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbss-cluster-'));
  temps.push(dir);
  cpSync(join(SCENARIOS, 'paper-cluster'), dir, { recursive: true });
  return dir;
}

describe('shipped scenario files', () => {
  const shipped = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).sort();

  it('include the single failures, the Fig. 10 cases and the partial recovery of Fig. 11', () => {
    expect(shipped).toEqual(expect.arrayContaining([
      'fig10b-two-nt.yaml',
      'fig10c-three-nt.yaml',
      'fig10d-host-fails.yaml',
      'fig11-partial-recovery.yaml',
      'single-ftp-nt.yaml',
      'single-ftp-st.yaml',
    ]));
  });

  it.each(shipped)('%s loads, is named after its file and expects every failed server served, managed and recovered', (file) => {
    const s = loadScenarioFile(rel(join(SCENARIOS, file)));

    expect(s.name).toBe(file.replace(/\.yaml$/, ''));
    expect(s.description).not.toBeNull();
    expect(s.spec.cluster).toEqual(paperCluster());
    const failed = [...new Set(s.spec.faults.map((f) => f.server))].sort();
    expect(failed.length).toBeGreaterThan(0);
    expect([...(s.expect?.served ?? [])].sort()).toEqual(failed);
    expect([...(s.expect?.managed ?? [])].sort()).toEqual(failed);
    expect([...(s.expect?.recovered ?? [])].sort()).toEqual(failed);
  });

  it('put the single-failure faults 5 s after a tick, as Table 2 does', () => {
    const st = loadScenarioFile(rel(join(SCENARIOS, 'single-ftp-st.yaml')));
    const nt = loadScenarioFile(rel(join(SCENARIOS, 'single-ftp-nt.yaml')));

    expect(st.spec.faults).toEqual([{ server: 'FTP', type: 'St', atUs: 5_000_000 }]);
    expect(nt.spec.faults).toEqual([{ server: 'FTP', type: 'Nt', atUs: 5_000_000 }]);
  });
});

// The bad scenario files of scenarios/bad are run, with every other bad input, by test/cli/bad-input.test.ts.

describe('loadScenarioFile', () => {
  it('refuses a missing file with no line', () => {
    const e = errorOf(() => loadScenarioFile('scenarios/no-such-scenario.yaml'));

    expect(e.message).toBe('scenarios/no-such-scenario.yaml: scenario file: expected a readable YAML file, got "no such file"');
  });

  it('refuses a directory given as the scenario file', () => {
    const e = errorOf(() => loadScenarioFile(rel(SCENARIOS)));

    expect(e.message).toBe(`${rel(SCENARIOS)}: scenario file: expected a readable YAML file, got "a directory"`);
  });

  it('reads a cluster directory relative to the scenario file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbss-scenario-'));
    temps.push(dir);
    cpSync(join(SCENARIOS, 'paper-cluster'), join(dir, 'lab'), { recursive: true });
    writeFileSync(join(dir, 'lab', 'ring.txt'), 'Web1\nMail\n\n# FTP is left out\nLogin\n');
    writeFileSync(join(dir, 's.yaml'), 'cluster: lab\nfaults:\n  - { server: Mail, type: St, at: 1 }\n');

    const s = loadScenarioFile(join(dir, 's.yaml'));

    expect(s.spec.cluster.map((c) => [c.no, c.data.hostName])).toEqual([
      [1, 'Web1'],
      [2, 'Mail'],
      [3, 'Login'],
    ]);
  });

  it('reports a missing cluster directory through its ring file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbss-scenario-'));
    temps.push(dir);
    writeFileSync(join(dir, 's.yaml'), 'cluster: nowhere\nfaults: []\n');

    const e = errorOf(() => loadScenarioFile(join(dir, 's.yaml')));

    expect(e.message).toBe(`${join(dir, 'nowhere', 'ring.txt')}: ring file: expected a readable file naming the hosts in ring order, one per line, got "no such file"`);
  });
});

describe('loadClusterDir', () => {
  it('gives exactly paperCluster() for scenarios/paper-cluster', () => {
    expect(loadClusterDir(join(SCENARIOS, 'paper-cluster'))).toEqual(paperCluster());
  });

  it('refuses a .dat whose host name is not its file name', () => {
    const dir = paperClusterCopy();
    writeFileSync(join(dir, 'FTP.dat'), readFileSync(join(dir, 'FTP.dat'), 'utf8').replace('\nFTP\n', '\nFTP2\n'));

    const e = errorOf(() => loadClusterDir(dir));

    expect(e.message).toBe(`${join(dir, 'FTP.dat')}:2: host name (line 2): expected FTP, the name of the file, got "FTP2"`);
  });

  it('refuses an address another server already has', () => {
    const dir = paperClusterCopy();
    writeFileSync(join(dir, 'Web1.dat'), readFileSync(join(dir, 'Web1.dat'), 'utf8').replace('172.21.14.203', '172.21.14.2'));

    const e = errorOf(() => loadClusterDir(dir));

    expect(e.message).toBe(`${join(dir, 'Web1.dat')}:1: virtual IP address (line 1): expected an address no other server has (FTP.dat line 3 has it), got "172.21.14.2"`);
  });

  it('refuses a MAC address another server already has, whatever its case', () => {
    const dir = paperClusterCopy();
    writeFileSync(join(dir, 'Login.dat'), readFileSync(join(dir, 'Login.dat'), 'utf8').replace('00:00:00:00:00:06', '00:00:00:00:00:0A'));
    writeFileSync(join(dir, 'Proxy.dat'), readFileSync(join(dir, 'Proxy.dat'), 'utf8').replace('00:00:00:00:00:05', '00:00:00:00:00:0a'));

    const e = errorOf(() => loadClusterDir(dir));

    expect(e.message).toBe(`${join(dir, 'Login.dat')}:4: MAC address (line 4): expected a MAC address no other server has (Proxy.dat line 4 has it), got "00:00:00:00:00:0A"`);
  });

  it('reads a ring.txt with CRLF line ends and a comment as it reads it with LF', () => {
    const dir = paperClusterCopy();
    const ring = readFileSync(join(dir, 'ring.txt'), 'utf8');
    writeFileSync(join(dir, 'ring.txt'), `# the paper's ring\n${ring}`.replaceAll('\n', '\r\n'));

    expect(loadClusterDir(dir)).toEqual(paperCluster());
  });

  it('refuses a host listed twice in ring.txt', () => {
    const dir = paperClusterCopy();
    writeFileSync(join(dir, 'ring.txt'), 'Mail\nFTP\nMail\n');

    const e = errorOf(() => loadClusterDir(dir));

    expect(e.message).toBe(`${join(dir, 'ring.txt')}:3: host name: expected a host not already listed (line 1 has it), got "Mail"`);
  });

  it('refuses a ring.txt host without its .dat file', () => {
    const dir = paperClusterCopy();
    writeFileSync(join(dir, 'ring.txt'), 'Mail\nWeb3\n');

    const e = errorOf(() => loadClusterDir(dir));

    expect(e.message).toBe(`${join(dir, 'Web3.dat')}: management data file: expected a readable file of six lines (Fig. 4), got "no such file"`);
  });

  it('refuses a ring.txt that names no host', () => {
    const dir = paperClusterCopy();
    writeFileSync(join(dir, 'ring.txt'), '# empty\n\n');

    const e = errorOf(() => loadClusterDir(dir));

    expect(e.message).toBe(`${join(dir, 'ring.txt')}: host names: expected at least one host name, one per line`);
  });
});

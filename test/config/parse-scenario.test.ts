import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/paper/params.ts';
import { InputError } from '../../src/core/model/input-error.ts';
import { paperCluster } from '../../src/paper/cluster.ts';
import type { ClusterServer } from '../../src/core/model/cluster.ts';
import { PARAMETER_NAMES, parseScenario } from '../../src/config/parse-scenario.ts';
import { defaultSimParams } from '../../src/paper/testbed.ts';

const FILE = 'scenarios/x.yaml';

/** noCluster is the loader of tests that never name a cluster directory. */
function noCluster(dir: string): ClusterServer[] {
  throw new Error(`unexpected loadCluster(${dir})`);
}

function parse(text: string, loadCluster: (dir: string) => ClusterServer[] = noCluster) {
  return parseScenario(text, FILE, { loadCluster });
}

/** errorOf parses text that must be refused and returns the InputError. */
function errorOf(text: string, loadCluster: (dir: string) => ClusterServer[] = noCluster): InputError {
  try {
    parse(text, loadCluster);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).not.toContain('\n');
    return e as InputError;
  }
  throw new Error('expected an InputError, but the scenario parsed');
}

const FTP_NT = 'faults:\n  - { server: FTP, type: Nt, at: 5 }\n';

describe('parseScenario on good input', () => {
  it('fills every default when the file gives only its faults', () => {
    const s = parse(FTP_NT);

    expect(s).toEqual({
      name: 'x',
      file: FILE,
      text: FTP_NT,
      description: null,
      spec: {
        method: 'ring',
        cluster: paperCluster(),
        params: defaultParams(),
        sim: defaultSimParams(),
        faults: [{ server: 'FTP', type: 'Nt', atUs: 5_000_000 }],
        durationUs: null,
        disabled: [],
        hardening: [],
      },
      runs: 10,
      seed: 1,
      expect: null,
    });
  });

  it('reads the issue example with every field given', () => {
    const text = [
      'name: single-ftp-nt',
      'description: one line',
      'method: p2p',
      'servers: [Mail, FTP, Web1, Web2, Proxy, Login]',
      'faults:',
      '  - { server: FTP, type: Nt, at: 5 }',
      'runs: 3',
      'seed: 42',
      'duration: 300',
      'parameters: { monitoringInterval: 10 }',
      'expect: { served: [FTP], managed: [FTP], recovered: [FTP], violations: [] }',
    ].join('\n');

    const s = parse(text);

    expect(s.name).toBe('single-ftp-nt');
    expect(s.description).toBe('one line');
    expect(s.spec.method).toBe('p2p');
    expect(s.spec.cluster).toEqual(paperCluster());
    expect(s.runs).toBe(3);
    expect(s.seed).toBe(42);
    expect(s.spec.durationUs).toBe(300_000_000);
    expect(s.spec.params).toEqual(defaultParams());
    expect(s.expect).toEqual({ served: ['FTP'], managed: ['FTP'], recovered: ['FTP'], violations: [] });
  });

  it('takes the ring order from the servers list and numbers the servers 1..n in that order', () => {
    const s = parse(`servers: [Web1, Mail, FTP]\n${FTP_NT}`);

    expect(s.spec.cluster.map((c) => [c.no, c.data.hostName])).toEqual([
      [1, 'Web1'],
      [2, 'Mail'],
      [3, 'FTP'],
    ]);
    const web1 = paperCluster().find((c) => c.data.hostName === 'Web1');
    expect(s.spec.cluster[0]?.data).toEqual(web1?.data);
  });

  it('converts fault times from seconds to integer microseconds and keeps the faults in file order', () => {
    const s = parse('faults:\n  - { server: Web1, type: St, at: 12.125 }\n  - { server: FTP, type: Nt, at: 0 }\n');

    expect(s.spec.faults).toEqual([
      { server: 'Web1', type: 'St', atUs: 12_125_000 },
      { server: 'FTP', type: 'Nt', atUs: 0 },
    ]);
  });

  it('converts parameter overrides in seconds to microseconds and leaves plain numbers as they are', () => {
    const text = `${FTP_NT}parameters:\n  restartWaitMax: 30\n  networkExamTimeout: 1.5\n  vsResume: 2\n  loadSamplesPerStep: 3\n  variationFraction: 0\n  vmCapacity: 2\n  serviceExamByDaemon: { httpd: 0.75, nginx: 0.2 }\n`;

    const s = parse(text);

    expect(s.spec.params.restartWaitMaxUs).toBe(30_000_000);
    expect(s.spec.params.networkExamTimeoutUs).toBe(1_500_000);
    expect(s.spec.params.loadSamplesPerStep).toBe(3);
    expect(s.spec.sim.vsResumeUs).toBe(2_000_000);
    expect(s.spec.sim.variationFraction).toBe(0);
    expect(s.spec.sim.vmCapacity).toBe(2);
    expect(s.spec.sim.serviceExamUsByDaemon).toEqual({ ...defaultSimParams().serviceExamUsByDaemon, httpd: 750_000, nginx: 200_000 });
    expect(s.spec.params.monitorIntervalUs).toBe(defaultParams().monitorIntervalUs);
  });

  it('moves the internal monitoring offset and the heartbeat staleness with an overridden monitoring interval', () => {
    const s = parse(`${FTP_NT}parameters: { monitoringInterval: 6 }\n`);

    expect(s.spec.params.monitorIntervalUs).toBe(6_000_000);
    expect(s.spec.params.internalMonitorOffsetUs).toBe(3_000_000);
    expect(s.spec.params.heartbeatStaleUs).toBe(6_000_000);
  });

  it('keeps an internal monitoring offset that is given along with the interval', () => {
    const s = parse(`${FTP_NT}parameters: { monitorInterval: 6, internalMonitorOffset: 1, heartbeatStale: 12 }\n`);

    expect(s.spec.params.internalMonitorOffsetUs).toBe(1_000_000);
    expect(s.spec.params.heartbeatStaleUs).toBe(12_000_000);
  });

  it('accepts every listed parameter name and changes the field it names', () => {
    const defaults: Record<string, unknown> = { ...defaultParams(), ...defaultSimParams() };
    for (const name of PARAMETER_NAMES.filter((n) => n !== 'serviceExamByDaemon')) {
      const inFileUnits = name in defaults ? defaults[name] : Number(defaults[`${name}Us`]) / 1e6;
      // A change that keeps every relation between parameters (a period stays above what it contains).
      const value = Number.isInteger(inFileUnits) ? Number(inFileUnits) + 1 : Number(inFileUnits) * 1.5;

      const s = parse(`${FTP_NT}parameters: { ${name}: ${value} }\n`);

      const changed = [
        ...Object.entries(s.spec.params).filter(([k, v]) => v !== defaultParams()[k as keyof ReturnType<typeof defaultParams>]),
        ...Object.entries(s.spec.sim).filter(([k, v]) => typeof v === 'number' && v !== defaultSimParams()[k as keyof ReturnType<typeof defaultSimParams>]),
      ].map(([k]) => k);
      expect(changed.some((k) => k === name || k === `${name}Us`), name).toBe(true);
    }
  });

  it('lists every Params field and every numeric SimParams field among the parameter names', () => {
    const numericSim = Object.entries(defaultSimParams()).filter(([, v]) => typeof v === 'number').map(([k]) => k);
    const expected = [...Object.keys(defaultParams()), ...numericSim].map((k) => k.replace(/Us$/, ''));

    expect([...PARAMETER_NAMES].sort()).toEqual([...expected, 'serviceExamByDaemon'].sort());
  });

  it('asks the injected loader for the cluster directory as the file writes it', () => {
    const asked: string[] = [];
    const load = (dir: string): ClusterServer[] => {
      asked.push(dir);
      return paperCluster().slice(0, 3);
    };

    const s = parse(`cluster: my-cluster\n${FTP_NT}`, load);

    expect(asked).toEqual(['my-cluster']);
    expect(s.spec.cluster.map((c) => c.data.hostName)).toEqual(['Mail', 'FTP', 'Web1']);
  });

  it('accepts a scenario without faults, for a run with nothing to recover', () => {
    expect(parse('faults: []\n').spec.faults).toEqual([]);
  });
});

describe('hardening: in a scenario', () => {
  it('switches every extension on with all, none with none, and keeps HARDENINGS order for a list', () => {
    expect(parse(`${FTP_NT}hardening: all\n`).spec.hardening).toEqual(['fencing', 'semResync', 'readmission', 'heartbeatTrust']);
    expect(parse(`${FTP_NT}hardening: none\n`).spec.hardening).toEqual([]);
    expect(parse(`${FTP_NT}hardening: [heartbeatTrust, fencing]\n`).spec.hardening).toEqual(['fencing', 'heartbeatTrust']);
  });
});

describe('parseScenario on bad input', () => {
  // Each case: the file text and the whole one-line message, naming the file, the line and the field.
  const cases: [string, string, string][] = [
    ['malformed YAML gives the yaml parser\'s message and line', 'name: a\nservers: [Mail, FTP\nfaults: []\n', 'scenarios/x.yaml:3: YAML: expected well-formed YAML (Flow sequence in block collection must be sufficiently indented and end with a ]), got "faults: []"'],
    ['a duplicate key is a YAML error', 'runs: 1\nruns: 2\nfaults: []\n', 'scenarios/x.yaml:2: YAML: expected well-formed YAML (Map keys must be unique), got "runs: 2"'],
    ['an alias without an anchor is refused', 'faults: *nope\n', 'scenarios/x.yaml:1: YAML: expected an alias whose anchor is set before it, got "*nope"'],
    ['an unknown top-level key names the keys accepted', `${FTP_NT}fautls: []\n`, 'scenarios/x.yaml:3: fautls: expected one of the keys name, description, method, servers, cluster, faults, runs, seed, duration, parameters, expect, disable, hardening, got "fautls"'],
    ['a misspelt faults key is reported as unknown rather than as faults missing', 'name: a\nfautls: []\n', 'scenarios/x.yaml:2: fautls: expected one of the keys name, description, method, servers, cluster, faults, runs, seed, duration, parameters, expect, disable, hardening, got "fautls"'],
    ['missing faults is reported on the line of the parent mapping', '# c\nname: a\nruns: 2\n', 'scenarios/x.yaml:2: faults: expected a list of faults such as [{ server: FTP, type: Nt, at: 5 }], but it is missing'],
    ['a fault without its time is reported on the fault\'s line', 'faults:\n  - { server: FTP, type: Nt }\n', 'scenarios/x.yaml:2: faults[0].at: expected a time in seconds, from 0 to 1000000, but it is missing'],
    ['an unknown key in a fault names the fault keys', 'faults:\n  - { server: FTP, type: Nt, at: 5, when: 3 }\n', 'scenarios/x.yaml:2: faults[0].when: expected one of the keys server, type, at, duration, delay, offset, got "when"'],
    ['an unknown server in faults lists the ring', 'faults:\n  - server: FPT\n    type: Nt\n    at: 5\n', 'scenarios/x.yaml:2: faults[0].server: expected one of Mail, FTP, Web1, Web2, Proxy, Login, got "FPT"'],
    ['a fault on a server left out of the servers list is unknown', `servers: [Mail, Web1]\n${FTP_NT}`, 'scenarios/x.yaml:3: faults[0].server: expected one of Mail, Web1, got "FTP"'],
    ['an unknown server in servers lists the cluster', `servers: [Mail, FTP, Web3]\n${FTP_NT}`, 'scenarios/x.yaml:1: servers[2]: expected one of Mail, FTP, Web1, Web2, Proxy, Login, got "Web3"'],
    ['a duplicate server in servers names the first place', `servers:\n  - Mail\n  - FTP\n  - Mail\n${FTP_NT}`, 'scenarios/x.yaml:4: servers[2]: expected a server not already listed (Mail is servers[0]), got "Mail"'],
    ['fewer than two servers cannot form a ring', 'servers: [FTP]\nfaults: []\n', 'scenarios/x.yaml:1: servers: expected at least 2 servers to form a ring, got "[FTP]"'],
    ['a negative time is refused', 'faults:\n  - { server: FTP, type: Nt, at: -0.5 }\n', 'scenarios/x.yaml:2: faults[0].at: expected a time in seconds, from 0 to 1000000, got "-0.5"'],
    ['a time with a unit is not a number', 'faults:\n  - { server: FTP, type: Nt, at: 5s }\n', 'scenarios/x.yaml:2: faults[0].at: expected a time in seconds, from 0 to 1000000, got "5s"'],
    ['a quoted number is not a number', 'faults:\n  - { server: FTP, type: Nt, at: "5" }\n', 'scenarios/x.yaml:2: faults[0].at: expected a time in seconds, from 0 to 1000000, got "5"'],
    ['an empty time shows as empty', 'faults:\n  - server: FTP\n    type: Nt\n    at:\n', 'scenarios/x.yaml:4: faults[0].at: expected a time in seconds, from 0 to 1000000, got ""'],
    ['an unknown fault type lists the fault types', 'faults:\n  - { server: FTP, type: nt, at: 5 }\n', 'scenarios/x.yaml:2: faults[0].type: expected one of St, Nt, Repair, SemLoss, SemDelay, ServicePartition, ManagementPartition, ClockOff, NoCapacity, got "nt"'],
    ['an unknown method expects ring or p2p', `method: star\n${FTP_NT}`, 'scenarios/x.yaml:1: method: expected one of ring, p2p, got "star"'],
    ['runs must be an integer', `runs: 2.5\n${FTP_NT}`, 'scenarios/x.yaml:1: runs: expected an integer from 1 to 10000, got "2.5"'],
    ['runs must be at least one', `runs: 0\n${FTP_NT}`, 'scenarios/x.yaml:1: runs: expected an integer from 1 to 10000, got "0"'],
    ['seed must be a non-negative integer', `seed: -1\n${FTP_NT}`, 'scenarios/x.yaml:1: seed: expected a non-negative integer, got "-1"'],
    ['seed must not be text', `seed: abc\n${FTP_NT}`, 'scenarios/x.yaml:1: seed: expected a non-negative integer, got "abc"'],
    ['an unknown parameter lists close matches', `${FTP_NT}parameters:\n  monitorIntervall: 10\n`, 'scenarios/x.yaml:4: parameters.monitorIntervall: expected a known parameter name (closest: monitorInterval, monitoringInterval), got "monitorIntervall"'],
    ['a parameter written with its Us suffix points to the name without it', `${FTP_NT}parameters:\n  restartWaitMaxUs: 50000000\n`, 'scenarios/x.yaml:4: parameters.restartWaitMaxUs: expected a known parameter name (closest: restartWaitMax, startWaitMax), got "restartWaitMaxUs"'],
    ['a duration parameter with a unit has the wrong type', `${FTP_NT}parameters: { monitorInterval: 10s }\n`, 'scenarios/x.yaml:3: parameters.monitorInterval: expected a period in seconds, from 0.001 to 86400, got "10s"'],
    ['a zero duration parameter is refused', `${FTP_NT}parameters: { restartWaitMax: 0 }\n`, 'scenarios/x.yaml:3: parameters.restartWaitMax: expected a duration in seconds, from 0.000001 (a microsecond, the step of simulated time) to 86400, got "0"'],
    ['a count parameter must be an integer', `${FTP_NT}parameters: { loadSamplesPerStep: 1.5 }\n`, 'scenarios/x.yaml:3: parameters.loadSamplesPerStep: expected an integer from 1 to 100, got "1.5"'],
    ['a negative variation fraction is refused', `${FTP_NT}parameters: { variationFraction: -0.1 }\n`, 'scenarios/x.yaml:3: parameters.variationFraction: expected a fraction from 0 to 1, got "-0.1"'],
    ['a parameter and its alias cannot both be given', `${FTP_NT}parameters:\n  monitorInterval: 10\n  monitoringInterval: 10\n`, 'scenarios/x.yaml:5: parameters.monitoringInterval: expected monitorInterval given once (it is already given as monitorInterval), got "monitoringInterval"'],
    ['the internal monitoring offset must fall inside the interval', `${FTP_NT}parameters:\n  monitorInterval: 4\n  internalMonitorOffset: 4\n`, 'scenarios/x.yaml:5: parameters.internalMonitorOffset: expected a time in seconds less than monitorInterval (4 s): internal monitoring runs inside the interval, got "4"'],
    ['a service examination time must be in seconds per daemon', `${FTP_NT}parameters:\n  serviceExamByDaemon: { httpd: fast }\n`, 'scenarios/x.yaml:4: parameters.serviceExamByDaemon.httpd: expected a duration in seconds, from 0.000001 (a microsecond, the step of simulated time) to 86400, got "fast"'],
    ['parameters must be a mapping', `${FTP_NT}parameters: [monitorInterval]\n`, 'scenarios/x.yaml:3: parameters: expected a mapping of parameter names to values, such as { monitorInterval: 10 }, got "[monitorInterval]"'],
    ['the duration must end after the last fault', 'faults:\n  - { server: FTP, type: Nt, at: 5 }\n  - { server: Web1, type: Nt, at: 60 }\nduration: 60\n', 'scenarios/x.yaml:4: duration: expected a time in seconds after the last fault (60 s), got "60"'],
    ['an unknown server in the expectations lists the ring', `${FTP_NT}expect:\n  served: [FTP]\n  recovered: [FTP, Wbe1]\n`, 'scenarios/x.yaml:5: expect.recovered[1]: expected one of Mail, FTP, Web1, Web2, Proxy, Login, got "Wbe1"'],
    ['an unknown expectation names the expectations accepted', `${FTP_NT}expect: { fixed: [FTP] }\n`, 'scenarios/x.yaml:3: expect.fixed: expected one of the keys served, managed, recovered, violations, got "fixed"'],
    ['a multi-line description is refused', `description: |\n  two\n  lines\n${FTP_NT}`, 'scenarios/x.yaml:1: description: expected a one-line description, got "two\\nlines\\n"'],
    ['a document that is not a mapping is refused', '- FTP\n', 'scenarios/x.yaml:1: scenario: expected a mapping with at least faults: [...], got "- FTP"'],
    ['an empty file has no line to name', '# nothing\n', 'scenarios/x.yaml: scenario: expected a mapping with at least faults: [...], but it is missing'],
    ['an unknown hardening extension names the extensions', `${FTP_NT}hardening: [fencing, stonith]\n`, 'scenarios/x.yaml:3: hardening: expected all, none, or a list of extensions of the hardened ring from fencing, semResync, readmission, heartbeatTrust, got "[fencing, stonith]"'],
    ['a hardening word other than all or none is refused', `${FTP_NT}hardening: some\n`, 'scenarios/x.yaml:3: hardening: expected all, none, or a list of extensions of the hardened ring from fencing, semResync, readmission, heartbeatTrust, got "some"'],
  ];

  it.each(cases)('%s', (_, text, message) => {
    expect(errorOf(text).message).toBe(message);
  });

  it('reports the problem on the earliest line when a file has several', () => {
    const text = 'runs: 0\nfaults:\n  - { server: FPT, type: Xt, at: -1 }\n';

    expect(errorOf(text).message).toBe('scenarios/x.yaml:1: runs: expected an integer from 1 to 10000, got "0"');
  });

  it('passes the cluster loader\'s InputError through unchanged', () => {
    const fromLoader = new InputError('c/FTP.dat', 3, 'real IP address (line 3)', 'an IPv4 address', '1.2.3');
    const load = (): ClusterServer[] => {
      throw fromLoader;
    };

    expect(errorOf(`cluster: c\n${FTP_NT}`, load)).toBe(fromLoader);
  });

  it('refuses a cluster directory of one server on the cluster line', () => {
    const load = (): ClusterServer[] => paperCluster().slice(1, 2);

    expect(errorOf(`name: a\ncluster: tiny\n${FTP_NT}`, load).message).toBe(
      'scenarios/x.yaml:2: cluster: expected a cluster of at least 2 servers to form a ring (it has 1), got "tiny"',
    );
  });

  it('keeps the fields of the InputError apart for callers', () => {
    const e = errorOf('faults:\n  - { server: FPT, type: Nt, at: 5 }\n');

    expect([e.file, e.line, e.field, e.got]).toEqual([FILE, 2, 'faults[0].server', 'FPT']);
  });
});

describe('faults beyond the paper take exactly the fields they need', () => {
  const parse = (yaml: string) => () => parseScenario(yaml, 'scenarios/x.yaml', { loadCluster: () => [] });
  it('a SEM loss without a duration is refused on its line', () => {
    expect(parse('faults:\n  - { server: FTP, type: SemLoss, at: 5 }\n')).toThrow('scenarios/x.yaml:2: faults[0]: expected a duration: SemLoss lasts for a window of seconds');
  });
  it('a duration on an Nt fault is refused', () => {
    expect(parse('faults:\n  - { server: FTP, type: Nt, at: 5, duration: 3 }\n')).toThrow('scenarios/x.yaml:2: faults[0].duration: expected no duration: Nt is not a window fault');
  });
  it('a clock offset, a SEM delay and a partition convert their seconds to microseconds', () => {
    const s = parseScenario(
      'faults:\n  - { server: Mail, type: ClockOff, at: 0, offset: -1.5 }\n  - { server: FTP, type: SemDelay, at: 5, duration: 20, delay: 0.4 }\n  - { server: Web1, type: ManagementPartition, at: 7, duration: 30 }\n',
      'scenarios/x.yaml',
      { loadCluster: () => [] },
    );
    expect(s.spec.faults).toEqual([
      { server: 'Mail', type: 'ClockOff', atUs: 0, offsetUs: -1_500_000 },
      { server: 'FTP', type: 'SemDelay', atUs: 5_000_000, durationUs: 20_000_000, delayUs: 400_000 },
      { server: 'Web1', type: 'ManagementPartition', atUs: 7_000_000, durationUs: 30_000_000 },
    ]);
  });
});

// The pure parts of the keepalived comparison (keepalived-lab.ts, comparison.ts), which need
// neither root nor keepalived: the configuration each side gets, keepalived's log lines read back,
// and the table that puts the designs side by side.
import { describe, expect, test } from 'vitest';
import { DEFAULT_SERVERS, labServers } from '../../src/lab/layout.ts';
import { comparisonTable, simulatorFigures, type Figures } from './comparison.ts';
import { KEEPALIVED_SETTINGS, keepalivedConf, parseTransitions } from './keepalived-lab.ts';

const servers = labServers(DEFAULT_SERVERS);
const [mail, ftp] = [servers[0]!, servers[1]!];
const NOTIFY = ['/usr/bin/node', '/lab/keepalived-notify.ts', '/run/lab/ftp.notify.jsonl'];

describe("keepalived's configuration in the lab", () => {
  test("FTP's side holds FTP's VIP as MASTER with unicast VRRP to Mail and a track script on the FTP port", () => {
    const conf = keepalivedConf({ self: ftp, peer: mail, target: ftp, priority: 150, state: 'MASTER' }, NOTIFY);
    expect(conf).toContain('state MASTER');
    expect(conf).toContain('priority 150');
    expect(conf).toContain(`advert_int ${KEEPALIVED_SETTINGS.advertIntS}`);
    expect(conf).toContain('unicast_src_ip 198.18.0.2');
    expect(conf).toMatch(/unicast_peer \{\s+198\.18\.0\.1\s+\}/);
    expect(conf).toMatch(/virtual_ipaddress \{\s+198\.18\.0\.202\/24 dev svc0\s+\}/);
    expect(conf).toContain('script "/bin/busybox nc -w 1 127.0.0.1 21"');
    expect(conf).toContain(`interval ${KEEPALIVED_SETTINGS.script.intervalS}`);
    expect(conf).toContain('notify "/usr/bin/node /lab/keepalived-notify.ts /run/lab/ftp.notify.jsonl"');
    // Every address keepalived is given is the lab's own (198.18.0.0/15).
    for (const m of conf.matchAll(/\b(\d+\.\d+\.\d+\.\d+)\b/g)) expect(m[1]!.startsWith('198.18.') || m[1] === '127.0.0.1', m[1]).toBe(true);
  });

  test("Mail's side backs the same instance up with a lower priority and FTP as its peer", () => {
    const conf = keepalivedConf({ self: mail, peer: ftp, target: ftp, priority: 100, state: 'BACKUP' }, NOTIFY);
    expect(conf).toContain('vrrp_instance FTP {');
    expect(conf).toContain('virtual_router_id 2');
    expect(conf).toContain('state BACKUP');
    expect(conf).toContain('unicast_src_ip 198.18.0.1');
    expect(conf).toMatch(/unicast_peer \{\s+198\.18\.0\.2\s+\}/);
  });
});

describe("keepalived's state changes read back", () => {
  test('the notify lines are read in time order, and a torn line or an unknown state is skipped', () => {
    const text = [
      '{"atUs":3000,"type":"INSTANCE","instance":"FTP","state":"MASTER","priority":150}',
      '{"atUs":1000,"type":"INSTANCE","instance":"FTP","state":"BACKUP","priority":150}',
      '{"atUs":2000,"type":"INSTANCE","instance":"FTP","state":"ELSEWHERE","priority":150}',
      '{"atUs":4000,"type":"INSTANCE","instance":"FTP","state":"FAU',
    ].join('\n');
    expect(parseTransitions(text).map((t) => [t.atUs, t.state])).toEqual([
      [1000, 'BACKUP'],
      [3000, 'MASTER'],
    ]);
  });

  test("a notify command that keepalived's split at spaces would break is refused", () => {
    expect(() => keepalivedConf({ self: ftp, peer: mail, target: ftp, priority: 150, state: 'MASTER' }, ['/usr/bin/node', '/a dir/x.ts'])).toThrow(/split/);
  });
});

describe('the comparison table', () => {
  test('puts keepalived, the agents and the simulator under each fault, with what each design needs', () => {
    const row = (design: string, fault: string, detectionS: number): Figures => ({ design, scenario: `${fault} on FTP`, server: 'FTP', fault, detectionS, vipMovedS: detectionS + 1, clientDisconnectionS: 2, backAfterReturnS: 1.5 });
    const sim = simulatorFigures('St on FTP', 'FTP', 'St', { detectionS: 5, functionRecoveryS: 4, targetRecoveryS: 40, clientDisconnectionS: 9, steps: { foundUp: 30, vipBack: 31.25 } });
    const table = comparisonTable([row('dbss agents', 'Nt', 5.5), row('keepalived', 'Nt', 3.4), sim, row('keepalived', 'St', 5.6)], ['settings line'], ['a note']);
    const lines = table.split('\n').filter((l) => l.includes(' on FTP '));
    expect(lines.map((l) => l.split('|')[0]!.trim())).toEqual(['St on FTP  keepalived', 'St on FTP  dbss simulator', 'Nt on FTP  keepalived', 'Nt on FTP  dbss agents']);
    expect(lines[1]).toMatch(/\|\s+5\.00 \|\s+9\.00 \|\s+9\.00 \|\s+1\.25 \| none/);
    expect(lines[0]).toContain('a standby copy of each service');
    expect(table).toContain('settings line');
    expect(table).toContain('a note');
  });
});

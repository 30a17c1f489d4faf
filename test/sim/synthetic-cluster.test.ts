// Synthetic rings of any size up to 10,000 servers (issue 10): every address and MAC valid and
// unique, the first 250 as earlier searches named them, and readable from a scenario file.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/config/parse-scenario.ts';
import { MAX_SERVERS } from '../../src/config/limits.ts';
import { isIpv4, isMac } from '../../src/core/model/validate.ts';
import { syntheticCluster } from '../../src/sim/synthetic-cluster.ts';

describe('syntheticCluster', () => {
  it('names 10,000 servers with valid, unique VIPs, real addresses and MACs', () => {
    const ring = syntheticCluster(MAX_SERVERS);
    expect(ring).toHaveLength(MAX_SERVERS);
    const all = ring.flatMap((s) => [s.data.vip, s.data.ipr]);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(ring.map((s) => s.data.mac)).size).toBe(MAX_SERVERS);
    expect(new Set(ring.map((s) => s.data.hostName)).size).toBe(MAX_SERVERS);
    for (const s of ring) {
      expect(isIpv4(s.data.vip) && isIpv4(s.data.ipr), s.data.hostName).toBe(true);
      expect(isMac(s.data.mac), s.data.mac).toBe(true);
    }
    expect(ring.map((s) => s.no)).toEqual(Array.from({ length: MAX_SERVERS }, (_, i) => i + 1));
  });

  it('keeps the addresses earlier searches used for the first 250 servers', () => {
    const s = syntheticCluster(300);
    expect(s[249]?.data).toMatchObject({ hostName: 'S250', vip: '172.21.16.250', ipr: '172.21.15.250', mac: '00:00:00:00:01:fa' });
    expect(s[250]?.data).toMatchObject({ hostName: 'S251', vip: '10.1.0.1', ipr: '10.2.0.1' });
  });

  it('is what a scenario gets with cluster: { synthetic: K }', () => {
    const scenario = parseScenario('cluster: { synthetic: 300 }\nfaults:\n  - { server: S260, type: Nt, at: 5 }\n', 'big.yaml', { loadCluster: () => [] });
    expect(scenario.spec.cluster).toEqual(syntheticCluster(300));
    expect(scenario.spec.faults[0]?.server).toBe('S260');
  });
});

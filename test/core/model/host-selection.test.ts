import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankHosts, selectHost, selectionValue, TYPE_WEIGHTS } from '../../../src/core/model/host-selection.ts';
import type { HostCandidate } from '../../../src/core/model/host-selection.ts';
import type { HostSpec, PredictedLoad, RemainingCapacity } from '../../../src/core/model/load.ts';
import { remainingCapacity } from '../../../src/core/model/load.ts';
import type { ServerType } from '../../../src/core/model/management-data.ts';

// Table 1 host: 8,388,608 KB, 8 CPUs in /proc/stat, 1000BASE-T; 8,192 MB holds three 2,048 MB
// virtual servers beside the host's own system.
const SPEC: HostSpec = { memKb: 8_388_608, cores: 8, ratedBytesPerS: 125_000_000 };
const TYPES: readonly ServerType[] = ['CPU', 'NETWORK', 'CPU_NET'];

function host(server: string, predicted: PredictedLoad, vmCount = 0, vmCapacity = 3): HostCandidate {
  return { server, predicted, spec: SPEC, vmCount, vmCapacity };
}

const IDLE: PredictedLoad = { memKb: 6_291_456, cpuIdlePct: 760, netBytesPerS: 10_000_000 };
const BUSY: PredictedLoad = { memKb: 2_097_152, cpuIdlePct: 80, netBytesPerS: 200_000_000 };
const HALF: PredictedLoad = { memKb: 4_194_304, cpuIdlePct: 400, netBytesPerS: 125_000_000 };

describe('selection value, Sec. 3.3', () => {
  it('has weights that sum to one for every server type, so the load terms span [0, 100]', () => {
    for (const type of TYPES) {
      const w = TYPE_WEIGHTS[type];
      expect(w.wm + w.wc + w.wn).toBeCloseTo(1, 12);
      expect(w.wm).toBe(0.5);
    }
  });

  it('weighs Rm, Rc and Rn by the type of the failed server', () => {
    // rem = Rm 60, Rc 50, Rn 80
    // CPU:     0.5 x 60 + 0.4 x 50  + 0.1 x 80  = 30 + 20   + 8  = 58
    // NETWORK: 0.5 x 60 + 0.1 x 50  + 0.4 x 80  = 30 + 5    + 32 = 67
    // CPU_NET: 0.5 x 60 + 0.25 x 50 + 0.25 x 80 = 30 + 12.5 + 20 = 62.5
    const rem: RemainingCapacity = { rmPct: 60, rcPct: 50, rnPct: 80 };
    expect(selectionValue(rem, 'CPU', 0)).toBeCloseTo(58, 10);
    expect(selectionValue(rem, 'NETWORK', 0)).toBeCloseTo(67, 10);
    expect(selectionValue(rem, 'CPU_NET', 0)).toBeCloseTo(62.5, 10);
  });

  it('subtracts 100 for every virtual server already on the host', () => {
    // CPU: 58 - 100 x 1 = -42; 58 - 100 x 2 = -142
    const rem: RemainingCapacity = { rmPct: 60, rcPct: 50, rnPct: 80 };
    expect(selectionValue(rem, 'CPU', 1)).toBeCloseTo(-42, 10);
    expect(selectionValue(rem, 'CPU', 2)).toBeCloseTo(-142, 10);
  });

  it('scores a predicted load end to end through Eq. (4)-(6)', () => {
    // HALF: Rm = 4,194,304 / 8,388,608 = 50 %; Rc = (400 + 8) / 808 = 50.4950 %;
    //       Rn = (250e6 - 125e6) / 250e6 = 50 %
    // CPU: 0.5 x 50 + 0.4 x 50.4950 + 0.1 x 50 = 25 + 20.1980 + 5 = 50.1980
    const [ranked] = rankHosts([host('Mail', HALF)], 'CPU');
    expect(ranked?.selectionValue).toBeCloseTo(50.198, 3);
  });

  it('rejects a negative or fractional VM count', () => {
    const rem: RemainingCapacity = { rmPct: 0, rcPct: 0, rnPct: 0 };
    expect(() => selectionValue(rem, 'CPU', -1)).toThrow(RangeError);
    expect(() => selectionValue(rem, 'CPU', 0.5)).toThrow(RangeError);
  });

  it('never rises when a virtual server is added to a host', () => {
    fc.assert(
      fc.property(arbRemaining(), fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 50 }), (rem, type, vmCount) => {
        return selectionValue(rem, type, vmCount + 1) <= selectionValue(rem, type, vmCount);
      }),
    );
  });

  it('ranks a host with fewer virtual servers strictly above one with more, whatever the loads', () => {
    fc.assert(
      fc.property(
        arbPrediction(),
        arbPrediction(),
        fc.constantFrom(...TYPES),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (pFew, pMany, type, fewVms, extraVms) => {
          const few = selectionValue(remainingCapacity(pFew, SPEC), type, fewVms);
          const many = selectionValue(remainingCapacity(pMany, SPEC), type, fewVms + extraVms);
          return few > many;
        },
      ),
    );
  });
});

describe('selectHost, A5 of Fig. 12', () => {
  it('picks an idle host over a busy one for a CPU_NET server', () => {
    // Busy: Rm 25, Rc (80 + 8) / 808 = 10.89, Rn (250 - 200) / 250 = 20
    //       0.5 x 25 + 0.25 x 10.89 + 0.25 x 20 = 12.5 + 2.72 + 5 = 20.22
    // Idle: Rm 75, Rc (760 + 8) / 808 = 95.05, Rn (250 - 10) / 250 = 96
    //       0.5 x 75 + 0.25 x 95.05 + 0.25 x 96 = 37.5 + 23.76 + 24 = 85.26
    const candidates = [host('Web2', BUSY), host('Proxy', IDLE)];
    expect(selectHost(candidates, 'CPU_NET')).toBe('Proxy');
    const ranked = rankHosts(candidates, 'CPU_NET');
    expect(ranked.map((r) => r.server)).toEqual(['Proxy', 'Web2']);
    expect(ranked[0]?.selectionValue).toBeCloseTo(85.26, 2);
    expect(ranked[1]?.selectionValue).toBeCloseTo(20.22, 2);
  });

  it('picks a busy host without a virtual server over an idle host that already runs one', () => {
    // Idle with 1 VM: 85.26 - 100 = -14.74 < busy with none: 20.22
    const candidates = [host('Proxy', IDLE, 1), host('Web2', BUSY, 0)];
    expect(selectHost(candidates, 'CPU_NET')).toBe('Web2');
  });

  it('skips a host with no room left for another virtual server', () => {
    const candidates = [host('Proxy', IDLE, 3, 3), host('Web2', BUSY, 1, 3)];
    expect(selectHost(candidates, 'CPU')).toBe('Web2');
    const ranked = rankHosts(candidates, 'CPU');
    expect(ranked.map((r) => [r.server, r.eligible])).toEqual([
      ['Web2', true],
      ['Proxy', false],
    ]);
  });

  it('returns null when every host is full or there are no hosts', () => {
    expect(selectHost([host('Proxy', IDLE, 2, 2), host('Web2', IDLE, 0, 0)], 'NETWORK')).toBeNull();
    expect(selectHost([], 'NETWORK')).toBeNull();
  });

  it('breaks a tie by the order of the candidates', () => {
    expect(selectHost([host('Mail', HALF), host('FTP', HALF), host('Web1', HALF)], 'CPU')).toBe('Mail');
    expect(selectHost([host('FTP', HALF), host('Mail', HALF), host('Web1', HALF)], 'CPU')).toBe('FTP');
    const ranked = rankHosts([host('Web1', HALF), host('Login', IDLE), host('FTP', HALF)], 'CPU');
    expect(ranked.map((r) => r.server)).toEqual(['Login', 'Web1', 'FTP']);
  });

  it('rejects two candidates with the same name', () => {
    expect(() => selectHost([host('Mail', HALF), host('Mail', IDLE)], 'CPU')).toThrow(RangeError);
  });
});

function arbRemaining(): fc.Arbitrary<RemainingCapacity> {
  const pct = fc.double({ min: 0, max: 100, noNaN: true });
  return fc.record({ rmPct: pct, rcPct: pct, rnPct: pct });
}

function arbPrediction(): fc.Arbitrary<PredictedLoad> {
  return fc.record({
    memKb: fc.double({ min: 0, max: SPEC.memKb, noNaN: true }),
    cpuIdlePct: fc.double({ min: 0, max: SPEC.cores * 100, noNaN: true }),
    netBytesPerS: fc.double({ min: 0, max: 2 * SPEC.ratedBytesPerS, noNaN: true }),
  });
}

// parseSweep: the grid of points a sweep file describes, each a scenario of its own with a seed
// that depends on the sweep's seed and the point's values only.
import { describe, expect, it } from 'vitest';
import { parseScenarioSource } from '../../src/config/parse-scenario.ts';
import { parseSweep } from '../../src/config/parse-sweep.ts';
import type { Sweep } from '../../src/config/parse-sweep.ts';
import { secondsToUs } from '../../src/core/model/time.ts';
import { phaseShiftUs, pointRun } from '../../src/sim/sweep/sweep.ts';

const BASE = `faults:
  - { server: FTP, type: Nt, at: 5 }
parameters:
  monitoringInterval: 10   # the alias of monitorInterval
runs: 4
seed: 99
`;

function sweepOf(text: string): Sweep {
  return parseSweep(text, 'study.yaml', {
    loadBase: () => ({ file: 'base.yaml', text: BASE }),
    parsePoint: (source, baseText) => parseScenarioSource(source, baseText, { loadCluster: () => [] }),
  });
}

describe('parseSweep', () => {
  it('makes one point per combination of values, the last axis varying fastest', () => {
    const sweep = sweepOf('scenario: base.yaml\naxes:\n  method: [ring, p2p]\n  monitorInterval: [5, 10, 20]\n');
    expect(sweep.points.map((p) => p.key)).toEqual([
      'method=ring;monitorInterval=5',
      'method=ring;monitorInterval=10',
      'method=ring;monitorInterval=20',
      'method=p2p;monitorInterval=5',
      'method=p2p;monitorInterval=10',
      'method=p2p;monitorInterval=20',
    ]);
    expect(sweep.points.map((p) => [p.spec.method, p.spec.params.monitorIntervalUs])).toEqual([
      ['ring', secondsToUs(5)],
      ['ring', secondsToUs(10)],
      ['ring', secondsToUs(20)],
      ['p2p', secondsToUs(5)],
      ['p2p', secondsToUs(10)],
      ['p2p', secondsToUs(20)],
    ]);
    expect(sweep.replications).toBe(10);
    expect(sweep.phase).toBe('fixed');
  });

  it('replaces a parameter the base scenario gives under another spelling', () => {
    const sweep = sweepOf('scenario: base.yaml\naxes:\n  monitorInterval: [30]\n');
    expect(sweep.points[0]?.spec.params.monitorIntervalUs).toBe(secondsToUs(30));
  });

  it('makes a ring size axis of synthetic rings S1..SK', () => {
    const sweep = sweepOf('scenario: base.yaml\naxes:\n  ringSize: [6, 40]\n  faults:\n    one: [{ server: S3, type: St, at: 5 }]\n');
    expect(sweep.points.map((p) => p.spec.cluster.length)).toEqual([6, 40]);
    expect(sweep.points.map((p) => p.spec.cluster[39]?.data.hostName ?? null)).toEqual([null, 'S40']);
  });

  it('expands ranges: inclusive steps to the microsecond, and counts on a linear or log scale', () => {
    const sweep = sweepOf(
      'scenario: base.yaml\naxes:\n  monitorInterval: { from: 4, to: 5, step: 0.25 }\n  restartWaitMax: { from: 10, to: 1000, count: 3, scale: log }\n  startWaitMax: { from: 10, to: 20, count: 3 }\n',
    );
    expect(sweep.axes.map((a) => a.values)).toEqual([
      [4, 4.25, 4.5, 4.75, 5],
      [10, 100, 1000],
      [10, 15, 20],
    ]);
  });

  it('gives each point a seed of its own that does not change when other points are added', () => {
    const small = sweepOf('scenario: base.yaml\naxes:\n  monitorInterval: [5, 10]\nseed: 3\n');
    const big = sweepOf('scenario: base.yaml\naxes:\n  monitorInterval: [5, 10, 20, 30]\nseed: 3\n');
    const other = sweepOf('scenario: base.yaml\naxes:\n  monitorInterval: [5, 10]\nseed: 4\n');
    const seeds = big.points.map((p) => p.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(small.points.map((p) => p.seed)).toEqual(seeds.slice(0, 2));
    expect(other.points.map((p) => p.seed)).not.toEqual(small.points.map((p) => p.seed));
  });

  it('shifts faults by a phase spread over the interval, the same fraction of it for every point of a replication', () => {
    const sweep = sweepOf('scenario: base.yaml\naxes:\n  monitorInterval: [5, 20]\nphase: random\nreplications: 200\n');
    const [five, twenty] = sweep.points as [Sweep['points'][number], Sweep['points'][number]];
    const fractions = Array.from({ length: 200 }, (_, r) => phaseShiftUs(sweep, twenty, r + 1) / secondsToUs(20));
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fractions)).toBeLessThan(1);
    // spread over the interval: each quarter holds a fair share of 200 draws
    for (let q = 0; q < 4; q++) expect(fractions.filter((f) => f >= q / 4 && f < (q + 1) / 4).length).toBeGreaterThan(30);
    expect(Math.abs(phaseShiftUs(sweep, five, 7) / secondsToUs(5) - phaseShiftUs(sweep, twenty, 7) / secondsToUs(20))).toBeLessThan(1e-6);
    const run = pointRun(sweep, twenty, 7);
    expect(run.spec.faults[0]?.atUs).toBe(secondsToUs(5) + phaseShiftUs(sweep, twenty, 7));
    expect(run.seed).toBe(`${twenty.seed}/run-7`);
  });
});

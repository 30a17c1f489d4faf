// The runs of dbss scale: 1 % of the servers fail, spread over the run, each early enough that
// its recovery ends within it (a fault near the end was reported as a recovery job that never ended).
import { describe, expect, it } from 'vitest';
import { runScalePoint, scaleSpec } from '../../src/report/scale/scale-point.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import { settleUs } from '../../src/sim/run/run-spec.ts';

const HOUR_US = 3600e6;

describe('scaleSpec', () => {
  it('fails 1 % of the servers, on distinct servers, Nt and St in turn, 5 s after a tick', () => {
    const spec = scaleSpec('ring', 2000, HOUR_US);
    expect(spec.faults).toHaveLength(20);
    expect(new Set(spec.faults.map((f) => f.server)).size).toBe(20);
    expect(spec.faults.map((f) => f.type).slice(0, 4)).toEqual(['Nt', 'St', 'Nt', 'St']);
    for (const f of spec.faults) expect(f.atUs % spec.params.monitorIntervalUs).toBe(5e6);
  });

  it('leaves every fault a settle time before the end of the run, so that its recovery can end', () => {
    for (const [k, hours] of [[2000, 0.1], [10000, 1], [300, 0.25]] as const) {
      const spec = scaleSpec('ring', k, hours * HOUR_US);
      const lastUs = Math.max(...spec.faults.map((f) => f.atUs));
      expect(lastUs + settleUs(spec.params, spec.sim), `${k} servers, ${hours} h`).toBeLessThanOrEqual(hours * HOUR_US);
      expect(lastUs, `${k} servers, ${hours} h: spread over the run`).toBeGreaterThan((hours * HOUR_US - settleUs(spec.params, spec.sim)) / 2);
    }
  });

  it('puts every fault at the first tick when the run is shorter than a settle time', () => {
    const spec = scaleSpec('ring', 500, 60e6);
    expect(spec.faults.map((f) => f.atUs)).toEqual([5e6, 5e6, 5e6, 5e6, 5e6]);
  });
});

describe('the files\' convergence and the target recovery of a scale run', () => {
  it('reads each file\'s records reaching every replica after the SEM delivery time, and later where a SemDelay holds', () => {
    const spec = scaleSpec('ring', 20, 300e6);
    const plain = runOnce(spec, 'convergence', { traceHash: false });
    const deliveryUs = spec.sim.semDeliveryUs;
    expect(plain.traffic.semSpread.get('heartbeat.file')).toMatchObject({ maxUs: deliveryUs });
    expect(plain.traffic.semSpread.get('heartbeat.file')?.totalUs).toBe(deliveryUs * (plain.traffic.semSpread.get('heartbeat.file')?.records ?? 0));
    expect(plain.traffic.semSpread.get('group.file')).toMatchObject({ maxUs: deliveryUs });

    const delayUs = 2_000_000;
    const delayed = runOnce({ ...spec, faults: [...spec.faults, { server: 'S3', type: 'SemDelay', atUs: 20e6, durationUs: 30e6, delayUs }] }, 'convergence', { traceHash: false });
    expect(delayed.traffic.semSpread.get('heartbeat.file')?.maxUs).toBe(deliveryUs + delayUs);
  });

  it('gives the mean target recovery of the failed servers beside the detection and function recovery', () => {
    const point = runScalePoint('ring', 20, 300e6, 'target');
    expect(point.targetRecoverySeconds).toBeGreaterThan(point.functionRecoverySeconds ?? Infinity);
    expect(point.heartbeatConvergence).toEqual({ meanSeconds: 0.001, maxSeconds: 0.001 });
    expect(runScalePoint('p2p', 20, 300e6, 'target').heartbeatConvergence).toBeNull();
  });
});

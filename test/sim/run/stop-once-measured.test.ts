// A run asked to stop once measured (repro) ends soon after every target is handed back, and
// gives every fault the same three times as the whole run: the metrics are first occurrences.
import { describe, expect, test } from 'vitest';
import { HARDENINGS } from '../../../src/core/program/hardening.ts';
import { secondsToUs } from '../../../src/core/model/time.ts';
import { EXPERIMENTS, paperSpec } from '../../../src/paper/experiments.ts';
import { runSeed } from '../../../src/sim/run/experiment.ts';
import { MeasuredWatch } from '../../../src/sim/run/measured-watch.ts';
import { runOnce } from '../../../src/sim/run/run.ts';
import type { SystemLogLine } from '../../../src/core/program/log-events.ts';
import type { Fault } from '../../../src/sim/world/faults.ts';

describe('stopping a run once its times are measured', () => {
  const cases = EXPERIMENTS.flatMap((e) => [
    { name: `${e.id}, ring`, spec: paperSpec('ring', e.faults) },
    { name: `${e.id}, P2P`, spec: paperSpec('p2p', e.faults) },
    { name: `${e.id}, hardened ring`, spec: paperSpec('ring', e.faults, undefined, HARDENINGS) },
  ]);
  test.each(cases)('$name: the same three times for every fault as the whole run, from a shorter run', ({ spec }) => {
    for (const run of [1, 2]) {
      const whole = runOnce(spec, runSeed(1, run), { traceHash: false });
      const short = runOnce(spec, runSeed(1, run), { traceHash: false, stopOnceMeasured: true });
      expect(short.targets).toEqual(whole.targets);
      expect(short.endUs).toBeLessThan(whole.endUs);
      expect(short.eventsRun).toBeLessThan(whole.eventsRun);
    }
  });

  test('a fault whose target is never handed back keeps the run to its full length', () => {
    // The run ends 60 s after the first tick, before the restart wait and the boot bring FTP back.
    const spec = { ...paperSpec('ring', [{ server: 'FTP', type: 'Nt', atUs: secondsToUs(5) }]), durationUs: secondsToUs(60) };
    const whole = runOnce(spec, runSeed(1, 1), { traceHash: false });
    const short = runOnce(spec, runSeed(1, 1), { traceHash: false, stopOnceMeasured: true });
    expect(whole.targets[0]?.targetRecoveryUs).toBeNull();
    expect(short.endUs).toBe(whole.endUs);
    expect(short.targets).toEqual(whole.targets);
  });

  test('the watch counts a VIP set and a hand-back only after a detection of the same target, after its fault', () => {
    const faults: Fault[] = [{ server: 'FTP', type: 'Nt', atUs: 5_000_000 }];
    const watch = new MeasuredWatch(faults, 0);
    const line = (atUs: number, event: string, target: string): SystemLogLine => ({ atUs, server: 'Mail', entry: { event, target } as unknown as SystemLogLine['entry'] });
    watch.onLog(line(6_000_000, 'virtualIpBack', 'FTP')); // before any detection
    watch.onLog(line(1_000_000, 'networkProblemDetected', 'FTP')); // before the fault
    watch.onLog(line(7_000_000, 'networkProblemDetected', 'Web1')); // another target
    expect(watch.measuredAtUs).toBeNull();
    watch.onLog(line(12_000_000, 'networkProblemDetected', 'FTP'));
    expect(watch.measuredAtUs).toBeNull();
    watch.onLog(line(16_000_000, 'virtualIpSet', 'FTP'));
    expect(watch.measuredAtUs).toBeNull();
    watch.onLog(line(90_000_000, 'virtualIpBack', 'FTP'));
    expect(watch.measuredAtUs).toBe(90_000_000);
  });

  test('a hand-back with no VIP set on a virtual server before it does not end the watch: the set may still come', () => {
    const watch = new MeasuredWatch([{ server: 'FTP', type: 'St', atUs: 5_000_000 }], 0);
    const line = (atUs: number, event: string): SystemLogLine => ({ atUs, server: 'Mail', entry: { event, target: 'FTP' } as unknown as SystemLogLine['entry'] });
    watch.onLog(line(12_000_000, 'serviceProblemDetected'));
    watch.onLog(line(20_000_000, 'virtualIpBack'));
    expect(watch.measuredAtUs).toBeNull();
    watch.onLog(line(40_000_000, 'virtualIpSet'));
    expect(watch.measuredAtUs).toBe(40_000_000);
  });
});

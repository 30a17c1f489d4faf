// A run that keeps only the system-log lines about its failed servers (scale studies) measures the
// same three times, finds the same violations and is the same run: only the lines kept differ.
import { describe, expect, test } from 'vitest';
import { logTarget } from '../../../src/core/program/log-events.ts';
import { EXPERIMENTS, paperSpec } from '../../../src/paper/experiments.ts';
import { runSeed } from '../../../src/sim/run/experiment.ts';
import { runOnce } from '../../../src/sim/run/run.ts';

describe('keeping only the failed servers\' system-log lines', () => {
  const cases = EXPERIMENTS.flatMap((e) => [
    { name: `${e.id}, ring`, spec: paperSpec('ring', e.faults) },
    { name: `${e.id}, P2P`, spec: paperSpec('p2p', e.faults) },
  ]);
  test.each(cases)('$name: the same trace, times and violations, and the log is the whole log\'s lines about the failed servers', ({ spec }) => {
    const failed = new Set(spec.faults.map((f) => f.server));
    const whole = runOnce(spec, runSeed(1, 1));
    const kept = runOnce(spec, runSeed(1, 1), { systemLog: 'faults' });

    expect(kept.traceHash).toBe(whole.traceHash);
    expect(kept.targets).toEqual(whole.targets);
    expect(kept.violations).toEqual(whole.violations);
    expect(kept.log).toEqual(whole.log.filter((l) => failed.has(logTarget(l.entry) ?? '')));
    expect(kept.log.length).toBeLessThan(whole.log.length);
  });
});

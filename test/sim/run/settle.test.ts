// settleUs bounds every recovery of the paper's design, so that a run ending settleUs after its
// last fault finds every server recovered: the liveness checkers judge it there.
import { describe, expect, it } from 'vitest';
import { paperSpec } from '../../../src/paper/experiments.ts';
import { runOnce } from '../../../src/sim/run/run.ts';
import { settleUs } from '../../../src/sim/run/run-spec.ts';

const S = 1_000_000;

describe('settleUs', () => {
  it("covers two of the background job's polls where they are longer than the 10 s margin", () => {
    const spec = paperSpec('ring', []);
    const base = settleUs(spec.params, spec.sim);
    expect(settleUs({ ...spec.params, recoveryPollIntervalUs: 5 * S }, spec.sim)).toBe(base);
    expect(settleUs({ ...spec.params, recoveryPollIntervalUs: 200 * S }, spec.sim)).toBe(base - 10 * S + 400 * S);
  });

  it.each(['Nt', 'St'] as const)('lets a %s recovery polled every 200 s end before the run does, with no invariant broken', (type) => {
    const spec = paperSpec('ring', [{ server: 'FTP', type, atUs: 5 * S }]);
    const out = runOnce({ ...spec, params: { ...spec.params, recoveryPollIntervalUs: 200 * S }, durationUs: null }, 'poll');
    expect(out.violations).toEqual([]);
    expect(out.outcomes.find((o) => o.server === 'FTP')).toMatchObject({ running: true, served: true, recovered: true });
  });
});

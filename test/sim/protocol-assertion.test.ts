// A management program asserts the states it may be in (src/core/program/assert.ts). A world that
// hands it something its state does not expect fails the simulated run, with the run's seed,
// instead of the program dropping it. The world is made wrong on purpose here, by patching how
// the simulator's runner delivers command results.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeEvent } from '../../src/core/program/events.ts';
import { paperSpec } from '../../src/paper/experiments.ts';
import { runSeed } from '../../src/sim/run/experiment.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import { NodeRunner } from '../../src/sim/world/node-runner.ts';

const SPEC = paperSpec('ring', [{ server: 'FTP', type: 'Nt', atUs: 5_000_000 }]);

/** corrupt makes Mail's runner hand its program the first collectLoads result (A3) wrongly, as wrong() says. */
function corrupt(wrong: (event: Extract<NodeEvent, { type: 'commandDone' }>, deliver: (e: NodeEvent) => void) => void): void {
  const original = NodeRunner.prototype.deliver;
  let done = false;
  vi.spyOn(NodeRunner.prototype, 'deliver').mockImplementation(function (this: NodeRunner, event: NodeEvent) {
    const isLoads = event.type === 'commandDone' && event.result.kind === 'loads';
    if (done || !isLoads || this.server.name !== 'Mail') return original.call(this, event);
    done = true;
    wrong(event, (e) => original.call(this, e));
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a management program handed what its state does not expect', () => {
  it('runs the same scenario cleanly when nothing is corrupted', () => {
    const out = runOnce(SPEC, runSeed(1, 1));
    expect(out.violations).toEqual([]);
  });

  it('fails the run with its seed when a command result arrives twice', () => {
    corrupt((event, deliver) => {
      deliver(event);
      deliver(event);
    });

    const out = runOnce(SPEC, runSeed(7, 3));

    const failure = out.violations.find((v) => v.invariant === 'protocol-assertion');
    expect(failure?.detail).toMatch(/^Mail, handling done \d+ loads=\d+: a result for command \d+, which is not under way/);
    expect(failure?.detail).toContain('(run seed 7/run-3)');
    // The run ends where the program went wrong: FTP is never recovered.
    expect(out.targets[0]?.functionRecoveryUs).toBeNull();
  });

  it('fails the run with its seed when a command is answered with a result of the wrong kind', () => {
    corrupt((event, deliver) => deliver({ ...event, result: { kind: 'load', sample: { freeMemKb: 1, cpuIdlePct: 1, netBytesPerS: 1 } } }));

    const out = runOnce(SPEC, runSeed(1, 1));

    const failure = out.violations.find((v) => v.invariant === 'protocol-assertion');
    expect(failure?.detail).toMatch(/DBSS FTP in collectingLoads: expected the collected loads or a failure, got \{"kind":"load"/);
    expect(failure?.detail).toContain('(run seed 1/run-1)');
  });
});

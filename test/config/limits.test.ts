import { describe, expect, it } from 'vitest';
import { estimatedEvents, eventBudgetProblem, memoryProblem, runBudgetProblem } from '../../src/config/limits.ts';
import { scaleSpec } from '../../src/report/scale/scale-point.ts';

describe('the simulation budget of a large ring', () => {
  it('prices replicas that share their files linearly in the ring and replicas of their own as its square', () => {
    expect(estimatedEvents(1, 10_000, 3600, 10, true)).toBe(10_000 * 360 * 10);
    expect(estimatedEvents(1, 10_000, 3600, 10)).toBe(10_000 * 360 * (6 + 10_000));
  });

  it('lets 10,000 servers with shared replicas run for an hour, and refuses them as replicas of their own', () => {
    expect(eventBudgetProblem(1, 10_000, 3600, 10, undefined, true)).toBeNull();
    expect(memoryProblem(10_000, 1, true)).toBeNull();
    expect(memoryProblem(10_000)).toMatch(/^at most 4000 servers: each server holds a replica/);
    expect(eventBudgetProblem(1, 10_000, 86_400, 10, undefined, true)).toMatch(/^at most 3e\+8 simulated events per invocation; 1 run\(s\) of 86400 s simulated on 10000 servers/);
  });

  it('prices a traced run of shared replicas by its trace (a record per copy), with the memory of shared files; the hardened ring keeps replicas of its own', () => {
    const paper = scaleSpec('ring', 10_000, 3600e6);
    expect(runBudgetProblem(paper, 1)).toBeNull();
    expect(runBudgetProblem(paper, 1, false, true)).toMatch(/^at most 3e\+8 simulated events per invocation/);
    expect(runBudgetProblem({ ...paper, hardening: ['fencing'] }, 1)).toMatch(/^at most 4000 servers: each server holds a replica/);
  });
});

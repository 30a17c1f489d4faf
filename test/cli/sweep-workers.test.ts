// The sweep's hand-out of runs to its workers (src/cli/sweep-workers.ts): chunks that shrink towards the end.
import { describe, expect, it } from 'vitest';
import { chunkRuns } from '../../src/cli/sweep-workers.ts';

describe('chunkRuns', () => {
  it('hands a worker a quarter of its share of what is left, at most 32 runs', () => {
    expect(chunkRuns(8640, 2)).toBe(32);
    expect(chunkRuns(80, 2)).toBe(10);
    expect(chunkRuns(9, 2)).toBe(2);
  });

  it('hands out one run at a time at the end, so the workers finish together', () => {
    expect(chunkRuns(3, 2)).toBe(1);
    expect(chunkRuns(1, 8)).toBe(1);
  });

  it('hands out every run of a sweep exactly once, whatever the workers', () => {
    for (const workers of [1, 2, 3, 8]) {
      let left = 1000;
      let handed = 0;
      while (left > 0) {
        const take = Math.min(left, chunkRuns(left, workers));
        expect(take).toBeGreaterThan(0);
        left -= take;
        handed += take;
      }
      expect(handed).toBe(1000);
    }
  });
});

// `dbss repro` spreads its runs over worker threads; what they make must be what one thread
// makes, in the same order, so that reports/ stays byte for byte the same.
import { describe, expect, it } from 'vitest';
import { simulateInWorkers } from '../../src/cli/repro-workers.ts';
import { simulateInThread, totalRuns } from '../../src/report/repro.ts';

describe('repro on worker threads', () => {
  it('makes exactly the runs one thread makes, and counts every run for the progress bar', async () => {
    const counted: number[] = [];
    const inWorkers = await simulateInWorkers(3, 1, (done) => counted.push(done));
    const inThread = await simulateInThread(3, 1, () => undefined);
    expect(inWorkers).toEqual(inThread);
    expect(counted).toHaveLength(totalRuns(1));
    expect(counted.at(-1)).toBe(totalRuns(1));
  });
});

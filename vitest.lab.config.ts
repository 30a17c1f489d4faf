import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * LabSequencer keeps vitest's order (failed first, then slowest) but runs keepalived.test.ts last:
 * it prints the comparison table with the figures agents.test.ts has just written.
 */
class LabSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification): boolean => f.moduleId.endsWith('/keepalived.test.ts');
    return [...sorted.filter((f) => !last(f)), ...sorted.filter(last)];
  }
}

// The lab tests (test/lab/) run real namespaces, daemons and libvirt domains as root: one file at
// a time, because they share the lab's fixed namespace names, with timeouts for real boots.
export default defineConfig({
  test: {
    include: ['test/lab/**/*.test.ts'],
    fileParallelism: false,
    sequence: { sequencer: LabSequencer },
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

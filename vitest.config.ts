import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One test file per core: vitest's default leaves a core free, which on this project's 2-core
// machines ran the files one at a time (164 s for npm test, against 98 s with both cores,
// measured 2026-12-03). Tests that time real processes allow for a loaded machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['test/lab/**', 'node_modules/**'],
    testTimeout: 60_000,
    maxWorkers: availableParallelism(),
  },
});

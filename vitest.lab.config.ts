import { defineConfig } from 'vitest/config';

// The lab tests (test/lab/) run real namespaces, daemons and libvirt domains as root: one file at
// a time, because they share the lab's fixed namespace names, with timeouts for real boots.
export default defineConfig({
  test: {
    include: ['test/lab/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

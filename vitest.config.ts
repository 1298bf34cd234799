import { defineConfig } from 'vitest/config';

// Integration tests drive the real tracer on the real kernel: they are slow and many of them
// must not run at once on a 2-core machine (benchmarks and timing-sensitive checks live in bench/).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
    fileParallelism: true,
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';

// Unit tests run in parallel. Integration and end-to-end tests drive the real tracer on the real
// kernel: they run one file at a time, because some of them measure exact loss on the kernel's
// shared audit stream, and a 2-core machine is better at one syscall storm than at two.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 300_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'kernel', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'], fileParallelism: false, maxWorkers: 1 },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // `npm run coverage`: the product's code as the suite runs it in-process (code in child
    // processes, worker threads and the browser is not counted).
    coverage: {
      provider: 'v8',
      include: ['compiler/**/*.ts', 'runtime/**/*.ts', 'designer/**/*.{ts,tsx}', 'electron/**/*.ts'],
      exclude: ['compiler/regex/embedded.ts', '**/*.d.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
      // A test that fails on a loaded machine does not cost the figure.
      reportOnFailure: true,
    },
  },
});

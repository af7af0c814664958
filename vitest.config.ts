import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './packages/testkit/src/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/test/*.test.ts',
            'infra/test/*.test.ts',
            'services/*/test/unit/**/*.test.ts',
            'services/dashboard/test/**/*.test.ts',
          ],
        },
      },
      {
        // Real Kafka, Redis and Postgres: one broker for the run, a database and Redis prefix per file.
        test: {
          name: 'integration',
          include: [
            'services/*/test/integration/**/*.test.ts',
            'packages/*/test/integration/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            // Each rule SQL applies set-wise, against its function (in Postgres, so here).
            'test/parity/**/*.test.ts',
          ],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

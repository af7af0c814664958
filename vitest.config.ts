import { defineConfig } from 'vitest/config';
import { isDroppedTypeFetch } from './packages/db/src/dropped-type-fetch.ts';

export default defineConfig({
  test: {
    reporters: ['default', './packages/testkit/src/summary-reporter.ts'],
    // Tests that cut Postgres off can catch postgres.js dropping its catalog query's promise; the
    // services log it and carry on (runtime's service.ts), so it fails no test. Any other counts.
    onUnhandledError: (error) => !isDroppedTypeFetch(error),
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

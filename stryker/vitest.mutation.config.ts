import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The unit tests of the pure code, for mutation testing (`npm run mutation`): no integration
 * project, so no Kafka, Postgres or Redis global setup. Stryker runs only the tests that cover
 * each mutant, found from these.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: [
      'packages/rules/test/*.test.ts',
      'packages/keys/test/*.test.ts',
      'packages/usage-fold/test/fold.test.ts',
      'packages/usage-fold/test/replays.test.ts',
    ],
  },
});

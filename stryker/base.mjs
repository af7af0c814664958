/**
 * What every mutation run shares (`npm run mutation`, see run.mjs): StrykerJS 9 with its vitest
 * runner over the pure code's unit tests only.
 */
export const base = (area) => ({
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'stryker/vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${area}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${area}/mutation.json` },
  incrementalFile: `reports/mutation/${area}/stryker-incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 95, low: 90, break: null },
  timeoutMS: 10_000,
});

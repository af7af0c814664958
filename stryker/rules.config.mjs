import { base } from './base.mjs';

/** packages/rules: the alert rules, windows and settings. */
export default {
  ...base('rules'),
  mutate: ['packages/rules/src/**/*.ts', '!packages/rules/src/index.ts'],
};

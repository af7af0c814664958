import { base } from './base.mjs';

/** packages/keys: the key format, the Authorization header, scopes and key specs. */
export default {
  ...base('keys'),
  mutate: ['packages/keys/src/**/*.ts', '!packages/keys/src/index.ts'],
};

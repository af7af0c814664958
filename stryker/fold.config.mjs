import { base } from './base.mjs';

/** The pure fold (packages/usage-fold): events in, usage deltas out, replays dropped. */
export default {
  ...base('fold'),
  mutate: ['packages/usage-fold/src/fold.ts', 'packages/usage-fold/src/replays.ts'],
};

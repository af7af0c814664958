import { base } from './base.mjs';

/** The aggregator's pure fold: events in, usage deltas out, replays dropped. */
export default {
  ...base('fold'),
  mutate: ['services/aggregator/src/fold.ts', 'services/aggregator/src/replays.ts'],
};

export { type Aggregator, createAggregator } from './consumer.ts';
export { foldEvents, type UsageDelta } from './fold.ts';

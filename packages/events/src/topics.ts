/** Kafka topics, in one place. */
export const TOPICS = {
  authEvents: 'auth-events',
  authEventsDlq: 'auth-events.dlq',
} as const;

/** Partitions for auth-events; keyed by key id, so this bounds aggregator parallelism. */
export const AUTH_EVENTS_PARTITIONS = 6;

export * from './context.ts';
export * from './event-stream.ts';
export * from './fake-slack.ts';
export * from './fixtures.ts';
export type { TestInfra } from './global-setup.ts';
export * from './process.ts';
export * from './redis-keys.ts';
export * from './smtp-sink.ts';
export * from './wait.ts';

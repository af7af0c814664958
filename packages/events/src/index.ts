export * from './auth-event.ts';
export * from './kafka.ts';
export * from './topics.ts';

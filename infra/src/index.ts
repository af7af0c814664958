export * from './kafka.ts';
export * from './local.ts';

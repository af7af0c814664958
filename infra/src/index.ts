export * from './clone.ts';
export * from './kafka.ts';
export * from './local.ts';

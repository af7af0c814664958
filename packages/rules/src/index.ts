export * from './decision.ts';
export * from './thresholds.ts';
export * from './settings.ts';
export * from './window.ts';
export * from './rotation.ts';
export * from './unusual.ts';

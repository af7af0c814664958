export * from './credential-stuffing.ts';
export * from './decision.ts';
export * from './resolution.ts';
export * from './rotation.ts';
export * from './settings.ts';
export * from './thresholds.ts';
export * from './unusual.ts';
export * from './window.ts';

export * from './high-usage.ts';
export * from './settings.ts';
export * from './window.ts';
export * from './rotation.ts';

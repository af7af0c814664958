export * from './fold.ts';
export * from './replays.ts';

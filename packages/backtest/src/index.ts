export * from './backtest.ts';
export * from './memory-usage.ts';
export * from './preview.ts';

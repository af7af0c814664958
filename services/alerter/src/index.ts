export { deliver } from './deliver.ts';
export { evaluateKey } from './evaluate.ts';
export { configuredChannels, startWorkers } from './workers.ts';

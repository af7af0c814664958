export * from './ops.ts';
export { type RunningService, runService, type ServiceContext } from './service.ts';
export { cpuSecondsOf, currentThreadId, threadCpuSeconds } from './threads.ts';

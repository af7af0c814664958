// The Kafka thread's entry when the verifier runs from its TypeScript sources (tsx, the test
// runner): Node 20 runs no ESM loader hooks in a worker thread, so tsx's CommonJS hook compiles
// the worker. The build runs dist/kafka-thread.worker.js instead, without tsx (see kafka-thread.ts).
require('tsx/cjs');
require('./kafka-thread.worker.ts');

export { buildApp, type VerifierDeps } from './app.ts';
export { assembleVerifier } from './assemble.ts';
export { AuthEventProducer } from './event-producer.ts';

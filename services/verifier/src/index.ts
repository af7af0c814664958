export { buildApp, type VerifierDeps } from './app.ts';
export { AuthEventProducer } from './event-producer.ts';
export { createVerification } from './verification.ts';

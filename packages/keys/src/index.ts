export * from './authorization.ts';
export * from './errors.ts';
export * from './scopes.ts';
export * from './secret.ts';
export * from './spec.ts';

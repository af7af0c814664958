export * from './lifecycle.ts';
export * from './webhook-secrets.ts';

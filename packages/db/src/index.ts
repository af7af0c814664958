export * from './arrays.ts';
export * from './client.ts';
export * from './keys.ts';
export * from './schema.ts';

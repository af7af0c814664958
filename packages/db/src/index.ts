export * from './arrays.ts';
export * from './client.ts';
export * from './keys.ts';
export * from './orgs.ts';
export * from './schema.ts';
export * from './silences.ts';

import { loadConfig } from '@keywatch/config';
import type { Database } from '@keywatch/db';
import { createLogger } from '@keywatch/log';
import { Registry } from 'prom-client';
import { buildApp } from '../app.ts';

/**
 * The OpenAPI document as the verifier serves it at `/openapi.json`, made without a database or
 * broker: building the routes reads only their schemas. For the client's generator and its
 * freshness test.
 */
export async function openApiDocument(): Promise<unknown> {
  const unused = () => {
    throw new Error('the document is made without serving requests');
  };
  const app = await buildApp({
    config: loadConfig({}),
    log: createLogger({ service: 'openapi', level: 'silent' }),
    database: {} as Database,
    metrics: new Registry(),
    verify: unused,
    invalidateKey: unused,
    sessions: { create: unused, find: unused, end: unused },
    rateLimit: unused,
  });
  await app.ready();
  const document = app.swagger();
  await app.close();
  return document;
}

import { join } from 'node:path';
import { ensureOrg } from '@keywatch/db';
import { freePort } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import {
  createTestContext,
  type ServiceProcess,
  startService,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Two verifier processes behind (imaginary) load balancing, sharing Postgres and Redis.
let ctx: TestContext;
const replicas: { url: string; process: ServiceProcess }[] = [];
let admin: string;
let orgId: string;

beforeAll(async () => {
  ctx = await createTestContext('verifier_replicas');
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    replicas.push({
      url: `http://127.0.0.1:${port}`,
      process: await startService(
        'verifier',
        {
          ...ctx.env,
          VERIFIER_PORT: String(port),
          EVENT_SPOOL_DIR: join(ctx.env.EVENT_SPOOL_DIR!, `replica-${i}`),
        },
        port,
      ),
    });
  }
  const org = await ensureOrg(ctx.database.db, 'replicas');
  orgId = org.id;
  admin = (await issueKey(ctx.database.db, org.id, newKeySchema.parse({ name: 'admin', scopes: ['admin'] })))
    .secret;
}, 60_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.process.stop()));
  await ctx?.close();
});

const key = (spec: Record<string, unknown>) =>
  issueKey(ctx.database.db, orgId, newKeySchema.parse({ name: 'k', ...spec }));
const auth = (replica: number, secret: string, scope = 'chat') =>
  fetch(`${replicas[replica]!.url}/v1/auth?scope=${scope}`, {
    headers: { authorization: `Bearer ${secret}` },
  });
const manage = (replica: number, method: string, path: string, body?: unknown) =>
  fetch(`${replicas[replica]!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('two verifier replicas', () => {
  it('a revoke on one is enforced by the other within 1 s, though the other had the key cached', async () => {
    const { key: k, secret } = await key({ scopes: ['chat'] });
    expect((await auth(1, secret)).status).toBe(200);
    expect((await auth(1, secret)).status).toBe(200); // served from replica 1's cache
    expect((await manage(0, 'DELETE', `/api/api-keys/${k.id}`)).status).toBe(200);
    await waitFor('replica 1 to refuse the revoked key', async () => (await auth(1, secret)).status === 401, {
      timeoutMs: 1000,
      intervalMs: 20,
    });
  });

  it('a scope removed on one is enforced by the other within 1 s', async () => {
    const { key: k, secret } = await key({ scopes: ['chat', 'data:write'] });
    expect((await auth(1, secret, 'data:write')).status).toBe(200);
    expect((await manage(0, 'PATCH', `/api/api-keys/${k.id}`, { scopes: ['chat'] })).status).toBe(200);
    await waitFor(
      'replica 1 to refuse the removed scope',
      async () => (await auth(1, secret, 'data:write')).status === 403,
      {
        timeoutMs: 1000,
        intervalMs: 20,
      },
    );
  });

  it('share one rate limit: 10 per hour across both is 10 in all', async () => {
    const { secret } = await key({ scopes: ['chat'], rateLimit: { limit: 10, period: 'hour' } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await auth(i % 2, secret)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
  });
});

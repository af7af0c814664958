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

// A verifier whose Redis never answers (nothing listens on its port).
let ctx: TestContext;
let verifier: ServiceProcess;
let url: string;

beforeAll(async () => {
  ctx = await createTestContext('verifier_redis_down');
  const [port, deadRedis] = [await freePort(), await freePort()];
  url = `http://127.0.0.1:${port}`;
  verifier = await startService(
    'verifier',
    { ...ctx.env, VERIFIER_PORT: String(port), REDIS_URL: `redis://127.0.0.1:${deadRedis}` },
    port,
  );
}, 60_000);
afterAll(async () => {
  await verifier?.stop();
  await ctx?.close();
});

describe('Redis down', () => {
  it('verification still answers, limits per replica, and the metric says it is degraded', async () => {
    const org = await ensureOrg(ctx.database.db, 'no-redis');
    const { secret } = await issueKey(
      ctx.database.db,
      org.id,
      newKeySchema.parse({ name: 'k', scopes: ['chat'], rateLimit: { limit: 3, period: 'hour' } }),
    );
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await fetch(`${url}/v1/auth?scope=chat`, { headers: { authorization: `Bearer ${secret}` } })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const bad = await fetch(`${url}/v1/auth`, { headers: { authorization: 'Bearer sk_live_nope' } });
    expect(bad.status).toBe(401);
    await waitFor('the degraded gauge', async () => {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      return /^keywatch_ratelimit_degraded\{[^}]*\} 1$/m.test(metrics);
    });
  });

  it('dashboard sessions answer 503 with Retry-After (not 500); a Bearer key is still served', async () => {
    const org = await ensureOrg(ctx.database.db, 'no-redis-sessions');
    const { secret } = await issueKey(
      ctx.database.db,
      org.id,
      newKeySchema.parse({ name: 'admin', scopes: ['admin'] }),
    );
    const expectUnavailable = async (res: Response) => {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    };
    const json = { 'content-type': 'application/json' };
    await expectUnavailable(
      await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ key: secret }),
      }),
    );
    const cookie = `keywatch_session=${'a'.repeat(43)}`;
    await expectUnavailable(await fetch(`${url}/api/api-keys`, { headers: { cookie } }));
    await expectUnavailable(
      await fetch(`${url}/api/session`, { method: 'DELETE', headers: { cookie, origin: url } }),
    );
    const listed = await fetch(`${url}/api/api-keys`, { headers: { authorization: `Bearer ${secret}` } });
    expect(listed.status).toBe(200);
  });
});

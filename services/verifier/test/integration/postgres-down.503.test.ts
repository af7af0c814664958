import { connect, ensureOrg } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { createMetrics } from '@keywatch/runtime';
import { createTestContext, TcpProxy, type TestContext, waitFor } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleVerifier } from '../../src/assemble.ts';
import { bearer } from './harness.ts';

const OUTAGE_SECONDS = 3;
const UNAVAILABLE = {
  error: { code: 'service_unavailable', message: 'Key verification is temporarily unavailable' },
  status: 503,
};

let ctx: TestContext;
let proxy: TcpProxy;
let verifier: Awaited<ReturnType<typeof assembleVerifier>>;
let through: ReturnType<typeof connect>;
const metrics = createMetrics('verifier');
const secrets: Record<'admin' | 'cached' | 'uncached', string> = { admin: '', cached: '', uncached: '' };

beforeAll(async () => {
  ctx = await createTestContext('verifier_postgres_down');
  const url = new URL(ctx.config.DATABASE_URL);
  proxy = await new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) }).start();
  url.port = String(proxy.port);
  // The verifier reaches Postgres only through the proxy; the test's own connection goes direct.
  through = connect(url.toString(), { max: 4 });
  verifier = await assembleVerifier({
    config: { ...ctx.config, KEY_CACHE_OUTAGE_SECONDS: OUTAGE_SECONDS },
    log: createLogger({ service: 'verifier-test', level: 'silent' }),
    metrics,
    database: through,
  });
  const org = await ensureOrg(ctx.database.db, 'org-pg-down');
  for (const [name, scopes] of [
    ['admin', ['admin']],
    ['cached', ['chat']],
    ['uncached', ['chat']],
  ] as const) {
    secrets[name] = (await issueKey(ctx.database.db, org.id, newKeySchema.parse({ name, scopes }))).secret;
  }
});
afterAll(async () => {
  await verifier?.close();
  await through?.close();
  await proxy?.close();
  await ctx?.close();
});

const auth = (secret: string) => verifier.app.inject({ url: '/v1/auth?scope=chat', headers: bearer(secret) });
const listKeys = () => verifier.app.inject({ url: '/api/api-keys', headers: bearer(secrets.admin) });

describe('Postgres unreachable from the verifier', () => {
  it('cached keys verify for KEY_CACHE_OUTAGE_SECONDS, others get 503 with Retry-After, never a 500', async () => {
    expect((await auth(secrets.cached)).statusCode).toBe(200);
    expect((await listKeys()).statusCode).toBe(200);

    await proxy.cut();

    // The cached key goes on verifying (counted); the one never seen cannot be verified.
    expect((await auth(secrets.cached)).statusCode).toBe(200);
    const uncached = await auth(secrets.uncached);
    expect(uncached.statusCode).toBe(503);
    expect(uncached.json()).toEqual(UNAVAILABLE);
    expect(JSON.parse(String(uncached.headers['x-keywatch-error']))).toEqual(UNAVAILABLE);
    expect(Number(uncached.headers['retry-after'])).toBeGreaterThan(0);
    const verify = await verifier.app.inject({
      method: 'POST',
      url: '/v1/verify',
      payload: { key: secrets.uncached },
    });
    expect(verify.statusCode).toBe(503);
    expect(verify.json()).toEqual(UNAVAILABLE);

    // Management needs Postgres: 503 with the contract's body, not a stack.
    const list = await listKeys();
    expect(list.statusCode).toBe(503);
    expect(list.json()).toEqual(UNAVAILABLE);
    expect(list.headers['retry-after']).toBeDefined();

    // The allowance is bounded: past it, even the cached key fails closed.
    const closed = await waitFor(
      'the cached key to fail closed',
      async () => {
        const res = await auth(secrets.cached);
        return res.statusCode === 503 && res;
      },
      { timeoutMs: (OUTAGE_SECONDS + 5) * 1000, intervalMs: 200 },
    );
    expect(closed.json()).toEqual(UNAVAILABLE);
    // Between the 1 s staleness limit and the allowance's end, it was answered from the cache.
    const served = await metrics.getSingleMetricAsString('keywatch_key_cache_stale_served_total');
    expect(Number(/ (\d+)$/m.exec(served)?.[1])).toBeGreaterThan(0);

    await proxy.mend();
    await waitFor(
      'verification to come back',
      async () => (await auth(secrets.uncached)).statusCode === 200,
      {
        timeoutMs: 15_000,
        intervalMs: 200,
      },
    );
    expect((await listKeys()).statusCode).toBe(200);
  });
});

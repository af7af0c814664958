import { hashSecret } from '@keywatch/keys';
import { fakeSecret } from '@keywatch/testkit';
import type { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

const FLOODER = '203.0.113.66';
const GUESSES = 10_000;
const BUDGET = 30; // UNKNOWN_KEYS_PER_SOURCE_PER_MINUTE's default

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('unknown_keys');
});
afterAll(async () => v?.close());

/** Lookups that went to Postgres so far. */
async function postgresLookups(): Promise<number> {
  const metric = v.metrics.getSingleMetric('keywatch_key_cache_lookups_total') as Counter<'result'>;
  const { values } = await metric.get();
  return values.find((x) => x.labels.result === 'miss')?.value ?? 0;
}

const auth = (secret: string, ip: string) =>
  v.app.inject({ url: '/v1/auth', remoteAddress: ip, headers: bearer(secret) });

describe(`a flood of ${GUESSES} distinct unknown keys from one IP`, () => {
  it('costs bounded Postgres work, evicts no real key, slows no other IP, and is still seen', async () => {
    const known = await v.makeKey({ scopes: ['chat'] });
    const fresh = await v.makeKey({ scopes: ['chat'] });
    expect((await auth(known.secret, '198.51.100.1')).statusCode).toBe(200); // now cached
    const before = await postgresLookups();

    const statuses = new Map<number, number>();
    let throttled: Awaited<ReturnType<typeof auth>> | undefined;
    for (let i = 0; i < GUESSES; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, (_, j) => auth(fakeSecret(`g${i + j}x`), FLOODER)),
      );
      for (const res of batch) {
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 429) throttled = res;
      }
    }

    // At most the budget per minute reaches Postgres (the flood may straddle a minute boundary).
    const lookups = (await postgresLookups()) - before;
    expect(lookups).toBeGreaterThanOrEqual(BUDGET);
    expect(lookups).toBeLessThanOrEqual(2 * BUDGET);
    expect(statuses.get(401)).toBe(lookups);
    expect(statuses.get(429)).toBe(GUESSES - lookups);
    // What the flooding IP sees past its budget.
    expect(throttled!.json()).toEqual({
      error: { code: 'rate_limit_exceeded', message: `Rate limit of ${BUDGET} requests per minute exceeded` },
      status: 429,
    });
    expect(Number(throttled!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(throttled!.headers['retry-after'])).toBeLessThanOrEqual(60);

    // Real keys: the cached one is still held, a new one from another IP is looked up at once.
    expect(v.cache.knows(hashSecret(known.secret))).toBe(true);
    expect((await auth(known.secret, '198.51.100.1')).statusCode).toBe(200);
    expect((await auth(fresh.secret, '198.51.100.2')).statusCode).toBe(200);
    // Even from the flooding IP, a key this replica knows keeps working.
    expect((await auth(known.secret, FLOODER)).statusCode).toBe(200);

    // Every guess is an event with no key, which the aggregator counts for credential stuffing.
    const events = await v.readEvents(
      (e) => e.ip === FLOODER && e.keyId === null,
      (e) => e.length >= GUESSES,
      60_000,
    );
    expect(events).toHaveLength(GUESSES);
    expect(new Set(events.map((e) => e.code))).toEqual(new Set(['INVALID_API_KEY', 'RATE_LIMITED']));
  });
});

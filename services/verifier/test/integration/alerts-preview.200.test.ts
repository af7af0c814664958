import {
  alerts,
  apiKeys,
  deliveries,
  ensureOrg,
  keyHourlyIps,
  orgAlertSettings,
  usageBuckets,
  usageCountryCounts,
} from '@keywatch/db';
import { HOUR_MS } from '@keywatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let busy: string;
let warm: string;
let idle: string;
/** A past hour, whole, two days back: the one hour of stored usage. */
const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 48 * HOUR_MS;
const at = (ms: number) => new Date(ms).toISOString();
/** The org's stored settings: the preview must not use them when others are proposed. */
const stored = { highUsage: { threshold: 1, period: 'daily' as const } };
/** The proposed settings: 100 requests an hour, a warning from 80. */
const proposed = { highUsage: { threshold: 100, period: 'hourly' } };
/** From the day before the hour to now (the request's now: `to` is bounded by it). */
const range = () => ({ from: at(hour - 24 * HOUR_MS), to: at(Date.now()) });

/** One hour of a key as the aggregator stores it: its bucket, its countries and its client IPs. */
async function storeHour(keyId: string, requests: number, failures: number, countries: [string, number][]) {
  const { db } = v.ctx.database;
  const bucketStart = new Date(hour);
  await db.insert(usageBuckets).values({
    keyId,
    granularity: 'hour',
    bucketStart,
    total: requests,
    success: requests - failures,
    failure: failures,
  });
  await db.insert(usageCountryCounts).values(
    countries.map(([country, count]) => ({
      keyId,
      granularity: 'hour' as const,
      bucketStart,
      country,
      count,
    })),
  );
  await db
    .insert(keyHourlyIps)
    .values(['203.0.113.7', '203.0.113.8'].map((ip) => ({ keyId, hourStart: bucketStart, ip })));
}

beforeAll(async () => {
  v = await startVerifier('alerts_preview_200');
  // Their own settings turn unusualActivity off (a key's settings override the org's field by
  // field), so only the proposed threshold decides.
  const own = { alerts: { unusualActivity: false } };
  busy = (await v.makeKey({ name: 'busy', scopes: ['chat'], ...own })).key.id;
  warm = (await v.makeKey({ name: 'warm', scopes: ['chat'], ...own })).key.id;
  idle = (await v.makeKey({ name: 'idle', scopes: ['chat'], ...own })).key.id;
  await storeHour(busy, 150, 10, [
    ['DE', 140],
    ['??', 10],
  ]);
  await storeHour(warm, 90, 0, [['FR', 90]]);
  // Another org's key, far over any threshold: never in this org's preview.
  const other = await ensureOrg(v.ctx.database.db, 'preview-other-org');
  const stranger = (await v.makeKey({ scopes: ['chat'], ...own }, other.id)).key.id;
  await storeHour(stranger, 5000, 0, [['US', 5000]]);
  // Keys in use for a month, as their stored hour implies (a preview looks at keys created before `to`).
  await v.ctx.database.db.update(apiKeys).set({ createdAt: new Date(hour - 30 * 24 * HOUR_MS) });

  const put = await v.app.inject({
    method: 'PUT',
    url: '/api/alert-settings',
    headers: bearer(v.adminSecret),
    payload: { alerts: stored },
  });
  expect(put.statusCode).toBe(200);
});
afterAll(async () => v?.close());

const preview = (body: Record<string, unknown>) =>
  v.app.inject({
    method: 'POST',
    url: '/api/alerts/preview',
    headers: bearer(v.adminSecret),
    payload: { alerts: proposed, ...range(), ...body },
  });

const window = { period: 'hourly', start: at(hour), end: at(hour + HOUR_MS) };
/** Decided when the hour ends. */
const firedAt = at(hour + HOUR_MS - 1);

describe('200: POST /api/alerts/preview', () => {
  it('answers what the proposed settings would have fired over the stored hours, as GET /api/alerts shows alerts', async () => {
    const res = await preview({});
    expect(res.statusCode, res.body).toBe(200);
    const { alerts: fired } = res.json();
    expect(fired).toEqual([
      {
        id: expect.any(String),
        keyId: busy,
        rule: 'highUsage',
        subject: 'critical',
        severity: 'critical',
        state: 'firing',
        window,
        value: 150,
        threshold: 100,
        details: {
          topCountries: [
            { country: 'DE', count: 140 },
            { country: '??', count: 10 },
          ],
        },
        createdAt: firedAt,
        resolvedAt: null,
        firedAt,
      },
      {
        id: expect.any(String),
        keyId: warm,
        rule: 'highUsage',
        subject: 'warning',
        severity: 'warning',
        state: 'firing',
        window,
        value: 90,
        threshold: 80,
        details: { of: 100, topCountries: [{ country: 'FR', count: 90 }] },
        createdAt: firedAt,
        resolvedAt: null,
        firedAt,
      },
    ]);
    expect(fired[0].id).not.toBe(fired[1].id);
  });

  it('previews one key with keyId', async () => {
    const res = await preview({ keyId: warm });
    expect(res.statusCode).toBe(200);
    expect(res.json().alerts.map((a: { keyId: string; subject: string }) => [a.keyId, a.subject])).toEqual([
      [warm, 'warning'],
    ]);
    expect((await preview({ keyId: idle })).json()).toEqual({ alerts: [] });
  });

  it('answers no alerts when the settings would not have fired, or the range holds no stored usage', async () => {
    const lenient = { highUsage: { threshold: 10_000, period: 'hourly' } };
    expect((await preview({ alerts: lenient })).json()).toEqual({ alerts: [] });
    expect((await preview({ alerts: {} })).json()).toEqual({ alerts: [] });
    expect((await preview({ from: at(hour + HOUR_MS) })).json()).toEqual({ alerts: [] });
    expect((await preview({ from: at(hour - 48 * HOUR_MS), to: at(hour) })).json()).toEqual({ alerts: [] });
  });

  it('records and sends nothing, and leaves the org’s settings as they were', async () => {
    expect((await preview({})).json().alerts).toHaveLength(2);
    const { db } = v.ctx.database;
    expect(await db.$count(alerts)).toBe(0);
    expect(await db.$count(deliveries)).toBe(0);
    expect(await orgAlertSettings(db, v.org.id)).toEqual(stored);
  });

  it('answers the dashboard’s session as it answers a Bearer admin key', async () => {
    const signIn = await v.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { key: v.adminSecret },
    });
    expect(signIn.statusCode).toBe(204);
    const cookie = String(signIn.headers['set-cookie']).split(';', 1)[0]!;
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/alerts/preview',
      // A POST through the cookie comes from the verifier's own origin (Host: localhost:80).
      headers: { cookie, origin: 'http://localhost' },
      payload: { alerts: proposed, ...range() },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().alerts.map((a: { keyId: string }) => a.keyId)).toEqual([busy, warm]);
  });
});

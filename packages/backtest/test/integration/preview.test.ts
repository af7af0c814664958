import { ensureOrg, keyHourlyIps, usageBuckets, usageCountryCounts } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { DAY_MS, HOUR_MS } from '@keywatch/rules';
import { createTestContext, type TestContext } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewTooLargeError, previewAlerts } from '../../src/index.ts';

let ctx: TestContext;
let orgId: string;
let keyId: string;
const lastHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
const from = new Date(lastHour - 2 * DAY_MS);
const to = new Date(lastHour + HOUR_MS);

beforeAll(async () => {
  ctx = await createTestContext('backtest-preview');
  const { db } = ctx.database;
  orgId = (await ensureOrg(db, 'preview-org')).id;
  // A key with no settings of its own, a month old: it follows its org's.
  const { key } = await issueKey(db, orgId, newKeySchema.parse({ name: 'quiet', scopes: ['chat'] }));
  keyId = key.id;
  await db.execute(`update api_keys set created_at = now() - interval '30 days' where id = '${keyId}'`);
  // Two weeks of 20 requests an hour from GB and two IPs; the last hour also from BR.
  const hours = Array.from({ length: 14 * 24 }, (_, i) => new Date(lastHour - i * HOUR_MS));
  await db.insert(usageBuckets).values(
    hours.map((bucketStart) => ({
      keyId,
      granularity: 'hour' as const,
      bucketStart,
      total: 20,
      success: 20,
      failure: 0,
    })),
  );
  await db.insert(usageCountryCounts).values([
    ...hours.map((bucketStart) => ({
      keyId,
      granularity: 'hour' as const,
      bucketStart,
      country: 'GB',
      count: 20,
    })),
    { keyId, granularity: 'hour', bucketStart: new Date(lastHour), country: 'BR', count: 1 },
  ]);
  await db
    .insert(keyHourlyIps)
    .values(hours.flatMap((hourStart) => ['192.0.2.1', '192.0.2.2'].map((ip) => ({ keyId, hourStart, ip }))));
});
afterAll(async () => ctx?.close());

describe('previewAlerts', () => {
  it('decides the stored hours with the proposed settings, for keys that follow the org', async () => {
    const alerts = await previewAlerts(ctx.database.db, {
      orgId,
      from,
      to,
      settings: { unusualActivity: true },
    });
    expect(alerts.map((a) => [a.keyId, a.rule, a.subject, a.window.start])).toEqual([
      [keyId, 'unusualActivity', 'newCountry:BR', new Date(lastHour).toISOString()],
    ]);
    expect(alerts[0]!.firedAt).toBe(new Date(lastHour + HOUR_MS - 1).toISOString());
  });

  it('fires nothing the proposed settings turn off', async () => {
    const alerts = await previewAlerts(ctx.database.db, {
      orgId,
      from,
      to,
      settings: { unusualActivity: false },
    });
    expect(alerts).toEqual([]);
  });

  it('refuses a range holding more key-hours than its bound, before deciding any', async () => {
    const request = { orgId, from, to, settings: { unusualActivity: true }, maxKeyHours: 48 };
    await expect(previewAlerts(ctx.database.db, request)).rejects.toThrow(PreviewTooLargeError);
    await expect(previewAlerts(ctx.database.db, { ...request, maxKeyHours: 49 })).resolves.toHaveLength(1);
  });
});

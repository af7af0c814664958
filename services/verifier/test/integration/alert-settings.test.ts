import { auditLog, ensureOrg, orgAlertSettings } from '@keywatch/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('alert_settings');
});
afterAll(async () => v?.close());

const call = (method: 'GET' | 'PUT', payload?: unknown) =>
  v.app.inject({
    method,
    url: '/api/alert-settings',
    headers: bearer(v.adminSecret),
    payload: payload as object,
  });

const settings = {
  unusualActivity: { enabled: true, learningDays: 3 },
  highUsage: { threshold: 5000, period: 'hourly', warnAt: null },
  failures: { threshold: 100, period: 'daily', rate: 0.25 },
};

describe('/api/alert-settings', () => {
  it('200: starts empty, PUT replaces, GET shows it, null clears; each change audited', async () => {
    expect((await call('GET')).json()).toEqual({ alerts: null });
    const put = await call('PUT', { alerts: settings });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ alerts: settings });
    expect((await call('GET')).json()).toEqual({ alerts: settings });
    expect(await orgAlertSettings(v.ctx.database.db, v.org.id)).toEqual(settings);

    expect((await call('PUT', { alerts: null })).json()).toEqual({ alerts: null });
    const audit = await v.ctx.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'org.alert_settings.update'));
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [{ alerts: null }, { alerts: settings }],
      [{ alerts: settings }, { alerts: null }],
    ]);
    expect(audit.every((a) => a.orgId === v.org.id && a.keyId === null && a.actorKeyId !== null)).toBe(true);
  });

  it.each([
    [{ alerts: { highUsage: { threshold: -1, period: 'daily' } } }, 'alerts.highUsage.threshold'],
    [{ alerts: { failures: { threshold: 1, period: 'weekly' } } }, 'alerts.failures.period'],
    [{ alerts: { highUsage: { threshold: 1, period: 'daily', warnAt: 2 } } }, 'alerts.highUsage.warnAt'],
    [{ alerts: { spam: true } }, 'alerts'],
    [{}, 'alerts'],
  ])('400: %j names %s', async (payload, field) => {
    const res = await call('PUT', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.json().error.message).toContain(field);
  });

  it("an org's settings are its own", async () => {
    await call('PUT', { alerts: settings });
    const other = await ensureOrg(v.ctx.database.db, 'settings-other-org');
    expect(await orgAlertSettings(v.ctx.database.db, other.id)).toBeNull();
  });
});

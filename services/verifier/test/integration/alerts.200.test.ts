import { alerts, deliveries, ensureOrg } from '@keywatch/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let keyA: string;
let keyB: string;
let firingId: string;
beforeAll(async () => {
  v = await startVerifier('alerts_200');
  keyA = (await v.makeKey({ name: 'a', scopes: ['chat'] })).key.id;
  keyB = (await v.makeKey({ name: 'b', scopes: ['chat'] })).key.id;
  const db = v.ctx.database.db;
  const other = await ensureOrg(db, 'alerts-other-org');
  // What the alerter would have recorded.
  const [firing, resolved] = await db
    .insert(alerts)
    .values([
      {
        keyId: keyA,
        orgId: v.org.id,
        rule: 'highUsage',
        period: 'hourly',
        windowStart: new Date('2026-11-22T10:00:00.000Z'),
        value: 1200,
        threshold: 1000,
        details: { windowEnd: '2026-11-22T11:00:00.000Z' },
        createdAt: new Date('2026-11-22T10:40:00.000Z'),
      },
      {
        keyId: keyB,
        orgId: v.org.id,
        rule: 'highUsage',
        period: 'daily',
        windowStart: new Date('2026-11-21T00:00:00.000Z'),
        value: 50,
        threshold: 40,
        subject: 'warning',
        severity: 'warning',
        state: 'resolved',
        resolvedAt: new Date('2026-11-22T00:00:00.000Z'),
        createdAt: new Date('2026-11-21T09:00:00.000Z'),
      },
      {
        keyId: keyA,
        orgId: other.id,
        rule: 'highUsage',
        period: 'daily',
        windowStart: new Date('2026-11-22T00:00:00.000Z'),
        value: 9,
        threshold: 1,
      },
    ])
    .returning({ id: alerts.id });
  firingId = firing!.id;
  await db.insert(deliveries).values([
    {
      alertId: firing!.id,
      kind: 'alert',
      channel: 'slack',
      dedupeKey: `alert:${firing!.id}:slack`,
      status: 'sent',
      attempts: 2,
      sentAt: new Date('2026-11-22T10:40:01.000Z'),
    },
    {
      alertId: firing!.id,
      kind: 'alert',
      channel: 'email',
      dedupeKey: `alert:${firing!.id}:email`,
      status: 'failed',
      attempts: 1,
      error: 'recipient rejected',
    },
    { alertId: resolved!.id, kind: 'alert', channel: 'log', dedupeKey: `alert:${resolved!.id}:log` },
  ]);
});
afterAll(async () => v?.close());

const get = (query = '') => v.app.inject({ url: `/api/alerts${query}`, headers: bearer(v.adminSecret) });

describe('200: GET /api/alerts', () => {
  it("lists the org's alerts newest first, each with its window and deliveries", async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    const { alerts: listed } = res.json();
    expect(listed).toHaveLength(2);
    expect(listed[0]).toEqual({
      id: firingId,
      keyId: keyA,
      rule: 'highUsage',
      subject: 'critical',
      severity: 'critical',
      state: 'firing',
      window: { period: 'hourly', start: '2026-11-22T10:00:00.000Z', end: '2026-11-22T11:00:00.000Z' },
      value: 1200,
      threshold: 1000,
      details: { windowEnd: '2026-11-22T11:00:00.000Z' },
      createdAt: '2026-11-22T10:40:00.000Z',
      resolvedAt: null,
      deliveries: expect.arrayContaining([
        { channel: 'slack', status: 'sent', attempts: 2, error: null, sentAt: '2026-11-22T10:40:01.000Z' },
        { channel: 'email', status: 'failed', attempts: 1, error: 'recipient rejected', sentAt: null },
      ]),
    });
    expect(listed[1]).toMatchObject({
      keyId: keyB,
      state: 'resolved',
      resolvedAt: '2026-11-22T00:00:00.000Z',
    });
  });

  it('filters by key and by state', async () => {
    expect((await get(`?keyId=${keyB}`)).json().alerts.map((a: { keyId: string }) => a.keyId)).toEqual([
      keyB,
    ]);
    expect((await get('?state=firing')).json().alerts.map((a: { id: string }) => a.id)).toEqual([firingId]);
    expect((await get(`?keyId=${keyB}&state=firing`)).json().alerts).toEqual([]);
  });

  it('filters by rule and by severity, on the server (so a page holds only what matches)', async () => {
    const ids = async (query: string) => (await get(query)).json().alerts.map((a: { id: string }) => a.id);
    expect(await ids('?severity=critical')).toEqual([firingId]);
    expect(await ids('?severity=warning&limit=1')).toHaveLength(1);
    expect(await ids('?rule=highUsage')).toHaveLength(2);
    expect(await ids('?rule=failures')).toEqual([]);
    expect(await ids(`?rule=highUsage&severity=warning&keyId=${keyA}`)).toEqual([]);
  });

  it.each([
    ['?keyId=not-a-uuid', 'keyId'],
    ['?state=open', 'state'],
    ['?rule=slowness', 'rule'],
    ['?severity=info', 'severity'],
    ['?limit=0', 'limit'],
  ])('%s → 400 naming %s', async (query, field) => {
    const res = await get(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.json().error.message).toContain(field);
  });
});

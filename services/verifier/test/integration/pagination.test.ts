import { alerts, apiKeys, silences } from '@keywatch/db';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let keyIds: string[];
beforeAll(async () => {
  v = await startVerifier('pagination');
  keyIds = [];
  for (let i = 0; i < 7; i++) keyIds.push((await v.makeKey({ scopes: ['chat'] })).key.id);
  // Ties to the millisecond and to the microsecond: the id must order them, and the cursor must
  // keep the microseconds JavaScript dates drop.
  const at = ['2026-01-01T00:00:00.000100Z', '2026-01-01T00:00:00.000200Z', '2026-01-01T00:00:00.000200Z'];
  for (const [i, t] of at.entries()) {
    await v.ctx.database.db
      .update(apiKeys)
      .set({ createdAt: sql`${t}::timestamptz` })
      .where(inArray(apiKeys.id, [keyIds[i]!]));
  }
  const { db } = v.ctx.database;
  const base = { orgId: v.org.id, period: 'hourly' as const, value: 1, threshold: 1 };
  await db.insert(alerts).values(
    keyIds.map((keyId, i) => ({
      ...base,
      keyId,
      rule: 'failures' as const,
      windowStart: new Date(Date.UTC(2026, 0, 1, i)),
      createdAt: sql`${at[i % at.length]}::timestamptz`,
    })),
  );
  const until = new Date(Date.now() + 86_400_000);
  await db.insert(silences).values(
    keyIds.map((keyId, i) => ({
      orgId: v.org.id,
      keyId,
      until,
      reason: `r${i}`,
      createdAt: sql`${at[i % at.length]}::timestamptz`,
    })),
  );
});
afterAll(async () => v?.close());

const get = (url: string) => v.app.inject({ url, headers: bearer(v.adminSecret) });
const ids = (list: { id: string }[]) => list.map((r) => r.id);

/** Follows nextCursor from the first page to the end; every page but the last is full. */
async function allPages(path: string, field: string, limit: number) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    seen.push(...ids(body[field]));
    cursor = body.nextCursor;
    if (cursor === null) return seen;
    expect(body[field]).toHaveLength(limit);
  }
  throw new Error('nextCursor never became null');
}

describe('list routes page with limit and cursor', () => {
  it.each([
    ['/api/api-keys', 'keys'],
    ['/api/api-keys?rotationDue=false', 'keys'],
    ['/api/alerts', 'alerts'],
    ['/api/silences', 'silences'],
  ])('%s: pages cover the whole list once, in its order', async (path, field) => {
    const whole = (await get(path)).json();
    expect(whole.nextCursor).toBeNull(); // without limit or cursor: as before, plus nextCursor
    expect(whole[field].length).toBeGreaterThanOrEqual(5);
    for (const limit of [1, 2, 3]) expect(await allPages(path, field, limit)).toEqual(ids(whole[field]));
  });

  it('?rotationDue=true pages too, oldest first', async () => {
    const due = (await get('/api/api-keys?rotationDue=true')).json().keys;
    expect(ids(due).sort()).toEqual(keyIds.slice(0, 3).sort()); // the three from 2026-01-01
    expect(due[0].id).toBe(keyIds[0]); // a microsecond before the other two, which the id orders
    expect(ids(due.slice(1))).toEqual(keyIds.slice(1, 3).sort());
    expect(await allPages('/api/api-keys?rotationDue=true', 'keys', 1)).toEqual(ids(due));
  });

  it('the alerts list keeps its default of 100 and says where the rest is', async () => {
    const { db } = v.ctx.database;
    await db.insert(alerts).values(
      Array.from({ length: 100 }, (_, i) => ({
        orgId: v.org.id,
        keyId: keyIds[0]!,
        rule: 'highUsage' as const,
        period: 'daily' as const,
        windowStart: new Date(Date.UTC(2025, 0, 1 + i)),
        value: 1,
        threshold: 1,
      })),
    );
    const first = (await get('/api/alerts')).json();
    expect(first.alerts).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = (await get(`/api/alerts?cursor=${first.nextCursor}`)).json();
    expect(rest.alerts).toHaveLength(7);
    expect(rest.nextCursor).toBeNull();
  });

  const forged = Buffer.from(JSON.stringify({ at: 'yesterday', id: 'x' })).toString('base64url');
  it.each(['/api/api-keys', '/api/alerts', '/api/silences'])(
    '%s: a bad cursor or limit is a 400 naming it',
    async (path) => {
      for (const [query, field] of [
        ['cursor=not-a-cursor', 'cursor'],
        [`cursor=${forged}`, 'cursor'],
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=ten', 'limit'],
      ] as const) {
        const res = await get(`${path}?${query}`);
        expect(res.statusCode, `${path}?${query}`).toBe(400);
        expect(res.json().error).toMatchObject({
          code: 'invalid_request',
          message: expect.stringContaining(field),
        });
      }
    },
  );
});

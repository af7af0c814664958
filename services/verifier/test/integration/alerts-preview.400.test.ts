import { DAY_MS } from '@keywatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('alerts_preview_400');
});
afterAll(async () => v?.close());

const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
/** A request the route answers: every case below changes one thing of it. */
const valid = { alerts: { failures: { threshold: 10, period: 'hourly' } }, from: ago(7), to: ago(0) };

const preview = (payload: unknown) =>
  v.app.inject({
    method: 'POST',
    url: '/api/alerts/preview',
    headers: bearer(v.adminSecret),
    payload: payload as object,
  });

describe('400: POST /api/alerts/preview names each bad field', () => {
  it('the request every case starts from is answered', async () => {
    expect((await preview(valid)).statusCode).toBe(200);
  });

  it.each([
    ['from not a time', { from: 'last week' }, 'from: '],
    ['from missing', { from: undefined }, 'from: '],
    ['to not a time', { to: '2026-13-01T00:00:00Z' }, 'to: '],
    ['from not before to', { from: ago(1), to: ago(2) }, 'from: must be before to'],
    ['from equal to to', { from: ago(1), to: ago(1) }, 'from: must be before to'],
    ['a range over 31 days', { from: ago(32), to: ago(0) }, 'to: must be at most 31 days after from'],
    ['to over a day ahead', { from: ago(1), to: ago(-2) }, 'to: must be at most 1 day in the future'],
    ['alerts missing', { alerts: undefined }, 'alerts: '],
    ['alerts null', { alerts: null }, 'alerts: '],
    [
      'alerts of a bad threshold',
      { alerts: { highUsage: { threshold: -1, period: 'hourly' } } },
      'alerts.highUsage.threshold: ',
    ],
    ['alerts of an unknown rule', { alerts: { slowness: { threshold: 1 } } }, 'alerts: '],
    ['keyId not a uuid', { keyId: 'billing-service' }, 'keyId: '],
    ['a field the route does not take', { orgId: '0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f' }, 'orgId'],
  ])('%s → 400 naming it', async (_case, change, named) => {
    const res = await preview({ ...valid, ...change });
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json();
    expect(body.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain(named);
  });

  it('a range both too long and ahead names both', async () => {
    const res = await preview({ ...valid, from: ago(40), to: ago(-3) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(
      'to: must be at most 31 days after from; to: must be at most 1 day in the future',
    );
  });

  it('31 days exactly, ending a day ahead, is within bounds', async () => {
    const to = new Date(Date.now() + DAY_MS - 60_000);
    const from = new Date(to.getTime() - 31 * DAY_MS);
    const res = await preview({ ...valid, from: from.toISOString(), to: to.toISOString() });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('a body that is not an object → 400', async () => {
    expect((await preview([])).statusCode).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('destinations', {
    ALERT_SLACK_CHANNELS_ALLOWED: ['#security', 'C0123ABCD'],
    ALERT_EMAIL_DOMAINS_ALLOWED: ['example.com', '*.corp.example'],
  });
});
afterAll(async () => v?.close());

const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object) =>
  v.app.inject({ method, url, headers: bearer(v.adminSecret), payload });
const create = (extra: object) => send('POST', '/api/api-keys', { name: 'k', scopes: ['chat'], ...extra });

const expectRefused = (res: Awaited<ReturnType<typeof send>>, field: string) => {
  expect(res.statusCode).toBe(400);
  expect(res.json().error.code).toBe('invalid_request');
  expect(res.json().error.message).toContain(`${field}: `);
};

describe('where tenants may route alerts', () => {
  it.each([
    [{ alerts: { channels: { slack: '#random' } } }, 'alerts.channels.slack'],
    [{ alerts: { channels: { slack: '@alice' } } }, 'alerts.channels.slack'],
    [{ alerts: { channels: { slack: 'U0123ABCD' } } }, 'alerts.channels.slack'],
    [
      { alerts: { channels: { email: ['a@example.com', 'b@example.com.evil.io'] } } },
      'alerts.channels.email.1',
    ],
    [{ alerts: { channels: { email: ['a@evilexample.com'] } } }, 'alerts.channels.email.0'],
    [{ alerts: { channels: { security: { slack: '#general' } } } }, 'alerts.channels.security.slack'],
    [{ type: 'personal', ownerEmail: 'dev@elsewhere.io' }, 'ownerEmail'],
  ])('POST /api/api-keys %j: 400 naming %s', async (extra, field) => {
    expectRefused(await create(extra), field);
  });

  it('PATCH /api/api-keys/:id and PUT /api/alert-settings refuse the same', async () => {
    const { key } = await v.makeKey({ scopes: ['chat'] });
    const dm = { alerts: { channels: { slack: 'W0123ABCD' } } };
    expectRefused(await send('PATCH', `/api/api-keys/${key.id}`, dm), 'alerts.channels.slack');
    expectRefused(await send('PUT', '/api/alert-settings', dm), 'alerts.channels.slack');
    const security = { alerts: { channels: { security: { email: ['sec@gmail.com'] } } } };
    expectRefused(await send('PUT', '/api/alert-settings', security), 'alerts.channels.security.email.0');
  });

  it('takes allowed channels, ids, domains and subdomains', async () => {
    const alerts = {
      channels: {
        slack: '#security',
        email: ['a@example.com', 'b@team.corp.example'],
        security: { slack: 'C0123ABCD' },
      },
    };
    const res = await create({ alerts, type: 'personal', ownerEmail: 'dev@example.com' });
    expect(res.statusCode).toBe(201);
    expect((await send('PUT', '/api/alert-settings', { alerts })).statusCode).toBe(200);
  });
});

describe('names', () => {
  it.each(['line\nbreak', 'carriage\r\nreturn', 'nul\u0000byte', 'bell\u0007', 'c1\u0085next line'])(
    'POST and PATCH refuse %j with a 400 naming name',
    async (name) => {
      expectRefused(await create({ name }), 'name');
      const { key } = await v.makeKey({ scopes: ['chat'] });
      expectRefused(await send('PATCH', `/api/api-keys/${key.id}`, { name }), 'name');
    },
  );
});

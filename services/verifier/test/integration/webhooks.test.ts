import { auditLog, ensureOrg, webhookSigningSecrets } from '@keywatch/db';
import { rotateWebhookSecret } from '@keywatch/key-lifecycle';
import { verifyWebhook, webhookSignature } from '@keywatch/notify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
beforeAll(async () => {
  v = await startVerifier('webhooks');
});
afterAll(async () => v?.close());

const DAY = 24 * 3600_000;
const createSecret = (secret = v.adminSecret) =>
  v.app.inject({ method: 'POST', url: '/api/webhook-secret', headers: bearer(secret) });

describe('POST /api/webhook-secret', () => {
  it('201: a whsec_ secret shown once; a rotation keeps the previous one signing for 24 h; audited', async () => {
    const first = await createSecret();
    expect(first.statusCode).toBe(201);
    const { secret: old } = first.json();
    expect(old).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const read = await v.app.inject({
      method: 'GET',
      url: '/api/webhook-secret',
      headers: bearer(v.adminSecret),
    });
    expect(read.statusCode).toBe(405); // a secret is never read back, only created or rotated
    expect(read.headers.allow).toBe('POST');

    const rotatedAt = Date.now();
    const { secret: current } = (await createSecret()).json();
    expect(current).not.toBe(old);
    const db = v.ctx.database.db;
    expect(await webhookSigningSecrets(db, v.org.id)).toEqual([current, old]);
    expect(await webhookSigningSecrets(db, v.org.id, new Date(rotatedAt + DAY - 60_000))).toEqual([
      current,
      old,
    ]);
    expect(await webhookSigningSecrets(db, v.org.id, new Date(rotatedAt + DAY + 60_000))).toEqual([current]);

    // During the overlap a receiver still holding the old secret verifies the header we send.
    const ts = String(Math.floor(Date.now() / 1000));
    const body = '{"type":"keywatch.notification"}';
    const header = [current, old].map((s) => webhookSignature(s, ts, body)).join(',');
    expect(verifyWebhook(old, { signature: header, timestamp: ts }, body)).toBe(true);
    expect(verifyWebhook(current, { signature: header, timestamp: ts }, body)).toBe(true);

    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'org.webhook_secret.rotate'));
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.orgId === v.org.id && a.actorKeyId !== null && a.keyId === null)).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/whsec_/);
  });

  it("leaves another org's secret alone", async () => {
    const db = v.ctx.database.db;
    const other = await ensureOrg(db, 'webhooks-other');
    const theirs = await rotateWebhookSecret(db, other.id, null);
    expect((await createSecret()).statusCode).toBe(201);
    expect(await webhookSigningSecrets(db, other.id)).toEqual([theirs]);
    expect(await db.select().from(auditLog).where(eq(auditLog.orgId, other.id))).toHaveLength(1);
  });

  it('401 without an admin key', async () => {
    expect((await v.app.inject({ method: 'POST', url: '/api/webhook-secret' })).statusCode).toBe(401);
  });
});

describe('webhook URLs', () => {
  const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object) =>
    v.app.inject({ method, url, headers: bearer(v.adminSecret), payload });

  it.each([
    ['http://127.0.0.1/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://[::ffff:127.0.0.1]/', 'address ::ffff:7f00:1 is not allowed (loopback)'],
    ['http://0x7f000001/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://2130706433/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://localhost:8080/', 'host localhost is not allowed (loopback)'],
    ['http://169.254.169.254/latest/meta-data/', 'address 169.254.169.254 is not allowed (link-local)'],
    ['http://10.0.0.1/hook', 'address 10.0.0.1 is not allowed (private)'],
    ['http://user:pw@hooks.example.com/', 'must not carry a user name or password'],
  ])('400 for %s: %s', async (url, problem) => {
    const res = await send('POST', '/api/api-keys', {
      name: 'k',
      scopes: ['chat'],
      alerts: { channels: { webhook: url } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_request' });
    expect(res.json().error.message).toContain(`alerts.channels.webhook: ${problem}`);
  });

  it('PATCH and the org settings refuse the same, the security channel too', async () => {
    const { key } = await v.makeKey({ scopes: ['chat'] });
    const local = { alerts: { channels: { webhook: 'http://[::1]:8081/metrics' } } };
    const patch = await send('PATCH', `/api/api-keys/${key.id}`, local);
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.message).toContain(
      'alerts.channels.webhook: address ::1 is not allowed (loopback)',
    );
    const security = { alerts: { channels: { security: { webhook: 'http://192.168.1.10/' } } } };
    const put = await send('PUT', '/api/alert-settings', security);
    expect(put.statusCode).toBe(400);
    expect(put.json().error.message).toContain('alerts.channels.security.webhook: address 192.168.1.10');
  });

  it('takes a public https URL', async () => {
    const alerts = {
      channels: { webhook: 'https://hooks.example.com/keywatch', security: { webhook: 'https://8.8.8.8/x' } },
    };
    expect((await send('POST', '/api/api-keys', { name: 'k', scopes: ['chat'], alerts })).statusCode).toBe(
      201,
    );
  });
});

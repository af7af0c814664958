import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createKeywatchClient, dataOf, type KeywatchClient } from '@keywatch/client';
import { cliPath, repoRoot, runCommand, waitFor } from '@keywatch/testkit';
import { launchChromium, seriousAxeViolations } from '@keywatch/testkit/browser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline } from './pipeline-harness.ts';

// The dashboard in Debian's Chromium over the whole pipeline: what an admin and a security team do
// in it, checked against what the API reports. Every page is checked by axe and photographed.
const SCREENSHOTS = join(repoRoot, '.screenshots');

let pipeline: Pipeline;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: KeywatchClient;
let adminKey: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  // The verifier serves the build it finds when it starts.
  const build = spawnSync('node', ['scripts/ensure-dashboard.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  expect(build.status).toBe(0);
  pipeline = await startPipeline('e2e_dashboard');
  const created = await runCommand(
    [cliPath, 'keys', 'create', '--org', 'dash-org', '--name', 'ops-admin', '--scopes', 'admin'],
    pipeline.env,
  );
  adminKey = JSON.parse(created.stdout).key;
  api = createKeywatchClient({ baseUrl: pipeline.verifierUrl, adminKey });
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // A 401 before signing in (or after signing out) is how the app learns to show the sign-in page.
    if (m.type() === 'error' && !/status of 401/.test(m.text()))
      consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  const codes = await pipeline?.stop();
  expect(codes).toEqual([0, 0, 0, 0]);
});

const url = (path: string) => `${pipeline.verifierUrl}${path}`;

/** Waits for the page's data, checks it with axe, and keeps a screenshot for a reviewer. */
async function settle(name: string) {
  await page.locator('main[aria-busy="false"]').waitFor({ timeout: 30_000 });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const kpi = (label: string) =>
  page
    .locator('li.kpi', { has: page.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.kpi-value');

/** Verifications through forward-auth, as a gateway in front of the client would make them. */
const forwardAuth = (secret: string, scope: string, clientIp: string) =>
  fetch(url('/v1/auth'), {
    headers: { authorization: `Bearer ${secret}`, 'x-required-scope': scope, 'x-forwarded-for': clientIp },
  });

describe('the dashboard', () => {
  let key: { id: string; secret: string; name: string };

  it('signs in with an admin key, which no page script keeps', async () => {
    await page.goto(url('/overview?range=24h'));
    await page.waitForURL(/\/signin\?next=/);
    await settle('signin');
    await page.getByLabel('Admin API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/overview\?range=24h$/);
    await settle('overview');
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
      ['keywatch_session', true, 'Strict'],
    ]);
    // What page scripts can read: storage and cookies (the session cookie is HttpOnly).
    const stored = await page.evaluate(
      'JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie',
    );
    expect(stored).not.toContain(adminKey);
  });

  it('creates a key and shows its secret once: it is gone after a reload', async () => {
    await page.goto(url('/keys/new'));
    await page.locator('main[aria-busy="false"]').waitFor();
    await page.getByLabel('Name').fill('checkout-service');
    await page.getByRole('checkbox', { name: /^chat/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'Key created' }).waitFor();
    const secret = await page.getByLabel("The key's secret").inputValue();
    expect(secret).toMatch(/^sk_live_/);
    await settle('key-created');
    await page.reload();
    await page.locator('main[aria-busy="false"]').waitFor();
    expect(await page.content()).not.toContain(secret);
    const listed = dataOf(await api.GET('/api/api-keys')).keys.find((k) => k.name === 'checkout-service')!;
    key = { id: listed.id, secret, name: listed.name };
    expect(listed.prefix).toBe(secret.slice(0, listed.prefix.length));
    dataOf(
      await api.PATCH('/api/api-keys/{id}', {
        params: { path: { id: key.id } },
        body: { alerts: { failures: { threshold: 3, period: 'hourly' } } },
      }),
    );
  });

  it('shows on the key’s page the counts, success rate and countries the API reports', async () => {
    for (let i = 0; i < 5; i++)
      expect((await forwardAuth(key.secret, 'chat', '81.2.69.142')).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await forwardAuth(key.secret, 'agents:write', '8.8.8.8')).status).toBe(403);
    const report = await waitFor(
      'the usage report to count all 8',
      async () => {
        const usage = dataOf(
          await api.GET('/api/api-keys/{id}/usage', {
            params: { path: { id: key.id }, query: { granularity: 'hour' } },
          }),
        );
        return usage.requestCount === 8 && usage;
      },
      { intervalMs: 500 },
    );
    await page.goto(url(`/keys/${key.id}?range=24h`));
    await settle('key');
    expect(await kpi('Requests').textContent()).toBe(String(report.requestCount));
    expect(await kpi('Failures').textContent()).toBe(String(report.failureCount));
    expect(await kpi('Success rate').textContent()).toBe(
      `${((report.successCount / report.requestCount) * 100).toFixed(1)}%`,
    );
    const countries = page.getByRole('table', { name: /^Countries for/ });
    for (const { country } of report.countries)
      await expect(countries.getByText(country).first().isVisible()).resolves.toBe(true);
  });

  it('shows the alert with its Slack delivery, and silences it', async () => {
    await waitFor('the Slack alert', () =>
      pipeline.slack.messages().some((m) => String(m.body.text).includes('checkout-service')),
    );
    await waitFor('the delivery recorded as sent', async () => {
      const { alerts } = dataOf(await api.GET('/api/alerts', { params: { query: { keyId: key.id } } }));
      return alerts.some((a) => a.deliveries.some((d) => d.channel === 'slack' && d.status === 'sent'));
    });
    await page.goto(url(`/alerts?key=${key.id}`));
    await settle('alerts');
    const card = page.locator('article', { hasText: 'checkout-service' }).first();
    await card.getByRole('row', { name: /^slack sent 1 / }).waitFor();
    await card.getByRole('button', { name: 'Silence…' }).click();
    await page.getByLabel('Reason').fill('investigating');
    await page.getByRole('dialog').getByRole('button', { name: 'Silence' }).click();
    await waitFor('the silence to be in force', async () =>
      dataOf(await api.GET('/api/silences')).silences.some(
        (s) => s.keyId === key.id && s.reason === 'investigating',
      ),
    );
    await page
      .getByRole('table', { name: /silences/i })
      .getByText('investigating')
      .waitFor();
  });

  it('previews on the settings page what the settings in the form would have fired last week', async () => {
    await page.goto(url('/settings'));
    await page.locator('main[aria-busy="false"]').waitFor();
    await page.getByLabel('Threshold (failed verifications)').fill('3');
    await page.getByRole('button', { name: 'Preview last week' }).click();
    const summary = page.getByRole('status').filter({ hasText: 'would have fired' });
    await summary.waitFor();
    await settle('settings-preview');

    // The same settings asked of the API: the page shows its count and each of its alerts.
    const now = Date.now();
    const { alerts } = dataOf(
      await api.POST('/api/alerts/preview', {
        body: {
          alerts: { failures: { threshold: 3, period: 'hourly' } },
          from: new Date(now - 7 * 86_400_000).toISOString(),
          to: new Date(now).toISOString(),
        },
      }),
    );
    expect(alerts.map((a) => [a.keyId, a.rule, a.subject, a.severity])).toContainEqual([
      key.id,
      'failures',
      'count',
      'critical',
    ]);
    expect(await summary.textContent()).toContain(
      `These settings would have fired ${alerts.length} alert${alerts.length === 1 ? '' : 's'} last week.`,
    );
    const list = page.getByRole('table', { name: /would have fired last week/ });
    expect(await list.locator('tbody tr').count()).toBe(alerts.length);
    await list.getByRole('row', { name: /^checkout-service Failures count critical hourly/ }).waitFor();
    // A preview records nothing: the org's settings are still none.
    expect(dataOf(await api.GET('/api/alert-settings')).alerts).toBeNull();
  });

  it('rotates the key with a grace period, showing the successor’s secret once, and revokes it', async () => {
    await page.goto(url(`/keys/${key.id}`));
    await page.locator('main[aria-busy="false"]').waitFor();
    await page.getByRole('button', { name: 'Rotate…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
    const successor = await page
      .getByRole('dialog')
      .getByRole('textbox', { name: /secret/i })
      .inputValue();
    expect(successor).toMatch(/^sk_live_/);
    expect((await forwardAuth(successor, 'chat', '81.2.69.142')).status).toBe(200);
    await page.keyboard.press('Escape');
    const old = dataOf(await api.GET('/api/api-keys/{id}', { params: { path: { id: key.id } } }));
    expect(old.rotatedAt).not.toBeNull();

    await page.goto(url(`/keys/${key.id}`));
    await page.locator('main[aria-busy="false"]').waitFor();
    await page.getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await waitFor('the key revoked', async () =>
      Boolean(dataOf(await api.GET('/api/api-keys/{id}', { params: { path: { id: key.id } } })).revokedAt),
    );
    expect((await forwardAuth(key.secret, 'chat', '81.2.69.142')).status).toBe(401);
  });

  it('every other page renders with no serious accessibility violation', async () => {
    for (const [name, path] of [
      ['keys', '/keys'],
      ['settings', '/settings'],
      ['rotation', '/rotation'],
      ['overview-7d', '/overview?range=7d'],
    ] as const) {
      await page.goto(url(path));
      await settle(name);
    }
  });

  it('signs out: the session no longer works, and no page logged an error', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    expect(await context.cookies()).toEqual([]);
    await page.goto(url('/keys'));
    await page.waitForURL(/\/signin\?next=/);
    expect(consoleErrors).toEqual([]);
  });
});

import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { launchChromium } from '@keywatch/testkit/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifier, type Verifier } from './harness.ts';

let v: Verifier;
let base: string;
let browser: Browser;
beforeAll(async () => {
  v = await startVerifier('docs');
  await v.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(v.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await v?.close();
});

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document, valid by the specification’s schema', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await res.json()) as { openapi: string };
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('GET /docs', () => {
  it('renders every group of the API in Chromium, and no request leaves the verifier', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const failures: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (e) => failures.push(e.message));
    page.on('console', (m) => m.type() === 'error' && failures.push(m.text()));
    const answer = await page.goto(`${base}/docs`);
    expect(answer?.status()).toBe(200);
    for (const tag of ['Verification', 'Keys', 'Usage', 'Alerts', 'Settings', 'Operations']) {
      await page.locator(`.opblock-tag[data-tag="${tag}"]`).waitFor({ timeout: 15_000 });
    }
    await page.getByText('/api/api-keys/{id}/rotate').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(19);
    expect(failures).toEqual([]);
    expect(requested.length).toBeGreaterThan(1);
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    await page.close();
  });

  it('serves its assets with a Content-Security-Policy that allows only the verifier itself', async () => {
    for (const path of ['/docs', '/docs/static/index.html', '/docs/static/swagger-ui-bundle.js']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy, path).toMatch(/default-src 'self'/);
      expect(policy, path).toMatch(/script-src 'self';/);
      expect(policy, path).not.toMatch(/https?:|upgrade-insecure-requests/);
    }
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../src/routes/dashboard.ts';

let dist: string;
beforeAll(() => {
  dist = `${mkdtempSync(join(tmpdir(), 'keywatch-dashboard-'))}/`;
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>keywatch</title><script type="module" src="/assets/app-3f2a.js"></script>',
  );
  writeFileSync(join(dist, 'assets', 'app-3f2a.js'), 'console.log(1)');
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const serve = async (options: { dist?: string }) => {
  const app = Fastify();
  await app.register(dashboardRoutes, options);
  return app;
};

describe('the dashboard, served by the verifier', () => {
  it('answers every page of the app with its index.html, never cached, under a strict policy', async () => {
    const app = await serve({ dist });
    for (const url of [
      '/',
      '/overview?range=7d',
      '/keys',
      '/keys/7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f',
      '/alerts',
      '/settings',
      '/rotation',
      '/signin',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<title>keywatch</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self';");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await app.inject({ url: '/api-keys' })).statusCode).toBe(404);
  });

  it('serves hashed assets for a year, and nothing outside them', async () => {
    const app = await serve({ dist });
    const asset = await app.inject({ url: '/assets/app-3f2a.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/../index.html' })).statusCode).not.toBe(200);
  });

  it('without a build, leads a newcomer at / to the API docs', async () => {
    const app = await serve({ dist: join(dist, 'nothing-here/') });
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/docs');
  });
});

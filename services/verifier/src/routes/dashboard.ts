import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The verifier's folder: the nearest package.json up from src/routes/ or, built, from dist/. */
function verifierDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** The dashboard's build (`npm run build -w @keywatch/dashboard`; `npm start` builds it when stale). */
export const DASHBOARD_DIST = `${join(verifierDir(), '..', 'dashboard', 'dist')}/`;

/** The dashboard's pages: each is a URL a person can share and reload; the app routes them. */
const PAGES = ['/', '/signin', '/overview', '/keys', '/keys/*', '/alerts', '/settings', '/rotation'];

/**
 * Everything from the verifier itself, no inline script; the charts set inline styles. No framing,
 * no referrer (a key's page URL holds its id), no sniffing.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * `GET /` and the dashboard's other pages: its index.html (never cached, so a new build shows at
 * once) and its hashed assets (cached for a year: a new build has new names). Without a build,
 * `/` leads to the API docs.
 */
export async function dashboardRoutes(app: FastifyInstance, options: { dist?: string } = {}) {
  const dist = options.dist ?? DASHBOARD_DIST;
  const index = `${dist}index.html`;
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));
    return;
  }
  // Read on each request (a kilobyte): a rebuild deletes the old assets, so a verifier that kept
  // the old page would point browsers at files that are gone.
  const page = async (_request: unknown, reply: FastifyReply) =>
    reply
      .headers(PAGE_HEADERS)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await readFile(index));
  for (const url of PAGES) app.get(url, { schema: { hide: true } }, page);
  await app.register(fastifyStatic, {
    root: `${dist}assets`,
    prefix: '/assets/',
    index: false,
    wildcard: true,
    cacheControl: false,
    setHeaders: (reply) => {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
    },
  });
}

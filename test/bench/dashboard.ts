import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { connect, ensureOrg, rebuildOrgUsage } from '@keywatch/db';
import { freePort } from '@keywatch/infra';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { insertBulkKeys, repoRoot, startService } from '@keywatch/testkit';
import { launchChromium } from '@keywatch/testkit/browser';
import { sql } from 'drizzle-orm';

const KEYS = 1_000;
const DAYS = 90;
/** Loads timed after the first (a server just started and a browser's first visit are reported apart). */
const RUNS = 7;

/**
 * The dashboard's overview of an org with 1,000 keys and 90 days of daily usage, in Chromium:
 * the gzipped JavaScript its first load fetches, and the time from navigation to the overview
 * showing every figure, chart and the map (`main` no longer busy). `overviewMs` is the median of
 * seven loads that follow a first one; the first (a verifier just started, nothing cached in the
 * browser) is `firstOverviewMs`. Baseline in the same run: the same browser loading the verifier's
 * /healthz, so the figure can be read against what the machine costs anyway.
 */
export async function benchDashboard(env: Record<string, string>, log: (line: string) => void) {
  const build = spawnSync('node', ['scripts/ensure-dashboard.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the dashboard did not build');

  const database = connect(env.DATABASE_URL!, { max: 1 });
  const org = await ensureOrg(database.db, 'bench-dashboard');
  const admin = await issueKey(database.db, org.id, newKeySchema.parse({ name: 'admin', scopes: ['admin'] }));
  log(`dashboard: ${KEYS} keys with ${DAYS} days of daily usage`);
  await seedUsage(database.db, org.id);
  await database.close();

  const port = await freePort();
  const verifier = await startService('verifier', { ...env, VERIFIER_PORT: String(port) }, port);
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const signIn = await context.request.post(`${base}/api/session`, {
      data: { key: admin.secret },
      headers: { origin: base },
    });
    if (signIn.status() !== 204) throw new Error(`sign-in answered ${signIn.status()}`);

    const overview: number[] = [];
    const blank: number[] = [];
    let jsBytesGzip = 0;
    let first = 0;
    for (let run = 0; run <= RUNS; run++) {
      const page = await context.newPage();
      const scripts: Promise<number>[] = [];
      if (run === 0) {
        page.on('response', (response) => {
          if (response.request().resourceType() === 'script') {
            scripts.push(response.body().then((body) => gzipSync(body).length));
          }
        });
      }
      const started = Date.now();
      // BENCH_TRACE=1: each request's start and end, to see what the overview waits for.
      if (run === 0 && process.env.BENCH_TRACE) {
        page.on('request', (r) =>
          log(`  ${Date.now() - started} ms  start ${r.url().slice(base.length, base.length + 70)}`),
        );
        page.on('requestfinished', (r) =>
          log(`  ${Date.now() - started} ms  done  ${r.url().slice(base.length, base.length + 70)}`),
        );
      }
      await page.goto(`${base}/overview?range=90d`);
      await page.locator('main[aria-busy="false"]').waitFor({ timeout: 30_000 });
      if (run === 0) first = Date.now() - started;
      else overview.push(Date.now() - started);
      if (run === 0) jsBytesGzip = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      const baselineStart = Date.now();
      await page.goto(`${base}/healthz`);
      blank.push(Date.now() - baselineStart);
      await page.close();
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      keys: KEYS,
      days: DAYS,
      jsKbGzip: Math.round(jsBytesGzip / 102.4) / 10,
      overviewMs: median([...overview]),
      overviewRunsMs: overview,
      firstOverviewMs: first,
      baselinePageMs: median(blank),
    };
  } finally {
    await browser.close();
    await verifier.stop();
  }
}

/** 1,000 keys, and for each of the last 90 days their usage, codes and countries, as the aggregator writes them. */
export async function seedUsage(db: ReturnType<typeof connect>['db'], orgId: string) {
  await insertBulkKeys(db, { orgId, count: KEYS, asOf: new Date(), dueEvery: 10 });
  const days = sql`generate_series(date_trunc('day', now()) - ${DAYS - 1} * interval '1 day', date_trunc('day', now()), interval '1 day')`;
  const keys = sql`(select id, row_number() over (order by id) as n from api_keys where org_id = ${orgId}::uuid and name like 'bulk-%')`;
  await db.execute(sql`
    insert into usage_buckets (key_id, granularity, bucket_start, total, success, failure)
    select k.id, 'day', d, 100 + (k.n % 50), 95 + (k.n % 50), 5 from ${keys} k, ${days} d`);
  await db.execute(sql`
    insert into usage_code_counts (key_id, granularity, bucket_start, code, count)
    select k.id, 'day', d, c.code, c.n from ${keys} k, ${days} d,
      (values ('VALID', 95), ('INVALID_API_KEY', 3), ('RATE_LIMITED', 2)) as c(code, n)`);
  await db.execute(sql`
    insert into usage_country_counts (key_id, granularity, bucket_start, country, count)
    select k.id, 'day', d, c.country, c.n from ${keys} k, ${days} d,
      (values ('DE', 60), ('US', 30), ('BR', 10)) as c(country, n)`);
  await db.execute(sql`
    insert into key_countries (key_id, country, first_seen_at, last_seen_at, count)
    select k.id, c.country, now() - interval '90 days', now(), 9000 from ${keys} k,
      (values ('DE'), ('US'), ('BR')) as c(country)`);
  await db.execute(
    sql`update api_keys set last_used_at = now(), last_used_country = 'DE' where org_id = ${orgId}::uuid`,
  );
  await rebuildOrgUsage(db, orgId);
  // As autovacuum would have by the time anyone looks: the planner's statistics of the new rows.
  await db.execute(sql`analyze`);
}

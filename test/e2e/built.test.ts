import { connect, dropDatabase, ensureDatabase, requireMigrated, usageBuckets } from '@keywatch/db';
import { freePort, SERVICES } from '@keywatch/infra';
import {
  buildForTest,
  builtCliPath,
  createTestContext,
  runCommand,
  type ServiceName,
  type ServiceProcess,
  startService,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What production runs: the services' and the CLI's builds (dist/*.js) with plain node, no tsx,
// on a database only `keywatch migrate` migrates.
let ctx: TestContext;
let env: Record<string, string>;
let ports: Record<ServiceName, number>;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  await buildForTest([...SERVICES.map((s) => `@keywatch/${s}`), '@keywatch/cli']);
  ports = {
    verifier: await freePort(),
    aggregator: await freePort(),
    alerter: await freePort(),
    rotation: await freePort(),
  };
  ctx = await createTestContext('built', {
    VERIFIER_PORT: String(ports.verifier),
    AGGREGATOR_PORT: String(ports.aggregator),
    ALERTER_PORT: String(ports.alerter),
    ROTATION_PORT: String(ports.rotation),
  });
  // Not the context's database, which createTestContext has migrated: one nobody has yet.
  const fresh = new URL(ctx.env.DATABASE_URL!);
  fresh.pathname = `${fresh.pathname}_fresh`;
  env = { ...ctx.env, DATABASE_URL: fresh.toString() };
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  if (env) await dropDatabase(env.DATABASE_URL!);
  await ctx?.close();
});

const keywatch = async (...args: string[]) => {
  const run = await runCommand([builtCliPath, ...args], env, { built: true });
  if (run.code !== 0) throw new Error(`keywatch ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
};

describe('the build, run with plain node', () => {
  it('a service refuses to start on a database not migrated, naming keywatch migrate', async () => {
    const refusal = (detail: string) =>
      `cannot start: database not migrated: run keywatch migrate (${detail})`;
    const runs = await Promise.all(
      SERVICES.map((service) => runCommand([`services/${service}/dist/main.js`], env, { built: true })),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.code, `${SERVICES[i]}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stdout + run.stderr).toContain(refusal('the database does not exist'));
    }
    await ensureDatabase(env.DATABASE_URL!);
    const run = await runCommand(['services/verifier/dist/main.js'], env, { built: true });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(refusal('no migration applied'));
  });

  it('a database one migration behind is refused too, naming the pending migration', async () => {
    // The context's own database, migrated by createTestContext, loses its newest record.
    await ctx.database.sql`
      delete from drizzle.__drizzle_migrations
      where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`;
    await expect(requireMigrated(ctx.database.sql)).rejects.toThrow(
      /^database not migrated: run keywatch migrate \(pending: \d{4}_\w+\)$/,
    );
  });

  it('keywatch migrate, then the four services answer; an event goes through Kafka into the counts', async () => {
    expect(await keywatch('migrate')).toBe('database migrated\n');
    running.push(
      ...(await Promise.all(SERVICES.map((s) => startService(s, env, ports[s], { built: true })))),
    );
    const key = JSON.parse(
      await keywatch('keys', 'create', '--org', 'built', '--name', 'ci', '--scopes', 'chat'),
    );
    const url = `http://127.0.0.1:${ports.verifier}`;
    const answer = await fetch(`${url}/v1/auth`, {
      headers: { authorization: `Bearer ${key.key}`, 'x-required-scope': 'chat' },
    });
    expect(answer.status).toBe(200);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ ok: true });

    // The verifier's Kafka thread (dist/kafka-thread.worker.js) sent it; the aggregator counted it.
    const database = connect(env.DATABASE_URL!, { max: 1 });
    try {
      await waitFor('the built aggregator to count the event', async () => {
        const [row] = await database.db
          .select({ total: sql<number>`coalesce(sum(total), 0)::int` })
          .from(usageBuckets)
          .where(and(eq(usageBuckets.keyId, key.id), eq(usageBuckets.granularity, 'day')));
        return row!.total === 1;
      });
    } finally {
      await database.close();
    }
  });
});

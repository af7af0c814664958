import { connect, ensureOrg } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { FakeSlack, waitFor } from '@keywatch/testkit';
import { startPipeline } from './pipeline.ts';

const THRESHOLD = 3;
/** Debian's cluster log; elsewhere point PG_SERVER_LOG at the server's stderr log. */
const SERVER_LOG = process.env.PG_SERVER_LOG ?? '/var/log/postgresql/postgresql-15-main.log';

/**
 * Postgres round trips from the one request that crosses a key's threshold to the Slack message
 * and its delivery record, through the real services, counted in the server's statement log
 * (`log_statement = all` for the bench database only). Needs a superuser to read the log.
 */
export async function benchRoundTrips(env: Record<string, string>, log: (line: string) => void) {
  const database = connect(env.DATABASE_URL!, { max: 1 });
  const { sql } = database;
  const dbName = new URL(env.DATABASE_URL!).pathname.slice(1);
  const logSize = async () => {
    const [row] = await sql<{ size: string }[]>`select (pg_stat_file(${SERVER_LOG})).size::text as size`;
    return Number(row!.size);
  };
  /** One logged statement per round trip: `statement:` (simple protocol) or `execute` (prepared). */
  const statementsBetween = async (from: number, to: number) => {
    if (to <= from) return [];
    const [read] = await sql<
      { text: string }[]
    >`select pg_read_file(${SERVER_LOG}, ${from}, ${to - from}) as text`;
    const lines = read!.text.split('\n');
    return (
      lines
        .flatMap((line, i) => {
          const logged = /LOG:\s+(?:statement|execute [^:]*): (.*)$/.exec(line)?.[1];
          // A statement that starts with a line break goes on on the next line.
          return logged === undefined ? [] : [logged.trim() || (lines[i + 1] ?? '').trim()];
        })
        // The services' timers (key-change poll, outbox and alert sweeps) are not on the path.
        .filter(
          (s) =>
            !/pg_try_advisory|from "key_changes"|from "pending_evaluations" where "pending_evaluations"."requested_at" </.test(
              s,
            ),
        )
    );
  };
  try {
    await logSize();
  } catch (err) {
    log(`round trips: skipped, cannot read the server log ${SERVER_LOG}: ${(err as Error).message}`);
    await database.close();
    return { skipped: `server log ${SERVER_LOG} not readable` };
  }
  const slack = await new FakeSlack().start();
  const org = await ensureOrg(database.db, 'bench-round-trips');
  const spec = newKeySchema.parse({
    name: 'round-trips',
    scopes: ['chat'],
    alerts: { highUsage: { threshold: THRESHOLD, period: 'hourly', warnAt: null } },
  });
  const { secret, key } = await issueKey(database.db, org.id, spec);
  // Sessions opened from now on log every statement; the services connect after this.
  await sql.unsafe(`alter database "${dbName}" set log_statement = 'all'`);
  const pipeline = await startPipeline(env, 'bench-round-trips', slack).catch(async (err) => {
    await sql.unsafe(`alter database "${dbName}" reset log_statement`);
    await database.close();
    await slack.stop();
    throw err;
  });
  try {
    const auth = () => pipeline.auth(secret);
    // Below the threshold first, and wait until those are counted and evaluated (no alert).
    for (let i = 1; i < THRESHOLD; i++) await auth();
    const counted = async (n: number) => {
      const [row] = await sql<{ total: number }[]>`
        select coalesce(sum(total), 0)::int as total from usage_buckets
        where key_id = ${key.id} and granularity = 'hour'`;
      const [pending] = await sql<{ n: number }[]>`select count(*)::int as n from pending_evaluations`;
      return row!.total === n && pending!.n === 0;
    };
    await waitFor('the requests below the threshold counted', () => counted(THRESHOLD - 1), {
      timeoutMs: 60_000,
    });
    // Nothing else in flight: no statement of this path logged for a while.
    let mark = -1;
    await waitFor(
      'the services idle',
      async () => {
        const size = await logSize();
        const quiet = mark >= 0 && (await statementsBetween(mark, size)).length === 0;
        mark = size;
        return quiet;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    const from = await logSize();
    await auth();
    await waitFor('the Slack message', () => slack.messages().length === 1, { timeoutMs: 60_000 });
    await waitFor(
      'the delivery recorded as sent',
      async () => {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from deliveries where status = 'sent'`;
        return row!.n === 1;
      },
      { timeoutMs: 30_000 },
    );
    const statements = await statementsBetween(from, await logSize());
    for (const s of statements) log(`round trip: ${s.replace(/\s+/g, ' ').slice(0, 140)}`);
    return { crossingToSlack: statements.length };
  } finally {
    await pipeline.stop();
    await sql.unsafe(`alter database "${dbName}" reset log_statement`);
    await database.close();
    await slack.stop();
  }
}

import { alerts, apiKeys, connect, type Database, keylessFailures } from '@keywatch/db';
import {
  bucketStart,
  bucketStartSql,
  CREDENTIAL_STUFFING,
  DAY_MS,
  evaluateCredentialStuffing,
  GRANULARITIES,
  isLive,
  isLiveSql,
  isPastRotationDate,
  isPastRotationDateSql,
  needsRotationFlag,
  needsRotationFlagSql,
  overStuffingThresholdSql,
  PERIODS,
  type RotationCandidate,
  rotationDueAt,
  rotationDueAtSql,
  stuffingMinutesSql,
  windowEndSql,
  windowOf,
} from '@keywatch/rules';
// The run's infrastructure (`inject('infra')`), declared by the test kit's global setup.
import type {} from '@keywatch/testkit/global-setup';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The rules are stated in packages/rules, each with its SQL form beside it. Each rule that SQL
// applies set-wise is run here over one table of cases twice: by its function,
// and by its SQL form in Postgres (over a VALUES list named like the table the form is written for).

let database: Database;
beforeAll(async () => {
  database = connect(inject('infra').postgresUrl, { max: 1 });
  // A zone with daylight saving: the SQL forms must not depend on the session's time zone.
  await database.sql`set time zone 'America/New_York'`;
});
afterAll(async () => database?.close());

const iso = (d: Date | null) => (d ? d.toISOString() : null);

describe('the rotation rules and their SQL forms', () => {
  const created = new Date('2026-01-01T09:30:00.123Z');
  const at = (days: number, ms = 0) => new Date(created.getTime() + days * DAY_MS + ms);
  const asOf = at(90, 1);
  const maxAgeDays = 90;
  const variants = {
    createdAt: [at(-1), at(0), at(0, 1), at(0, 2), at(2)],
    revokedAt: [null, at(10), at(200)],
    expiresAt: [null, at(50), at(90, 1), at(90, 2), at(365)],
    rotationDueAt: [null, at(80), at(91)],
    rotatedAt: [null, at(85)],
  };
  const cases: RotationCandidate[] = [];
  for (const createdAt of variants.createdAt)
    for (const revokedAt of variants.revokedAt)
      for (const expiresAt of variants.expiresAt)
        for (const rotationDueAt of variants.rotationDueAt)
          for (const rotatedAt of variants.rotatedAt)
            cases.push({ createdAt, revokedAt, expiresAt, rotationDueAt, rotatedAt });

  /** Each case's value of `expr`, an SQL form over the `api_keys` columns. */
  async function overCases(expr: SQL) {
    const rows = sql.join(
      cases.map(
        (k, i) =>
          sql`(${i}::int, ${iso(k.createdAt)}::timestamptz, ${iso(k.revokedAt)}::timestamptz,
               ${iso(k.expiresAt)}::timestamptz, ${iso(k.rotationDueAt)}::timestamptz, ${iso(k.rotatedAt)}::timestamptz)`,
      ),
      sql`, `,
    );
    const result = await database.db.execute<{ i: number; v: unknown }>(sql`
      select i, to_json(${expr}) as v
      from (values ${rows}) as ${apiKeys}(i, created_at, revoked_at, expires_at, rotation_due_at, rotated_at)
      order by i`);
    return [...result].map((r) => r.v);
  }

  it(`has ${cases.length} cases, some on each side of each rule`, () => {
    for (const rule of [isLive, needsRotationFlag, isPastRotationDate]) {
      const verdicts = new Set(cases.map((k) => rule(k, asOf, maxAgeDays)));
      expect(verdicts).toEqual(new Set([true, false]));
    }
  });

  it.each([
    ['isLive', isLive, isLiveSql],
    ['needsRotationFlag', needsRotationFlag, needsRotationFlagSql],
    ['isPastRotationDate', isPastRotationDate, isPastRotationDateSql],
  ] as const)('%s decides every case as its SQL form does', async (_, rule, ruleSql) => {
    const inSql = await overCases(ruleSql(apiKeys, asOf, maxAgeDays));
    expect(inSql).toEqual(cases.map((k) => rule(k, asOf, maxAgeDays)));
  });

  it('rotationDueAt is the same instant in SQL, to the millisecond', async () => {
    const inSql = await overCases(rotationDueAtSql(apiKeys, maxAgeDays));
    expect(inSql.map((v) => new Date(v as string).getTime())).toEqual(
      cases.map((k) => rotationDueAt(k.createdAt, maxAgeDays).getTime()),
    );
  });
});

describe('the window end and its SQL form', () => {
  it('ends every window at the same instant, across days, months, a leap day and daylight saving', async () => {
    const starts = [
      '2026-03-08T00:00:00.000Z',
      '2026-03-08T06:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-29T23:00:00.000Z',
      '2028-02-28T00:00:00.000Z',
      '2028-02-29T23:00:00.000Z',
      '2026-12-31T00:00:00.000Z',
    ];
    const cases = PERIODS.flatMap((period) => starts.map((start) => windowOf(period, new Date(start))));
    const rows = sql.join(
      cases.map((w, i) => sql`(${i}::int, ${w.period}, ${w.start.toISOString()}::timestamptz)`),
      sql`, `,
    );
    const result = await database.db.execute<{ end: string }>(sql`
      select to_json(${windowEndSql(alerts)}) as end
      from (values ${rows}) as ${alerts}(i, period, window_start) order by i`);
    expect([...result].map((r) => new Date(r.end).toISOString())).toEqual(
      cases.map((w) => w.end.toISOString()),
    );
  });
});

describe('the bucket start and its SQL form', () => {
  it.each(['UTC', 'Asia/Kolkata', 'America/New_York'])(
    'starts every minute, hour and day where bucketStart does, in a session at %s',
    async (zone) => {
      const instants = [
        '2026-11-29T23:59:59.999Z',
        '2026-11-30T00:00:00.000Z',
        '2026-11-30T05:29:30.500Z',
        '2026-11-30T05:30:00.000Z',
        '2026-03-08T07:00:00.001Z',
        '2028-02-29T12:34:56.789Z',
      ].map((at) => new Date(at));
      const cases = GRANULARITIES.flatMap((granularity) => instants.map((at) => ({ granularity, at })));
      const starts = await database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('TimeZone', ${zone}, true)`);
        return Promise.all(
          cases.map(async ({ granularity, at }) => {
            const [row] = await tx.execute<{ start: string }>(
              sql`select to_json(${bucketStartSql(granularity, sql`${at.toISOString()}::timestamptz`)}) as start`,
            );
            return new Date(row!.start).toISOString();
          }),
        );
      });
      expect(starts).toEqual(cases.map(({ granularity, at }) => bucketStart(granularity, at).toISOString()));
    },
  );
});

describe('credential stuffing and its SQL form', () => {
  it('finds set-wise exactly the sources the function fires for', async () => {
    const now = new Date('2026-11-22T10:15:30Z');
    const minute = (ago: number) => new Date(Math.floor(now.getTime() / 60_000) * 60_000 - ago * 60_000);
    const { failures, minutes } = CREDENTIAL_STUFFING;
    // Each source: its per-minute counts, as [minutes ago, count]; negative: a minute after now.
    const sources: Record<string, [number, number][]> = {
      atThreshold: [[0, failures]],
      spreadOverTheWindow: Array.from({ length: minutes }, (_, i) => [i, Math.ceil(failures / minutes)]),
      oneShort: [[0, failures - 1]],
      partlyTooOld: [
        [minutes - 1, failures - 1],
        [minutes, 1],
      ],
      allTooOld: [[minutes, failures * 2]],
      inTheFuture: [
        [0, failures - 1],
        [-1, 5],
      ],
    };
    const fired = Object.entries(sources)
      .filter(([ip, counts]) =>
        evaluateCredentialStuffing(
          { ip, minutes: counts.map(([ago, count]) => ({ start: minute(ago), count })) },
          now,
        ),
      )
      .map(([ip]) => ip)
      .sort();
    const rows = sql.join(
      Object.entries(sources).flatMap(([ip, counts]) =>
        counts.map(([ago, count]) => sql`(${ip}, ${minute(ago).toISOString()}::timestamptz, ${count}::int)`),
      ),
      sql`, `,
    );
    const result = await database.db.execute<{ ip: string }>(sql`
      select ip from (values ${rows}) as ${keylessFailures}(ip, bucket_start, count)
      where ${stuffingMinutesSql(keylessFailures, now)}
      group by ip having ${overStuffingThresholdSql(keylessFailures)} order by ip`);
    expect(fired).toEqual(['atThreshold', 'spreadOverTheWindow']);
    expect([...result].map((r) => r.ip)).toEqual(fired);
  });
});

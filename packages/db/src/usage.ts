import { and, count, eq, gte, inArray, lt, max, min, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';
import { apiKeys, keyCountries, keyHourlyIps } from './schema.ts';

/** A time column as JavaScript writes it (`toISOString`), made in Postgres for rows it sums up. */
export const isoTime = (column: PgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A key's distinct client IPs per UTC hour within [from, to), oldest first; hours without use are left out. */
export function keyDistinctIpsPerHour(
  db: Db,
  keyId: string,
  range: { from: Date; to: Date },
): Promise<{ t: string; distinctIps: number }[]> {
  return db
    .select({
      t: isoTime(keyHourlyIps.hourStart),
      distinctIps: count(),
    })
    .from(keyHourlyIps)
    .where(
      and(
        eq(keyHourlyIps.keyId, keyId),
        gte(keyHourlyIps.hourStart, range.from),
        lt(keyHourlyIps.hourStart, range.to),
      ),
    )
    .groupBy(keyHourlyIps.hourStart)
    .orderBy(keyHourlyIps.hourStart);
}

/** When each client country was first and last seen, ever: over one key, or over every key of an org. */
export function countriesSeen(
  db: Db,
  of: { keyId: string } | { orgId: string },
): Promise<{ country: string; firstSeenAt: Date | null; lastSeenAt: Date | null }[]> {
  const ofKeys = db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where('keyId' in of ? eq(apiKeys.id, of.keyId) : eq(apiKeys.orgId, of.orgId));
  return db
    .select({
      country: keyCountries.country,
      firstSeenAt: min(keyCountries.firstSeenAt),
      lastSeenAt: max(keyCountries.lastSeenAt),
    })
    .from(keyCountries)
    .where(inArray(keyCountries.keyId, ofKeys))
    .groupBy(keyCountries.country);
}

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as drizzleMigrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import journal from '../drizzle/meta/_journal.json' with { type: 'json' };
import * as schema from './schema.ts';

export type Db = PostgresJsDatabase<typeof schema>;
/** The handle inside `db.transaction(...)`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/**
 * The folder of this package, found by resolving its name rather than from this file: bundled into
 * a service's or the CLI's dist/, this module's import.meta.url is the bundle's.
 */
function packageDir(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@keywatch/db'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const MIGRATIONS = join(packageDir(), 'drizzle');
/** When the newest migration this code knows was made: drizzle records it as `created_at`. */
const LATEST_MIGRATION = Math.max(...journal.entries.map((entry) => entry.when));
// Any fixed number: serialises migrations when two `keywatch migrate` run at once.
const MIGRATION_LOCK = 4_811_020;

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'keywatch' },
    // A query made while Postgres is down waits for the pool's next connection attempt. postgres.js
    // backs off up to 20 s between attempts, so an outage answered requests only after seconds;
    // at most 2 s apart, a caller hears 503 quickly, and trying costs one refused connection.
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 2),
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by another process
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates the database if needed and applies pending migrations, one process at a time. */
export async function migrate(url: string): Promise<void> {
  await ensureDatabase(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await drizzleMigrate(drizzle(sql), { migrationsFolder: MIGRATIONS });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A service's database lacks migrations its code needs; `keywatch migrate` applies them. */
export class NotMigratedError extends Error {
  constructor(detail: string) {
    super(`database not migrated: run keywatch migrate (${detail})`);
    this.name = 'NotMigratedError';
  }
}

/**
 * Fails with a NotMigratedError unless the database has every migration this code ships (more is
 * fine: a newer release migrated it before this replica was replaced). Services check this at start
 * and never migrate: migrating is one explicit step before them (`keywatch migrate`).
 */
export async function requireMigrated(sql: postgres.Sql): Promise<void> {
  let applied: number | null;
  try {
    const [row] = await sql<{ latest: string | null }[]>`
      select max(created_at)::text as latest from drizzle.__drizzle_migrations`;
    applied = row?.latest == null ? null : Number(row.latest);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '3D000') throw new NotMigratedError('the database does not exist');
    if (code === '3F000' || code === '42P01') throw new NotMigratedError('no migration applied');
    throw err;
  }
  if (applied === null) throw new NotMigratedError('no migration applied');
  if (applied < LATEST_MIGRATION) {
    const pending = journal.entries.filter((entry) => entry.when > applied).map((entry) => entry.tag);
    throw new NotMigratedError(`pending: ${pending.join(', ')}`);
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const sql = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name.replaceAll('"', '""')}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

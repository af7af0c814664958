import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '@keywatch/config';
import { connect, type Database, migrate } from '@keywatch/db';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { TestInfra } from './global-setup.ts';

export interface TestContext {
  infra: TestInfra;
  /** The variables a keywatch process of this test would be started with. */
  env: Record<string, string>;
  config: Config;
  database: Database;
  close(): Promise<void>;
}

/**
 * The test file's database, cloned from the run's migrated template: a copy of a dozen empty tables
 * instead of every migration again. A name already taken (a file that made two contexts of one
 * name) is migrated in place instead.
 */
async function cloneTemplate(infra: TestInfra, databaseUrl: URL): Promise<void> {
  const admin = postgres(infra.postgresUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(
      `create database "${databaseUrl.pathname.slice(1)}" template "${infra.templateDatabase}"`,
    );
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // duplicate_database
    await migrate(databaseUrl.toString());
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * A test file's own world on the run's infrastructure: a fresh migrated database, its own Redis
 * prefix and Kafka consumer group, so files never see each other's counts or jobs.
 */
export async function createTestContext(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<TestContext> {
  const infra = inject('infra');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const databaseUrl = new URL(infra.postgresUrl);
  databaseUrl.pathname = `/keywatch_test_${infra.runId}_${slug}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: infra.redisUrl,
    REDIS_PREFIX: `kwtest:${infra.runId}:${slug}`,
    KAFKA_BROKERS: infra.brokers.join(','),
    KAFKA_GROUP_ID: `kwtest-${infra.runId}-${slug}`,
    EVENT_SPOOL_DIR: join(tmpdir(), `keywatch-spool-${infra.runId}-${slug}`),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...extraEnv,
  };
  await cloneTemplate(infra, databaseUrl);
  const database = connect(env.DATABASE_URL!, { max: 4 });
  return {
    infra,
    env,
    config: loadConfig(env),
    database,
    async close() {
      await database.close();
      rmSync(env.EVENT_SPOOL_DIR!, { recursive: true, force: true });
    },
  };
}

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '@keywatch/config';
import { connect, type Database, migrate } from '@keywatch/db';
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
  await migrate(env.DATABASE_URL!);
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

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@keywatch/config';
import { migrate } from '@keywatch/db';
import { createKafka, ensureTopics } from '@keywatch/events';
import { freePort, type RunningBroker, startKafka } from '@keywatch/infra';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { deleteRedisPrefix } from './redis-keys.ts';

export interface TestInfra {
  runId: string;
  brokers: string[];
  redisUrl: string;
  /** Admin URL of the Postgres server; each test file makes its own database from it. */
  postgresUrl: string;
  /** A database migrated once for the run, that each test file's database is cloned from. */
  templateDatabase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}

/**
 * One Kafka broker for the whole run on free ports in a temporary folder (or KAFKA_BROKERS when
 * set), the running Postgres and Redis; torn down with everything the run created.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  let broker: RunningBroker | undefined;
  let dataDir: string | undefined;
  let brokers = config.KAFKA_BROKERS;
  if (!process.env.KAFKA_BROKERS) {
    dataDir = mkdtempSync(join(tmpdir(), 'keywatch-kafka-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    broker = await startKafka({ dataDir, port, controllerPort });
    brokers = broker.brokers;
  }
  try {
    await ensureTopics(createKafka({ brokers, clientId: 'keywatch-test-setup' }));
  } catch (err) {
    // No teardown runs when setup throws: leave nothing running.
    await broker?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const postgresUrl = new URL(config.DATABASE_URL);
  postgresUrl.pathname = '/postgres';
  const infra: TestInfra = {
    runId,
    brokers,
    redisUrl: config.REDIS_URL,
    postgresUrl: postgresUrl.toString(),
    templateDatabase: `keywatch_test_${runId}_template`,
  };
  // Migrated once here; nothing connects to it afterwards, which cloning requires.
  const templateUrl = new URL(postgresUrl);
  templateUrl.pathname = `/${infra.templateDatabase}`;
  await migrate(templateUrl.toString());
  project.provide('infra', infra);

  return async () => {
    await broker?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await dropRunDatabases(infra);
    await deleteRunKeys(infra);
  };
}

async function dropRunDatabases({ postgresUrl, runId }: TestInfra) {
  const sql = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`
      select datname from pg_database where datname like ${`keywatch_test_${runId}%`}`;
    for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const deleteRunKeys = ({ redisUrl, runId }: TestInfra) => deleteRedisPrefix(redisUrl, `kwtest:${runId}`);

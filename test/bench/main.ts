// `npm run bench`: starts its own Kafka, database and Redis prefix, runs the benchmarks, prints
// progress on stderr and one JSON summary line on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@keywatch/config';
import { dropDatabase, migrate } from '@keywatch/db';
import { createKafka, ensureTopics } from '@keywatch/events';
import { freePort, startKafka } from '@keywatch/infra';
import { deleteRedisPrefix } from '@keywatch/testkit';
import { benchAggregator } from './aggregator.ts';
import { benchAlerts } from './alerts.ts';
import { benchDashboard } from './dashboard.ts';
import { benchDetection } from './detection.ts';
import { benchRotation } from './rotation.ts';
import { benchRoundTrips } from './round-trips.ts';
import { benchVerifier } from './verifier.ts';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
// `npm run bench -- aggregator` (or verifier, dashboard, alerts, roundtrips, rotation, detection) runs one.
const only = process.argv[2];
const results: Record<string, unknown> = {};
// Detection replays in memory and needs no infrastructure: it runs first, and alone starts none.
if (!only || only === 'detection') results.detection = await benchDetection(log);
if (only === 'detection') {
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(0);
}
const base = loadConfig();
const runId = Date.now().toString(36);
const dataDir = mkdtempSync(join(tmpdir(), 'keywatch-bench-'));
const broker = await startKafka({ dataDir, port: await freePort(), controllerPort: await freePort(), log });
const databaseUrl = new URL(base.DATABASE_URL);
databaseUrl.pathname = `/keywatch_bench_${runId}`;
const env = {
  DATABASE_URL: databaseUrl.toString(),
  REDIS_URL: base.REDIS_URL,
  REDIS_PREFIX: `kwbench:${runId}`,
  KAFKA_BROKERS: broker.brokers.join(','),
  LOG_LEVEL: 'warn',
};
try {
  await migrate(env.DATABASE_URL);
  await ensureTopics(createKafka({ brokers: broker.brokers, clientId: 'bench' }));
  // Alerts first: its aggregator reads the topic from the start, which is then nearly empty.
  if (!only || only === 'alerts') results.alerts = await benchAlerts(env, log);
  if (!only || only === 'roundtrips') results.roundTrips = await benchRoundTrips(env, log);
  if (!only || only === 'aggregator') results.aggregator = await benchAggregator(env, log);
  if (!only || only === 'verifier') results.verifier = await benchVerifier(env, log);
  if (!only || only === 'dashboard') results.dashboard = await benchDashboard(env, log);
  // Last: its million keys and hundred thousand queued reminders would weigh on the others.
  if (!only || only === 'rotation') results.rotation = await benchRotation(env, log);
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase(env.DATABASE_URL);
  await deleteRedisPrefix(env.REDIS_URL, env.REDIS_PREFIX);
}

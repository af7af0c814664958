import { loadConfig } from '@keywatch/config';
import { connect, migrate } from '@keywatch/db';
import { createKafka, ensureTopics } from '@keywatch/events';
import { createQueues, enqueueEvaluate } from '@keywatch/jobs';
import { createLogger, type Logger } from '@keywatch/log';
import { createMetrics, exitOnStartupError, onShutdown, startOpsServer } from '@keywatch/runtime';
import { createAggregator } from './consumer.ts';

let log: Logger | undefined;
try {
  const config = loadConfig();
  log = createLogger({ service: 'aggregator', level: config.LOG_LEVEL });
  await migrate(config.DATABASE_URL);
  const database = connect(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'keywatch-aggregator' });
  await ensureTopics(kafka);
  const queues = createQueues(config);
  const metrics = createMetrics('aggregator');
  const aggregator = createAggregator({
    kafka,
    db: database.db,
    groupId: config.KAFKA_GROUP_ID,
    log,
    metrics,
    onTouched: async (keyIds) => {
      await Promise.all(keyIds.map((keyId) => enqueueEvaluate(queues.evaluate, keyId)));
    },
  });
  await aggregator.start();
  const ops = await startOpsServer({
    port: config.AGGREGATOR_PORT,
    metrics,
    checks: { consumer: aggregator.healthy, postgres: async () => !!(await database.sql`select 1`) },
  });
  log.info({ groupId: config.KAFKA_GROUP_ID }, 'aggregator consuming auth-events');
  onShutdown(log, async () => {
    ops.close();
    await aggregator.stop();
    await queues.close();
    await database.close();
  });
} catch (err) {
  exitOnStartupError(log, err);
}

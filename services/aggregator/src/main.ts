import { createKafka, ensureTopics } from '@keywatch/events';
import { createQueues, enqueueEvaluate, enqueueSourceEvaluate } from '@keywatch/jobs';
import { runService } from '@keywatch/runtime';
import { createAggregator } from './consumer.ts';
import { scheduleRetention } from './retention.ts';

await runService('aggregator', async ({ config, log, metrics, database }) => {
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'keywatch-aggregator' });
  await ensureTopics(kafka);
  const queues = createQueues(config);
  const aggregator = createAggregator({
    kafka,
    db: database.db,
    groupId: config.KAFKA_GROUP_ID,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    log,
    metrics,
    onCountsChanged: async (keyIds) => {
      await Promise.all(keyIds.map((keyId) => enqueueEvaluate(queues.evaluate, keyId)));
    },
    onUnknownKeys: async (ips) => {
      await Promise.all(ips.map((ip) => enqueueSourceEvaluate(queues.evaluate, ip)));
    },
  });
  await aggregator.start();
  const stopRetention = scheduleRetention(database.db, log.child({ component: 'retention' }), config);
  log.info({ groupId: config.KAFKA_GROUP_ID }, 'aggregator consuming auth-events');
  return {
    opsPort: config.AGGREGATOR_PORT,
    checks: { consumer: aggregator.healthy },
    async stop() {
      stopRetention();
      await aggregator.stop();
      await queues.close();
    },
  };
});

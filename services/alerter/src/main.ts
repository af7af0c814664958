import { createQueues, enqueueEvaluate, enqueueSourceEvaluate } from '@keywatch/jobs';
import { runService } from '@keywatch/runtime';
import { keysWithEndedWindows } from './alerts-repository.ts';
import { resolveEndedSourceAlerts, sourcesOverThreshold } from './credential-stuffing.ts';
import { configuredChannels, startWorkers } from './workers.ts';

await runService('alerter', async ({ config, log, metrics, database }) => {
  const queues = createQueues(config);
  const { channels, senders } = configuredChannels(config, log, database.db);
  const workers = startWorkers({
    config,
    db: database.db,
    deliverQueue: queues.deliver,
    log,
    metrics,
    channels,
    senders,
  });
  // Alerts of keys that went quiet resolve when their window ends: ask for their evaluation. And
  // check the sources over the credential-stuffing threshold, in case the aggregator's ask was lost.
  const sweep = setInterval(async () => {
    try {
      const now = new Date();
      for (const keyId of await keysWithEndedWindows(database.db, now)) {
        await enqueueEvaluate(queues.evaluate, keyId);
      }
      for (const ip of await sourcesOverThreshold(database.db, now)) {
        await enqueueSourceEvaluate(queues.evaluate, ip);
      }
      await resolveEndedSourceAlerts(database.db, now);
    } catch (err) {
      log.warn({ err }, 'could not look for alerts to resolve; trying again in a minute');
    }
  }, 60_000);
  sweep.unref();
  log.info({ channels }, 'alerter working on evaluate and deliver');
  return {
    opsPort: config.ALERTER_PORT,
    checks: { workers: workers.running },
    async stop() {
      clearInterval(sweep);
      await workers.close();
      await queues.close();
    },
  };
});

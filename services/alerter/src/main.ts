import { createQueues } from '@keywatch/jobs';
import { runService } from '@keywatch/runtime';
import { configuredChannels, startWorkers } from './workers.ts';

await runService('alerter', async ({ config, log, metrics, database }) => {
  const queues = createQueues(config);
  const { channels, senders } = configuredChannels(config, log);
  const workers = startWorkers({
    config,
    db: database.db,
    deliverQueue: queues.deliver,
    log,
    metrics,
    channels,
    senders,
  });
  log.info({ channels }, 'alerter working on evaluate and deliver');
  return {
    opsPort: config.ALERTER_PORT,
    checks: { workers: workers.running },
    async stop() {
      await workers.close();
      await queues.close();
    },
  };
});

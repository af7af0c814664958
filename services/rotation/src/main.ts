import { createQueues, defaultChannels } from '@keywatch/jobs';
import { runService } from '@keywatch/runtime';
import cron from 'node-cron';
import { Counter } from 'prom-client';
import { runRotationScan } from './scan.ts';

await runService(
  'rotation',
  async ({ config, log, metrics, database }) => {
    const queues = createQueues(config);
    const flagged = new Counter({
      name: 'keywatch_rotation_flagged_total',
      help: 'Keys flagged for rotation',
      registers: [metrics],
    });
    const task = cron.schedule(
      config.ROTATION_CRON,
      async () => {
        try {
          const result = await runRotationScan({
            db: database.db,
            asOf: new Date(),
            maxAgeDays: config.ROTATION_MAX_AGE_DAYS,
            dryRun: false,
            deliver: queues.deliver,
            channels: defaultChannels(config),
          });
          flagged.inc(result.flagged.length);
          log.info(
            result,
            result.skipped ? 'rotation scan skipped: another replica holds the lock' : 'rotation scan done',
          );
        } catch (err) {
          log.error({ err }, 'rotation scan failed');
        }
      },
      { timezone: 'UTC', noOverlap: true, name: 'rotation-scan' },
    );
    log.info({ cron: config.ROTATION_CRON, maxAgeDays: config.ROTATION_MAX_AGE_DAYS }, 'rotation scheduled');
    return {
      opsPort: config.ROTATION_PORT,
      async stop() {
        await task.stop();
        await queues.close();
      },
    };
  },
  { poolSize: 2 },
);

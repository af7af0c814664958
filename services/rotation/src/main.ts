import { createQueues } from '@keywatch/jobs';
import { installationChannels } from '@keywatch/notify';
import { lastScanAt, rotationPolicy, runRotationScan } from '@keywatch/rotation-scan';
import { runService } from '@keywatch/runtime';
import cron from 'node-cron';
import { Counter } from 'prom-client';
import { missedScan } from './schedule.ts';

await runService(
  'rotation',
  async ({ config, log, metrics, database }) => {
    const queues = createQueues(config);
    const counted = new Counter({
      name: 'keywatch_rotation_keys_total',
      help: 'Keys the rotation scan flagged or reminded',
      labelNames: ['result'],
      registers: [metrics],
    });
    const scanNow = async () => {
      try {
        const result = await runRotationScan({
          database,
          asOf: new Date(),
          policy: rotationPolicy(config),
          dryRun: false,
          deliver: queues.deliver,
          channels: installationChannels(config),
        });
        counted.inc({ result: 'flagged' }, result.flagged.length);
        counted.inc({ result: 'reminded' }, result.reminded.length);
        log.info(
          { flagged: result.flagged.length, reminded: result.reminded.length },
          result.skipped ? 'rotation scan skipped: another replica holds the lock' : 'rotation scan done',
        );
      } catch (err) {
        log.error({ err }, 'rotation scan failed; the next scheduled one retries');
      }
    };
    // The scan under way, if any: stopping waits for it rather than closing what it uses.
    let running: Promise<void> = Promise.resolve();
    const scan = () => {
      running = Promise.all([running, scanNow()]).then(() => {});
      return running;
    };
    const task = cron.schedule(config.ROTATION_CRON, scan, {
      timezone: 'UTC',
      noOverlap: true,
      name: 'rotation-scan',
    });
    log.info({ cron: config.ROTATION_CRON, policy: rotationPolicy(config) }, 'rotation scheduled');
    // Down over the scan time (a deploy, a crash)? Catch up now rather than a day late.
    if (missedScan(config.ROTATION_CRON, await lastScanAt(database), new Date())) {
      log.info('the last scheduled rotation scan was missed: scanning now');
      void scan();
    }
    return {
      opsPort: config.ROTATION_PORT,
      async stop() {
        await task.stop();
        await running;
        await queues.close();
      },
    };
  },
  { poolSize: 2 },
);

import { loadConfig } from '@keywatch/config';
import { connect, migrate } from '@keywatch/db';
import { createQueues, defaultChannels } from '@keywatch/jobs';
import { createLogger, type Logger } from '@keywatch/log';
import { createMetrics, exitOnStartupError, onShutdown, startOpsServer } from '@keywatch/runtime';
import cron from 'node-cron';
import { Counter } from 'prom-client';
import { runRotationScan } from './scan.ts';

let log: Logger | undefined;
try {
  const config = loadConfig();
  log = createLogger({ service: 'rotation', level: config.LOG_LEVEL });
  await migrate(config.DATABASE_URL);
  const database = connect(config.DATABASE_URL, { max: 2 });
  const queues = createQueues(config);
  const metrics = createMetrics('rotation');
  const flaggedTotal = new Counter({
    name: 'keywatch_rotation_flagged_total',
    help: 'Keys flagged for rotation',
    registers: [metrics],
  });
  const scanLog = log;
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
        flaggedTotal.inc(result.flagged.length);
        scanLog.info(
          result,
          result.skipped ? 'rotation scan skipped: another replica holds the lock' : 'rotation scan done',
        );
      } catch (err) {
        scanLog.error({ err }, 'rotation scan failed');
      }
    },
    { timezone: 'UTC', noOverlap: true, name: 'rotation-scan' },
  );
  const ops = await startOpsServer({
    port: config.ROTATION_PORT,
    metrics,
    checks: { postgres: async () => !!(await database.sql`select 1`) },
  });
  log.info({ cron: config.ROTATION_CRON, maxAgeDays: config.ROTATION_MAX_AGE_DAYS }, 'rotation scheduled');
  onShutdown(log, async () => {
    await task.stop();
    ops.close();
    await queues.close();
    await database.close();
  });
} catch (err) {
  exitOnStartupError(log, err);
}

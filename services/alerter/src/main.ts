import { loadConfig } from '@keywatch/config';
import { connect, migrate } from '@keywatch/db';
import { createQueues } from '@keywatch/jobs';
import { createLogger, type Logger } from '@keywatch/log';
import { createMetrics, exitOnStartupError, onShutdown, startOpsServer } from '@keywatch/runtime';
import { configuredChannels, startWorkers } from './workers.ts';

let log: Logger | undefined;
try {
  const config = loadConfig();
  log = createLogger({ service: 'alerter', level: config.LOG_LEVEL });
  await migrate(config.DATABASE_URL);
  const database = connect(config.DATABASE_URL);
  const queues = createQueues(config);
  const metrics = createMetrics('alerter');
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
  const ops = await startOpsServer({
    port: config.ALERTER_PORT,
    metrics,
    checks: { workers: workers.running, postgres: async () => !!(await database.sql`select 1`) },
  });
  log.info({ channels }, 'alerter working on evaluate and deliver');
  onShutdown(log, async () => {
    ops.close();
    await workers.close();
    await queues.close();
    await database.close();
  });
} catch (err) {
  exitOnStartupError(log, err);
}

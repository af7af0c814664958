import { type Config, loadConfig } from '@keywatch/config';
import { connect, type Database, isDroppedTypeFetch, requireMigrated } from '@keywatch/db';
import { createLogger, type Logger } from '@keywatch/log';
import type { Registry } from 'prom-client';
import { createMetrics, exitOnStartupError, type HealthCheck, onShutdown, startOpsServer } from './ops.ts';

export interface ServiceContext {
  config: Config;
  log: Logger;
  metrics: Registry;
  database: Database;
}

export interface RunningService {
  /** Serve /healthz and /metrics on this port (services with their own HTTP server leave it out). */
  opsPort?: number;
  checks?: Record<string, HealthCheck>;
  /** Stops what `start` started; the database is closed after it. */
  stop(): Promise<void>;
}

/**
 * The life of every keywatch process: read and check the environment (a bad value stops it,
 * naming the variable), connect, check the database has every migration (never applies them: that
 * is `keywatch migrate`, one step before the services start, so replicas never race to migrate),
 * start, serve health and metrics, and stop in order on SIGTERM or Ctrl-C.
 */
export async function runService(
  name: string,
  start: (context: ServiceContext) => Promise<RunningService>,
  { poolSize = 10 }: { poolSize?: number } = {},
): Promise<void> {
  let log: Logger | undefined;
  try {
    const config = loadConfig();
    log = createLogger({ service: name, level: config.LOG_LEVEL });
    exitOnUnhandledRejection(log);
    const database = connect(config.DATABASE_URL, { max: poolSize });
    await requireMigrated(database.sql).catch(async (err) => {
      await database.close();
      throw err;
    });
    const metrics = createMetrics(name);
    const service = await start({ config, log, metrics, database });
    const checks = { postgres: async () => !!(await database.sql`select 1`), ...service.checks };
    const ops =
      service.opsPort === undefined
        ? undefined
        : await startOpsServer({ port: service.opsPort, metrics, checks });
    onShutdown(log, async () => {
      ops?.close();
      await service.stop();
      await database.close();
    });
  } catch (err) {
    exitOnStartupError(log, err);
  }
}

/**
 * An unhandled rejection ends the process, logged, as Node's default would, except postgres.js's
 * dropped catalog query (see isDroppedTypeFetch): that one is only logged.
 */
function exitOnUnhandledRejection(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isDroppedTypeFetch(reason)) {
      log.warn({ err: reason }, 'postgres.js lost a new connection while reading types; the pool retries');
      return;
    }
    log.fatal({ err: reason }, 'unhandled rejection; exiting');
    process.exit(1);
  });
}

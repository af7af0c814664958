import { createQueues, type Queues } from '@keywatch/jobs';
import type { Logger } from '@keywatch/log';
import { createMetrics } from '@keywatch/runtime';
import type { TestContext } from '@keywatch/testkit';
import { type AlerterWorkers, configuredChannels, startWorkers } from '../../src/workers.ts';

/** The alerter as main.ts starts it (queues, channels from the env, workers) on a test's context. */
export function startAlerter(ctx: TestContext, log: Logger): { queues: Queues; workers: AlerterWorkers } {
  const queues = createQueues(ctx.config);
  const { channels, senders } = configuredChannels(ctx.config, log, ctx.database.db);
  const workers = startWorkers({
    config: ctx.config,
    db: ctx.database.db,
    deliverQueue: queues.deliver,
    log,
    metrics: createMetrics('alerter'),
    channels,
    senders,
  });
  return { queues, workers };
}

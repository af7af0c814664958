import type { Config } from '@keywatch/config';
import type { Db } from '@keywatch/db';
import {
  availableChannels,
  type Channel,
  type DeliverJob,
  defaultChannels,
  type EvaluateJob,
  enqueueDelivery,
  QUEUES,
  queueOptions,
  redisConnection,
  upgradeDeliverJob,
} from '@keywatch/jobs';
import type { Logger } from '@keywatch/log';
import {
  emailSender,
  logSender,
  PermanentDeliveryError,
  RetryLaterError,
  slackSender,
  webhookSender,
} from '@keywatch/notify';
import { type Queue, UnrecoverableError, Worker } from 'bullmq';
import { Counter, type Registry } from 'prom-client';
import { evaluateSource } from './credential-stuffing.ts';
import { deliver, type Senders } from './deliver.ts';
import { evaluateKey } from './evaluate.ts';

/** Where notifications go (see defaultChannels) and the senders that carry them. */
export function configuredChannels(config: Config, log: Logger): { channels: Channel[]; senders: Senders } {
  const available = availableChannels(config);
  const senders: Senders = { log: logSender(log.child({ channel: 'log' })) };
  if (available.includes('slack')) {
    senders.slack = slackSender({
      token: config.SLACK_BOT_TOKEN!,
      channel: config.SLACK_CHANNEL!,
      apiUrl: config.SLACK_API_URL,
    });
  }
  if (available.includes('email')) {
    senders.email = emailSender({
      smtpUrl: config.SMTP_URL!,
      from: config.ALERT_EMAIL_FROM,
      to: config.ALERT_EMAIL_TO!,
    });
  }
  if (available.includes('webhook'))
    senders.webhook = webhookSender({ secret: config.WEBHOOK_SIGNING_SECRET! });
  return { channels: defaultChannels(config), senders };
}

export interface AlerterWorkers {
  close(): Promise<void>;
  running(): boolean;
}

export function startWorkers(options: {
  config: Config;
  db: Db;
  deliverQueue: Queue<DeliverJob>;
  log: Logger;
  metrics: Registry;
  channels: readonly Channel[];
  senders: Senders;
}): AlerterWorkers {
  const { config, db, deliverQueue, log, metrics, channels, senders } = options;
  const available = Object.keys(senders) as Channel[];
  const connection = redisConnection(config);
  // A crashed alerter's active jobs return to the queue within ~15 s instead of BullMQ's ~60 s
  // default; live workers renew their locks every 5 s.
  const opts = { ...queueOptions(config, connection), lockDuration: 10_000, stalledInterval: 5_000 };
  const outcomes = new Counter({
    name: 'keywatch_deliveries_total',
    help: 'Delivery attempts by channel and result',
    labelNames: ['channel', 'result'],
    registers: [metrics],
  });

  const evaluate = new Worker<EvaluateJob>(
    QUEUES.evaluate,
    async ({ data }) =>
      'sourceIp' in data
        ? evaluateSource(data.sourceIp, { db, deliver: deliverQueue, channels, now: new Date() })
        : evaluateKey(data.keyId, { db, deliver: deliverQueue, channels, available, now: new Date() }),
    { ...opts, concurrency: 8 },
  );
  const delivery = new Worker<DeliverJob>(
    QUEUES.deliver,
    async (job) => {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      try {
        const result = await deliver(upgradeDeliverJob(job.data), db, senders, final, {
          stormLimit: config.ALERT_STORM_PER_MINUTE,
          publicUrl: config.PUBLIC_URL,
        });
        if (typeof result === 'object') {
          // Sent once the storm's minute is over, with every alert grouped into it by then.
          const minuteEnd = new Date(result.grouped.minute).getTime() + 60_000;
          await enqueueDelivery(deliverQueue, result.grouped, {
            delay: Math.max(0, minuteEnd + 5_000 - Date.now()),
          });
          outcomes.inc({ channel: job.data.channel, result: 'grouped' });
          return 'grouped';
        }
        outcomes.inc({ channel: job.data.channel, result });
        return result;
      } catch (err) {
        outcomes.inc({ channel: job.data.channel, result: 'error' });
        if (err instanceof PermanentDeliveryError) throw new UnrecoverableError(err.message);
        if (err instanceof RetryLaterError) {
          // The channel's whole quota is spent: pause the queue as long as it asks.
          await deliverQueue.rateLimit(err.retryAfterMs);
          throw Worker.RateLimitError();
        }
        throw err;
      }
    },
    {
      ...opts,
      concurrency: 4,
      // Also what makes a channel's "wait" (rateLimit above) hold for every worker: BullMQ only
      // honours a manual rate limit on a queue that has a limiter.
      limiter: { max: 100, duration: 1000 },
    },
  );
  for (const worker of [evaluate, delivery]) {
    // Not the job id: a delivery's names its recipient (an address, a webhook URL with a token).
    worker.on('failed', (job, err) =>
      log.warn({ queue: worker.name, job: job?.name, attempts: job?.attemptsMade, err }, 'job failed'),
    );
    worker.on('error', (err) => log.error({ queue: worker.name, err }, 'worker error'));
  }
  return {
    running: () => evaluate.isRunning() && delivery.isRunning(),
    async close() {
      await Promise.all([evaluate.close(), delivery.close()]);
      connection.disconnect();
    },
  };
}

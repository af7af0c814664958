import type { Config } from '@keywatch/config';
import { type Db, webhookSigningSecrets } from '@keywatch/db';
import {
  BadPayloadError,
  type DeliverJob,
  enqueueDelivery,
  JOBS,
  parsePayload,
  queueOptions,
  redisConnection,
} from '@keywatch/jobs';
import type { Logger } from '@keywatch/log';
import {
  availableChannels,
  defaultChannels,
  emailSender,
  logSender,
  networkList,
  PermanentDeliveryError,
  RetryLaterError,
  slackSender,
  webhookSender,
} from '@keywatch/notify';
import { type Channel, destinationPolicy, MINUTE_MS } from '@keywatch/rules';
import { DelayedError, type Queue, UnrecoverableError, Worker } from 'bullmq';
import { Counter, type Registry } from 'prom-client';
import { evaluateSource } from './credential-stuffing.ts';
import { deliver, type Senders } from './deliver.ts';
import { destinationOf, destinationThrottle, orgOfDelivery } from './destination-throttle.ts';
import { evaluateKey } from './evaluate.ts';
import { BaselineCache } from './key-facts.ts';

/** Where notifications go (see defaultChannels) and the senders that carry them. */
export function configuredChannels(
  config: Config,
  log: Logger,
  db: Db,
): { channels: Channel[]; senders: Senders } {
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
  senders.webhook = webhookSender({
    secretsOf: (orgId) => webhookSigningSecrets(db, orgId),
    allowed: networkList(config.WEBHOOK_ALLOWED_NETWORKS),
  });
  return { channels: defaultChannels(config), senders };
}

/** A payload this version cannot read fails its job at once: retrying cannot fix it. */
function payloadOf<N extends keyof typeof JOBS>(name: N, data: unknown) {
  try {
    return parsePayload(name, data);
  } catch (err) {
    throw err instanceof BadPayloadError ? new UnrecoverableError(err.message) : err;
  }
}

const DELIVERY_CONCURRENCY = 32;
const DELIVERY_LIMITS = { perDestination: 2, perOrg: 6, leaseMs: 30_000 };

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
  const policy = destinationPolicy(config);
  const baselines = new BaselineCache();
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

  const evaluate = new Worker(
    JOBS.evaluate.queue,
    async ({ data }) => {
      const job = payloadOf('evaluate', data);
      return 'sourceIp' in job
        ? evaluateSource(job.sourceIp, { db, deliver: deliverQueue, channels, now: new Date() })
        : evaluateKey(job.keyId, {
            db,
            deliver: deliverQueue,
            channels,
            available,
            policy,
            baselines,
            now: new Date(),
          });
    },
    { ...opts, concurrency: 8 },
  );
  const throttle = destinationThrottle(connection, config.REDIS_PREFIX, DELIVERY_LIMITS);
  const delivery = new Worker(
    JOBS.deliver.queue,
    async (job, token) => {
      const data = payloadOf('deliver', job.data);
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const destination = destinationOf(data, config);
      const admission = destination
        ? await throttle.admit(destination, await orgOfDelivery(db, data), job.id!)
        : null;
      if (admission && !admission.admitted) {
        // Held or busy: only this job waits, and the wait uses up none of its attempts.
        await job.moveToDelayed(admission.retryAt, token);
        throw new DelayedError();
      }
      try {
        const result = await deliver(data, db, senders, final, {
          stormLimit: config.ALERT_STORM_PER_MINUTE,
          publicUrl: config.PUBLIC_URL,
        });
        if (result.outcome === 'grouped') {
          // Sent once the storm's minute is over, with every alert grouped into it by then.
          const minuteEnd = new Date(result.digest.minute).getTime() + MINUTE_MS;
          await enqueueDelivery(deliverQueue, result.digest, {
            delay: Math.max(0, minuteEnd + 5_000 - Date.now()),
          });
        }
        outcomes.inc({ channel: data.channel, result: result.outcome });
        return result.outcome;
      } catch (err) {
        outcomes.inc({ channel: data.channel, result: 'error' });
        if (err instanceof PermanentDeliveryError) throw new UnrecoverableError(err.message);
        // The receiver asked for a pause: its deliveries wait for it, nobody else's. The attempt
        // counts, so a receiver that always asks does not keep a job forever.
        if (err instanceof RetryLaterError && destination) await throttle.hold(destination, err.retryAfterMs);
        throw err;
      } finally {
        await admission?.release();
      }
    },
    // Many workers, each bound per destination and per org: a receiver that never answers holds
    // at most DELIVERY_LIMITS.perDestination of them, an org at most perOrg.
    { ...opts, concurrency: DELIVERY_CONCURRENCY },
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

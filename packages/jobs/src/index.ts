import type { Config } from '@keywatch/config';
import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** BullMQ queue names, in one place. */
export const QUEUES = { evaluate: 'evaluate', deliver: 'deliver' } as const;

export const CHANNELS = ['slack', 'email', 'webhook', 'log'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels notifications take by default: Slack and email where configured, else the log. */
export function defaultChannels(
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_CHANNEL' | 'SMTP_URL' | 'ALERT_EMAIL_TO'>,
): Channel[] {
  const channels: Channel[] = [];
  if (config.SLACK_BOT_TOKEN && config.SLACK_CHANNEL) channels.push('slack');
  if (config.SMTP_URL && config.ALERT_EMAIL_TO) channels.push('email');
  return channels.length > 0 ? channels : ['log'];
}

/** Evaluate a key's alert rules against its current usage, or a source IP's unknown-key failures. */
export type EvaluateJob = { keyId: string } | { sourceIp: string };

/** Send one notification on one channel; `to` overrides the channel's default destination. */
export type DeliverJob = (
  | { kind: 'alert' | 'resolution'; alertId: string; channel: Channel }
  | { kind: 'rotation_reminder'; keyId: string; channel: Channel; dueAt: string }
  /** The alerts an org's alert storm grouped in one minute, as one message. */
  | { kind: 'digest'; orgId: string; minute: string; channel: Channel }
) & { to?: string };

/** Identifies one notification, so a retried or re-queued job never sends it twice. */
export const deliveryKey = (job: DeliverJob): string =>
  (job.kind === 'rotation_reminder'
    ? `rotation:${job.keyId}:${job.dueAt}:${job.channel}`
    : job.kind === 'digest'
      ? `digest:${job.orgId}:${job.minute}:${job.channel}`
      : `${job.kind}:${job.alertId}:${job.channel}`) + (job.to ? `:${job.to}` : '');

/** BullMQ needs `maxRetriesPerRequest: null` on the connections its workers block on. */
export const redisConnection = (config: Pick<Config, 'REDIS_URL'>): Redis =>
  new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });

/** Producers of jobs must fail rather than wait forever while Redis is away: callers retry later. */
const producerConnection = (config: Pick<Config, 'REDIS_URL'>): Redis =>
  new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });

export const queueOptions = (config: Pick<Config, 'REDIS_PREFIX'>, connection: Redis) => ({
  connection,
  prefix: config.REDIS_PREFIX,
});

const deliverDefaults: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export interface Queues {
  evaluate: Queue<EvaluateJob>;
  deliver: Queue<DeliverJob>;
  close(): Promise<void>;
}

export function createQueues(config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'>): Queues {
  const connection = producerConnection(config);
  const options = queueOptions(config, connection);
  const evaluate = new Queue<EvaluateJob>(QUEUES.evaluate, {
    ...options,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  });
  const deliver = new Queue<DeliverJob>(QUEUES.deliver, { ...options, defaultJobOptions: deliverDefaults });
  return {
    evaluate,
    deliver,
    async close() {
      await Promise.all([evaluate.close(), deliver.close()]);
      connection.disconnect();
    },
  };
}

/**
 * At most one waiting evaluation per key: while one is waiting, more requests fold into it; while
 * one is running, the last request is kept and runs after it, so no update is ever missed.
 */
export const enqueueEvaluate = (queue: Queue<EvaluateJob>, keyId: string) =>
  queue.add('evaluate', { keyId }, { deduplication: { id: keyId, keepLastIfActive: true } });

/** The same for a source IP that presented unknown keys (credential stuffing). */
export const enqueueSourceEvaluate = (queue: Queue<EvaluateJob>, sourceIp: string) =>
  queue.add(
    'evaluate-source',
    { sourceIp },
    { deduplication: { id: `ip:${sourceIp}`, keepLastIfActive: true } },
  );

export const enqueueDelivery = (
  queue: Queue<DeliverJob>,
  job: DeliverJob,
  options: { delay?: number } = {},
) =>
  // The job id makes a second enqueue of the same notification a no-op.
  queue.add(job.kind, job, { ...options, jobId: deliveryKey(job).replaceAll(':', '_') });

import type { Config } from '@keywatch/config';
import { type Channel, destinationPolicy } from '@keywatch/rules';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type DeliverJob, type EvaluateJob, JOBS } from './catalog.ts';

export * from './catalog.ts';

type ChannelConfig = Pick<
  Config,
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_CHANNEL'
  | 'SMTP_URL'
  | 'ALERT_EMAIL_TO'
  | 'ALERT_SLACK_CHANNELS_ALLOWED'
  | 'ALERT_EMAIL_DOMAINS_ALLOWED'
>;

/** The channels this installation can send on: what its env configures, and always the log. */
export function availableChannels(config: ChannelConfig): Channel[] {
  // Webhooks are always available (each org signs with its own secret) and go only where settings
  // name a URL, so they are never a default channel.
  const channels: Channel[] = ['log', 'webhook'];
  if (config.SLACK_BOT_TOKEN && config.SLACK_CHANNEL) channels.push('slack');
  if (config.SMTP_URL && config.ALERT_EMAIL_TO) channels.push('email');
  return channels;
}

/** The channels notifications take by default: Slack and email where configured, else the log. */
export function defaultChannels(config: ChannelConfig): Channel[] {
  const channels = availableChannels(config).filter((c) => c === 'slack' || c === 'email');
  return channels.length > 0 ? channels : ['log'];
}

/** What routing needs to know of the installation: its channels and where tenants may route. */
export const installationChannels = (config: ChannelConfig) => ({
  available: availableChannels(config),
  defaults: defaultChannels(config),
  policy: destinationPolicy(config),
});

/** Identifies one notification, so a retried or re-queued job never sends it twice. */
export const deliveryKey = (job: DeliverJob): string =>
  (job.kind === 'rotation_reminder'
    ? `${job.reminder}:${job.keyId}:${job.at}:${job.sequence}:${job.channel}`
    : job.kind === 'digest'
      ? `digest:${job.orgId ?? 'keyless'}:${job.minute}:${job.channel}`
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

export interface Queues {
  evaluate: Queue<EvaluateJob>;
  deliver: Queue<DeliverJob>;
  close(): Promise<void>;
}

export function createQueues(config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'>): Queues {
  const connection = producerConnection(config);
  const options = queueOptions(config, connection);
  const evaluate = new Queue<EvaluateJob>(JOBS.evaluate.queue, {
    ...options,
    defaultJobOptions: JOBS.evaluate.options,
  });
  const deliver = new Queue<DeliverJob>(JOBS.deliver.queue, {
    ...options,
    defaultJobOptions: JOBS.deliver.options,
  });
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

// The job id makes a second enqueue of the same notification a no-op.
const deliveryJobId = (job: DeliverJob) => deliveryKey(job).replaceAll(':', '_');

export const enqueueDelivery = (
  queue: Queue<DeliverJob>,
  job: DeliverJob,
  options: { delay?: number } = {},
) => queue.add(job.kind, job, { ...options, jobId: deliveryJobId(job) });

/** Many deliveries at once, a thousand per round trip to Redis (the rotation scan's reminders). */
export async function enqueueDeliveries(
  queue: Queue<DeliverJob>,
  jobs: readonly DeliverJob[],
): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1000) {
    await queue.addBulk(
      jobs
        .slice(i, i + 1000)
        .map((job) => ({ name: job.kind, data: job, opts: { jobId: deliveryJobId(job) } })),
    );
  }
}

export * from './routing.ts';

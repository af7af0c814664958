import type { Config } from '@keywatch/config';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type DeliverJob, type EvaluateJob, JOBS } from './catalog.ts';

export * from './catalog.ts';
export * from './rotation-digest.ts';

/** What names one notification of each kind, before its route. */
function subjectKey(job: DeliverJob): string {
  switch (job.kind) {
    case 'rotation_reminder':
      return `${job.reminder}:${job.keyId}:${job.at}:${job.sequence}`;
    case 'rotation_digest':
      return `rotation_digest:${job.group}`;
    case 'digest':
      return `digest:${job.orgId ?? 'keyless'}:${job.minute}`;
    default:
      return `${job.kind}:${job.alertId}`;
  }
}

/** Identifies one notification, so a retried or re-queued job never sends it twice. */
export const deliveryKey = (job: DeliverJob): string =>
  `${subjectKey(job)}:${job.channel}${job.to ? `:${job.to}` : ''}`;

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

/** Many deliveries at once, a thousand per round trip to Redis (the rotation scan's digests). */
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

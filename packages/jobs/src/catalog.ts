import { CHANNELS, REMINDER_KINDS } from '@keywatch/rules';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * Where a notification goes: a channel, and the destination when not the channel's default. The
 * org it is for, when known at enqueue time, spares the delivery worker a read for its per-org
 * bound (jobs queued before it was carried have none; null: an alert about no key).
 */
const route = {
  channel: z.enum(CHANNELS),
  to: z.string().min(1).optional(),
  orgId: z.uuid().nullable().optional(),
};
const isoTime = z.iso.datetime();

const alertJob = z.object({ kind: z.literal('alert'), alertId: z.uuid(), ...route });
const resolutionJob = z.object({ kind: z.literal('resolution'), alertId: z.uuid(), ...route });
/**
 * A rules Reminder of one key, sent by the rotation scan at `asOf`: what versions before the
 * rotation digest queued, still delivered when found in the queue after a deploy.
 */
const reminderJob = z.object({
  kind: z.literal('rotation_reminder'),
  keyId: z.uuid(),
  reminder: z.enum(REMINDER_KINDS),
  at: isoTime,
  sequence: z.int().min(0),
  asOf: isoTime,
  ...route,
});
/** The most reminders a rotation digest lists, and so carries: the message's list is capped. */
export const ROTATION_DIGEST_LINES = 20;

/** One reminder a rotation digest lists: a rules Reminder of one key. */
const listedReminder = z.object({
  keyId: z.uuid(),
  reminder: z.enum(REMINDER_KINDS),
  at: isoTime,
  sequence: z.int().min(0),
});
/**
 * The reminders one rotation scan (at `asOf`) owes on one route of one org, as one message: the
 * most overdue first, at most ROTATION_DIGEST_LINES of them, and how many there are in all.
 * `group` names the whole group (see rotationDigest), so the same group queued twice is one job.
 */
const rotationDigestJob = z.object({
  kind: z.literal('rotation_digest'),
  group: z.string().regex(/^[0-9a-f]{32}$/),
  asOf: isoTime,
  /** Reminders in the group, listed or not. */
  total: z.int().min(1),
  /** Distinct keys they are about. */
  keys: z.int().min(1),
  /** Escalations among them: the message is critical when there is any. */
  escalations: z.int().min(0),
  listed: z.array(listedReminder).min(1).max(ROTATION_DIGEST_LINES),
  ...route,
  orgId: z.uuid(),
});
/**
 * The alerts an org's alert storm grouped in one minute, as one message; `orgId` null: the
 * installation's keyless alerts (credential stuffing), grouped the same way.
 */
const digestJob = z.object({
  kind: z.literal('digest'),
  minute: isoTime,
  ...route,
  orgId: z.uuid().nullable(),
});

/**
 * Rotation reminders queued by a version before reminders had kinds carried only `dueAt`: each
 * was the first reminder of its due date. Upgraded here, so a job from before a deploy still parses.
 */
function upgradeLegacyReminder(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const job = raw as Record<string, unknown>;
  if (job.kind !== 'rotation_reminder' || 'reminder' in job || typeof job.dueAt !== 'string') return raw;
  const { dueAt, ...rest } = job;
  return { ...rest, reminder: 'rotation', at: dueAt, sequence: 0, asOf: dueAt };
}

export const deliverPayload = z.preprocess(
  upgradeLegacyReminder,
  z.discriminatedUnion('kind', [alertJob, resolutionJob, reminderJob, digestJob, rotationDigestJob]),
);
/** Send one notification on one channel. */
export type DeliverJob = z.infer<typeof deliverPayload>;

/** Evaluate a key's alert rules against its current usage, or a source IP's unknown-key failures. */
export const evaluatePayload = z.union([
  z.strictObject({ keyId: z.uuid() }),
  z.strictObject({ sourceIp: z.string().min(1).max(64) }),
]);
export type EvaluateJob = z.infer<typeof evaluatePayload>;

/**
 * Every job keywatch queues: its queue, the schema its payload is parsed with when a worker takes
 * it, and its options.
 */
export const JOBS = {
  evaluate: {
    queue: 'evaluate',
    payload: evaluatePayload,
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  },
  deliver: {
    queue: 'deliver',
    payload: deliverPayload,
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      // Kept a week for inspection, but never more than this many: a tenant's failing destinations
      // must not fill Redis.
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    },
  },
} as const satisfies Record<string, { queue: string; payload: z.ZodType; options: JobsOptions }>;

/** A payload that does not parse is never retried: the worker fails it at once, naming the field. */
export class BadPayloadError extends Error {
  override name = 'BadPayloadError';
}

/** A dequeued job's payload as this version reads it (old shapes upgraded), or a BadPayloadError. */
export function parsePayload<N extends keyof typeof JOBS>(
  name: N,
  data: unknown,
): z.infer<(typeof JOBS)[N]['payload']> {
  const parsed = JOBS[name].payload.safeParse(data);
  if (!parsed.success)
    throw new BadPayloadError(
      `${name} job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as z.infer<(typeof JOBS)[N]['payload']>;
}

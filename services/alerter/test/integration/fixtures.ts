import { alerts, type Db, deliveries, ensureOrg, usageBuckets } from '@keywatch/db';
import { createQueues, enqueueEvaluate, type Queues } from '@keywatch/jobs';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { createLogger } from '@keywatch/log';
import { windowOf } from '@keywatch/rules';
import {
  createTestContext,
  FakeSlack,
  queuesIdle,
  type SlackCall,
  SmtpSink,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { asc, eq } from 'drizzle-orm';
import { test } from 'vitest';
import type { AlerterWorkers } from '../../src/workers.ts';
import { startAlerter } from './harness.ts';

export interface AlerterOptions {
  /** ALERT_STORM_PER_MINUTE. High unless a file is about storms: its many alerts fall in one minute. */
  stormPerMinute?: number;
  /** Starts an SMTP sink and configures it (alerts then mail security@example.com by default). */
  smtp?: boolean;
  /** Runs the evaluate and deliver workers (the default); without them jobs wait for the test to take. */
  workers?: boolean;
  /** More variables of the alerter's environment. */
  env?: Record<string, string>;
}

export const SLACK_TOKEN = 'xoxb-test-token';
export const SLACK_CHANNEL = '#security';
export const ALERT_EMAIL_TO = 'security@example.com';
export const PUBLIC_URL = 'https://keywatch.example.com';
export const ORG = 'alerter-org';

/** What a person reads off a Slack message, without its wording: the fields by label. */
export interface SlackFacts {
  token: string | undefined;
  channel: unknown;
  fields: Record<string, string>;
}

export function slackFacts(message: SlackCall): SlackFacts {
  const blocks = (message.body.blocks ?? []) as { type: string; fields?: { text: string }[] }[];
  const fields: Record<string, string> = {};
  for (const block of blocks)
    for (const { text } of block.fields ?? []) {
      const [, label, value] = /^\*(.*?)\*\n([\s\S]*)$/.exec(text) ?? [];
      if (label !== undefined) fields[label] = value!;
    }
  return { token: message.token, channel: message.body.channel, fields };
}

/** The alerter on a test file's own database, Redis prefix and fake Slack, with what its tests ask of it. */
export interface Alerter {
  ctx: TestContext;
  db: Db;
  slack: FakeSlack;
  /** The SMTP sink, when the file asked for one. */
  smtp: SmtpSink | undefined;
  queues: Queues;
  /** The running workers, unless the file asked for none. */
  workers: AlerterWorkers | undefined;
  /** A key of ORG (or `spec.org`) with these alert settings; `spec` adds to the key's spec. */
  key(
    name: string,
    alertSettings?: Record<string, unknown>,
    spec?: Record<string, unknown> & { org?: string },
  ): ReturnType<typeof issueKeyOf>;
  /** Sets today's count of a key, as the aggregator would have left it. */
  setDailyUsage(keyId: string, requests: number, failures?: number): Promise<void>;
  /** A key with a daily highUsage threshold whose count already stands at `requests`. */
  keyWithDailyUsage(name: string, threshold: number, requests: number): ReturnType<typeof issueKeyOf>;
  /** Queues an evaluation of each key, as the aggregator does. */
  evaluate(...keyIds: string[]): Promise<void>;
  /** Waits until no job waits, runs or is delayed in either queue. */
  drained(): Promise<void>;
  /** Slack messages people saw that name `text` (a key's name, an IP). */
  slackAbout(text: string): SlackCall[];
  /** Every call to Slack (accepted or not) that names `text`. */
  slackCallsAbout(text: string): SlackCall[];
  /** The key's alerts, oldest first. */
  alertsOf(keyId: string): Promise<(typeof alerts.$inferSelect)[]>;
  /** The deliveries of the key's alerts with what they are about, oldest first. */
  deliveriesOf(keyId: string): Promise<DeliveryFacts[]>;
}

export interface DeliveryFacts {
  kind: string;
  rule: string;
  subject: string;
  channel: string;
  recipient: string | null;
  status: string;
  attempts: number;
  error: string | null;
}

export type IssuedKey = Awaited<ReturnType<typeof issueKeyOf>>;

async function issueKeyOf(db: Db, org: string, spec: unknown) {
  const { id } = await ensureOrg(db, org);
  return (await issueKey(db, id, newKeySchema.parse(spec))).key;
}

/**
 * `test` with an `alerter` fixture: set up on the file's first test that asks for it, closed after
 * its last. `name` names the file's database, Redis prefix and consumer group.
 */
export function alerterTest(name: string, options: AlerterOptions = {}) {
  return test
    .extend('alerterOptions', { scope: 'file' }, { name, ...options })
    .extend('alerter', { scope: 'file' }, async ({ alerterOptions }, { onCleanup }) => {
      const { stormPerMinute = 1000, smtp: withSmtp = false, workers: withWorkers = true } = alerterOptions;
      let queues: Queues | undefined;
      let workers: AlerterWorkers | undefined;
      let ctx: TestContext | undefined;
      const slack = new FakeSlack();
      const smtp = withSmtp ? new SmtpSink() : undefined;
      onCleanup(async () => {
        await workers?.close();
        if (queues && !withWorkers) await queues.deliver.obliterate({ force: true });
        await queues?.close();
        await slack.stop();
        await smtp?.stop();
        await ctx?.close();
      });
      await slack.start();
      await smtp?.start();
      ctx = await createTestContext(alerterOptions.name, {
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_CHANNEL,
        SLACK_API_URL: slack.url,
        // The webhook receivers of these tests listen on loopback.
        WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
        ALERT_STORM_PER_MINUTE: String(stormPerMinute),
        PUBLIC_URL,
        ...(smtp ? { SMTP_URL: smtp.url, ALERT_EMAIL_TO } : {}),
        ...alerterOptions.env,
      });
      const context = ctx;
      const db = ctx.database.db;
      if (withWorkers) {
        const log = createLogger({ service: 'alerter-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
        ({ queues, workers } = startAlerter(ctx, log));
      } else {
        queues = createQueues(ctx.config);
      }
      const running = queues;

      const about = (calls: SlackCall[], text: string) =>
        calls.filter((c) => String(c.body.text).includes(text));
      const alerter: Alerter = {
        ctx: context,
        db,
        slack,
        smtp,
        queues: running,
        workers,
        key: (keyName, alertSettings = {}, { org = ORG, ...spec } = {}) =>
          issueKeyOf(db, org, { name: keyName, scopes: ['chat'], alerts: alertSettings, ...spec }),
        async setDailyUsage(keyId, requests, failures = 0) {
          const day = windowOf('daily', new Date());
          const counts = { total: requests, success: requests - failures, failure: failures };
          await db
            .insert(usageBuckets)
            .values({ keyId, granularity: 'day', bucketStart: day.start, ...counts })
            .onConflictDoUpdate({
              target: [usageBuckets.keyId, usageBuckets.granularity, usageBuckets.bucketStart],
              set: counts,
            });
        },
        async keyWithDailyUsage(keyName, threshold, requests) {
          const key = await alerter.key(keyName, { highUsage: { threshold, period: 'daily' } });
          await alerter.setDailyUsage(key.id, requests);
          return key;
        },
        async evaluate(...keyIds) {
          for (const keyId of keyIds) await enqueueEvaluate(running.evaluate, keyId);
        },
        async drained() {
          await waitFor('queues drained', () => queuesIdle(running.evaluate, running.deliver));
        },
        slackAbout: (text) => about(slack.messages(), text),
        slackCallsAbout: (text) => about(slack.calls, text),
        alertsOf: (keyId) =>
          db.select().from(alerts).where(eq(alerts.keyId, keyId)).orderBy(asc(alerts.createdAt)),
        deliveriesOf: (keyId) =>
          db
            .select({
              kind: deliveries.kind,
              rule: alerts.rule,
              subject: alerts.subject,
              channel: deliveries.channel,
              recipient: deliveries.recipient,
              status: deliveries.status,
              attempts: deliveries.attempts,
              error: deliveries.error,
            })
            .from(deliveries)
            .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
            .where(eq(alerts.keyId, keyId))
            .orderBy(asc(deliveries.createdAt), asc(deliveries.id)),
      };
      return alerter;
    });
}

import { connect, ensureOrg } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { FakeSlack, waitFor } from '@keywatch/testkit';
import { startPipeline } from './pipeline.ts';

const ALERTS = 100;
const THRESHOLD = 3;

/**
 * Time from the request that crosses a key's threshold to the Slack API call, through the whole
 * pipeline (verifier, Kafka, aggregator, Postgres, BullMQ, alerter), for 100 keys crossing one
 * after another (20 a second).
 */
export async function benchAlerts(env: Record<string, string>, log: (line: string) => void) {
  const slack = await new FakeSlack().start();
  const database = connect(env.DATABASE_URL!, { max: 2 });
  const org = await ensureOrg(database.db, 'bench-alerts');
  const keys: { name: string; secret: string }[] = [];
  for (let i = 0; i < ALERTS; i++) {
    const name = `latency-${i}`;
    const spec = newKeySchema.parse({
      name,
      scopes: ['chat'],
      alerts: { highUsage: { threshold: THRESHOLD, period: 'hourly', warnAt: null } },
    });
    keys.push({ name, secret: (await issueKey(database.db, org.id, spec)).secret });
  }
  await database.close();

  // 100 keys of one org alert within a minute: measure each, not the storm digest.
  const pipeline = await startPipeline(env, 'bench-alerts', slack, { ALERT_STORM_PER_MINUTE: '1000' });
  try {
    log(`alerts: ${ALERTS} keys crossing a threshold of ${THRESHOLD}, 20 a second`);
    const { auth } = pipeline;
    // The requests below the threshold first, so that only the crossing is timed.
    for (const { secret } of keys) for (let i = 1; i < THRESHOLD; i++) await auth(secret);
    const crossedAt = new Map<string, number>();
    for (const { name, secret } of keys) {
      crossedAt.set(name, Date.now());
      await auth(secret);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitFor(`${ALERTS} Slack messages`, () => slack.messages().length >= ALERTS, {
      timeoutMs: 120_000,
    });
    const latencies = slack.messages().flatMap((m) => {
      const name = /High usage: (latency-\d+)/.exec(String(m.body.text))?.[1];
      const crossed = name ? crossedAt.get(name) : undefined;
      return crossed === undefined ? [] : [m.at - crossed];
    });
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
    return { count: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) };
  } finally {
    await pipeline.stop();
    await slack.stop();
  }
}

import { randomInt } from 'node:crypto';
import { Backtest, type BacktestKey } from '@keywatch/backtest';
import {
  alerts,
  apiKeys,
  ensureOrg,
  keylessFailures,
  orgs,
  pendingEvaluations,
  usageBuckets,
} from '@keywatch/db';
import {
  type AuthEvent,
  createKafka,
  decodeAuthEvent,
  encodeAuthEvent,
  messageKeyOf,
  newAuthEvent,
  TOPICS,
} from '@keywatch/events';
import { freePort } from '@keywatch/infra';
import { createQueues, type Queues } from '@keywatch/jobs';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import { type AlertSettings, DAY_MS, HOUR_MS, MINUTE_MS, UNUSUAL, windowOf } from '@keywatch/rules';
import {
  createTestContext,
  fakeSecret,
  queuesIdle,
  type ServiceProcess,
  startService,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The same traffic through the live pipeline (verifier → Kafka → aggregator → alerter, as processes
// on real Kafka, Postgres and Redis) and through the backtest (the events read back from the topic)
// must record the same alerts. Two weeks of steady history are produced straight to the topic,
// backdated, so the baselines have something to learn; then live requests through the verifier trip
// every rule at once. What may legitimately differ (the alerter evaluates at wall-clock time after
// each batch, the backtest at each event-time minute) is designed away rather than filtered out:
// thresholds count daily windows, a warning and its crossing fall in different minutes, and all
// live traffic stays within one UTC hour.

/** An alert as the unique index knows it, and its severity. */
interface Identity {
  keyId: string | null;
  rule: string;
  subject: string;
  severity: string;
  period: string;
  windowStart: string;
}

interface TestKey {
  name: string;
  id: string;
  orgId: string;
  prefix: string;
  secret: string;
}

const HISTORY_DAYS = 14;
/** Country and client IP of the steady history: two countries, a handful of IPs. */
const GB = ['81.2.69.142', '81.2.69.143'];
const US = '8.8.8.8';
const BR = '200.160.2.3';
const USAGE = { threshold: 40, warnAt: 0.8 };
/** Requests before the live traffic: past the 80 % warning (32), short of the threshold. */
const WARNED = 33;
/** Unknown keys from one source within minutes: credential stuffing (50 in 10 minutes). */
const GUESSES = 50;

let ctx: TestContext;
let queues: Queues;
let kafka: Kafka;
const services: ServiceProcess[] = [];
type KeyName = 'usage' | 'failing' | 'roaming' | 'fanned' | 'spiking' | 'dormant' | 'quiet';
const keys = {} as Record<KeyName, TestKey>;
// From the benchmarking range (198.18.0.0/15), random per run: no other test file's source.
const attacker = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
let live: Identity[] = [];
let replayed: Identity[] = [];
let liveHour: Date;

const sortIdentities = (list: Identity[]) =>
  [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

beforeAll(async () => {
  const ports = { verifier: await freePort(), aggregator: await freePort(), alerter: await freePort() };
  ctx = await createTestContext('backtest-parity', {
    VERIFIER_PORT: String(ports.verifier),
    AGGREGATOR_PORT: String(ports.aggregator),
    ALERTER_PORT: String(ports.alerter),
  });
  const { db } = ctx.database;
  queues = createQueues(ctx.config);
  kafka = createKafka({ brokers: ctx.config.KAFKA_BROKERS, clientId: 'backtest-parity' });
  services.push(
    ...(await Promise.all([
      startService('verifier', ctx.env, ports.verifier),
      startService('aggregator', ctx.env, ports.aggregator),
    ])),
  );
  const verifierUrl = `http://127.0.0.1:${ports.verifier}`;

  // An org whose keys inherit unusualActivity, and one that turned it off.
  const org = await ensureOrg(db, 'parity-org');
  await db
    .update(orgs)
    .set({ alerts: { unusualActivity: true } })
    .where(eq(orgs.id, org.id));
  const quietOrg = await ensureOrg(db, 'parity-quiet-org');
  await db
    .update(orgs)
    .set({ alerts: { unusualActivity: false } })
    .where(eq(orgs.id, quietOrg.id));

  const now = Date.now();
  const makeKey = async (name: string, orgId: string, settings: AlertSettings | undefined, ageDays = 20) => {
    const { secret, key } = await issueKey(
      db,
      orgId,
      newKeySchema.parse({ name, scopes: ['chat'], alerts: settings }),
    );
    // Old enough that the learning period is long over when the history begins.
    await db
      .update(apiKeys)
      .set({ createdAt: new Date(now - ageDays * DAY_MS) })
      .where(eq(apiKeys.id, key.id));
    return { name, id: key.id, orgId, prefix: key.prefix, secret };
  };
  keys.usage = await makeKey('usage', org.id, {
    unusualActivity: false,
    highUsage: { threshold: USAGE.threshold, period: 'daily', warnAt: USAGE.warnAt },
  });
  keys.failing = await makeKey('failing', org.id, {
    failures: { threshold: 10, period: 'daily', rate: 0.5, minRequests: 10 },
  });
  // Without settings of its own: its org's unusualActivity.
  keys.roaming = await makeKey('roaming', org.id, undefined);
  keys.fanned = await makeKey('fanned', org.id, {
    unusualActivity: { enabled: true, sensitivity: 'medium' },
  });
  keys.spiking = await makeKey('spiking', org.id, { unusualActivity: { enabled: true, learningDays: 7 } });
  keys.dormant = await makeKey('dormant', org.id, undefined, 60);
  keys.quiet = await makeKey('quiet', quietOrg.id, undefined);

  const event = (key: TestKey, at: number, ip: string, country: string, code: AuthEvent['code'] = 'VALID') =>
    newAuthEvent({
      at: new Date(at),
      keyId: key.id,
      orgId: key.orgId,
      keyPrefix: key.prefix,
      code,
      scope: 'chat',
      method: 'GET',
      path: '/v1/chat',
      ip,
      country,
      userAgent: 'parity-history',
      latencyMs: 1,
    });
  const expectedHours = new Map<string, number>();
  const produce = async (events: AuthEvent[]) => {
    const producer = kafka.producer();
    await producer.connect();
    try {
      for (let i = 0; i < events.length; i += 500) {
        await producer.send({
          topic: TOPICS.authEvents,
          acks: -1,
          messages: events
            .slice(i, i + 500)
            .map((e) => ({ key: messageKeyOf(e), value: encodeAuthEvent(e) })),
        });
      }
    } finally {
      await producer.disconnect();
    }
    for (const e of events) expectedHours.set(e.keyId!, (expectedHours.get(e.keyId!) ?? 0) + 1);
  };
  const counted = async () => {
    const rows = await db
      .select({
        keyId: usageBuckets.keyId,
        total: sql<number>`sum(${usageBuckets.total})::int8`.mapWith(Number),
      })
      .from(usageBuckets)
      .where(
        and(eq(usageBuckets.granularity, 'hour'), inArray(usageBuckets.keyId, [...expectedHours.keys()])),
      )
      .groupBy(usageBuckets.keyId);
    const got = new Map(rows.map((r) => [r.keyId, r.total]));
    const behind = [...expectedHours].filter(([id, n]) => got.get(id) !== n);
    if (behind.length > 0)
      throw new Error(`counted ${behind.map(([id, n]) => `${got.get(id) ?? 0}/${n} of ${id}`).join(', ')}`);
    const [outbox] = await db.select({ n: sql<number>`count(*)::int` }).from(pendingEvaluations);
    if (outbox!.n > 0) throw new Error(`${outbox!.n} evaluation requests not queued yet`);
    return true;
  };

  // Two weeks of steady hourly traffic, up to the hour before this one: GB and US, three IPs.
  const thisHour = now - (now % HOUR_MS);
  const history: AuthEvent[] = [];
  for (let hour = thisHour - HISTORY_DAYS * DAY_MS; hour < thisHour; hour += HOUR_MS) {
    for (const key of [keys.roaming, keys.fanned, keys.spiking, keys.quiet]) {
      history.push(event(key, hour + 10 * MINUTE_MS, GB[(hour / HOUR_MS) % 2]!, 'GB'));
      history.push(event(key, hour + 40 * MINUTE_MS, US, 'US'));
    }
  }
  // The dormant key was last used 40 days ago.
  const longAgo = thisHour - 40 * DAY_MS;
  for (let i = 0; i < 3; i++) history.push(event(keys.dormant, longAgo + (5 + i) * MINUTE_MS, GB[0]!, 'GB'));
  await produce(history);
  await waitFor('the history counted', counted, { timeoutMs: 60_000, intervalMs: 200 });

  // The alerter starts on the whole history: a baseline it learns is never learned from part of it
  // (its cache of baselines is not told of late events; the backtest's is).
  services.push(await startService('alerter', ctx.env, ports.alerter));
  await waitFor('the evaluations of the history', () => queuesIdle(queues.evaluate), {
    timeoutMs: 30_000,
    intervalMs: 100,
  });

  // From here to the last evaluation, within one UTC hour (the unusual signals are per hour, and
  // the live alerter dates credential stuffing by its own clock), and a minute into the UTC day
  // (the warning below goes in the minute before, in the same daily window).
  await waitFor(
    '45 s or more left in the hour, and a minute gone of the day',
    () => Date.now() % HOUR_MS <= HOUR_MS - 45_000 && Date.now() % DAY_MS >= MINUTE_MS,
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  const started = Date.now();
  liveHour = new Date(started - (started % HOUR_MS));

  // The usage key passed its warning level in the minute before: the warning and the crossing
  // are two evaluations in both pipelines (the backtest evaluates once per event-time minute).
  const minuteBefore = started - (started % MINUTE_MS) - MINUTE_MS;
  await produce(
    Array.from({ length: WARNED }, (_, i) => event(keys.usage, minuteBefore + i * 1000, GB[0]!, 'GB')),
  );
  const today = windowOf('daily', new Date(started)).start;
  await waitFor(
    'the highUsage warning',
    async () =>
      (
        await db
          .select({ id: alerts.id })
          .from(alerts)
          .where(and(eq(alerts.keyId, keys.usage.id), eq(alerts.subject, 'warning')))
      ).length === 1,
    { timeoutMs: 30_000, intervalMs: 100 },
  );

  // Live traffic, one request at a time (the verifier stamps each event "now").
  const auth = async (key: { secret: string }, ip: string, scope = 'chat') => {
    const res = await fetch(`${verifierUrl}/v1/auth`, {
      headers: { authorization: `Bearer ${key.secret}`, 'x-required-scope': scope, 'x-forwarded-for': ip },
    });
    await res.arrayBuffer();
    return res.status;
  };
  const requests = async (n: number, key: { secret: string }, ip: (i: number) => string, scope?: string) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push(await auth(key, ip(i), scope));
    return statuses;
  };
  const liveCounts = new Map<string, number>();
  const sent = (key: TestKey, statuses: number[]) => {
    liveCounts.set(key.id, (liveCounts.get(key.id) ?? 0) + statuses.length);
    return statuses;
  };
  // highUsage: 33 + 10 = 43, past the threshold of 40.
  expect(sent(keys.usage, await requests(10, keys.usage, () => GB[0]!))).toEqual(Array(10).fill(200));
  // failures: 12 of 16 refused (a scope the key lacks): past 10 failures, and 75 % ≥ 50 %.
  expect(sent(keys.failing, await requests(4, keys.failing, () => US))).toEqual(Array(4).fill(200));
  expect(sent(keys.failing, await requests(12, keys.failing, () => US, 'agents:write'))).toEqual(
    Array(12).fill(403),
  );
  // newCountry: BR, never seen for the key in its four weeks (GB and US were).
  expect(sent(keys.roaming, await requests(1, keys.roaming, () => GB[0]!))).toEqual([200]);
  expect(sent(keys.roaming, await requests(2, keys.roaming, () => BR))).toEqual([200, 200]);
  // ipFanOut: as many addresses within the hour as the floor, against two or so an hour.
  const fanOut = UNUSUAL.ipFanOut.medium.floor;
  expect(sent(keys.fanned, await requests(fanOut, keys.fanned, (i) => `81.2.69.${i + 1}`))).toEqual(
    Array(fanOut).fill(200),
  );
  // volumeSpike: past the floor of requests in the hour, against two an hour.
  const spike = UNUSUAL.volume.medium.floor + 5;
  expect(sent(keys.spiking, await requests(spike, keys.spiking, () => GB[1]!))).toEqual(
    Array(spike).fill(200),
  );
  // dormantReuse: used again after 40 idle days.
  expect(sent(keys.dormant, await requests(2, keys.dormant, () => GB[0]!))).toEqual([200, 200]);
  // Its org turned unusualActivity off: BR is news to nobody.
  expect(sent(keys.quiet, await requests(2, keys.quiet, () => BR))).toEqual([200, 200]);
  // Credential stuffing: 50 unknown keys from one source (past 30 a minute they are turned away
  // unlooked-up, 429, and still count).
  const guesses: number[] = [];
  for (let i = 0; i < GUESSES; i++) guesses.push(await auth({ secret: fakeSecret(`guess${i}`) }, attacker));
  expect(guesses.every((s) => s === 401 || s === 429)).toBe(true);

  // Every event counted, every evaluation run, and the alerts meant to fire recorded.
  for (const [id, n] of liveCounts) expectedHours.set(id, (expectedHours.get(id) ?? 0) + n);
  const expected = expectedAlerts(today, liveHour);
  await waitFor(
    'the live pipeline to count everything and record the expected alerts',
    async () => {
      await counted();
      const [keyless] = await db
        .select({ n: sql<number>`coalesce(sum(${keylessFailures.count}), 0)::int` })
        .from(keylessFailures)
        .where(eq(keylessFailures.ip, attacker));
      if (keyless!.n !== GUESSES) throw new Error(`${keyless!.n} of ${GUESSES} unknown keys counted`);
      const recorded = await liveAlerts();
      const missing = expected.filter((e) => !recorded.some((r) => JSON.stringify(r) === JSON.stringify(e)));
      if (missing.length > 0) throw new Error(`missing ${JSON.stringify(missing)}`);
      return queuesIdle(queues.evaluate);
    },
    { timeoutMs: 45_000, intervalMs: 200 },
  );
  const lastEvaluated = Date.now();
  live = await liveAlerts();

  // Every event of this test, read back from the topic up to its end now.
  const events = await readTopic(
    (e) =>
      (e.keyId !== null && Object.values(keys).some((k) => k.id === e.keyId)) ||
      (e.keyId === null && e.ip === attacker),
  );
  // In event time (sequence numbers break ties within a millisecond).
  events.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || (a.seq ?? -1) - (b.seq ?? -1));
  const stored = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId, createdAt: apiKeys.createdAt, alerts: apiKeys.alerts })
    .from(apiKeys)
    .where(
      inArray(
        apiKeys.id,
        Object.values(keys).map((k) => k.id),
      ),
    );
  const orgSettings = new Map<string, AlertSettings>();
  for (const o of await db.select({ id: orgs.id, alerts: orgs.alerts }).from(orgs))
    if (o.alerts) orgSettings.set(o.id, o.alerts);
  const backtest = new Backtest({ keys: stored satisfies BacktestKey[], orgSettings });
  const fired = events.flatMap((e) => backtest.push(e));
  fired.push(...backtest.end());
  expect(backtest.summary()).toMatchObject({ events: events.length, malformed: 0 });
  replayed = fired.map((a) => ({
    keyId: a.keyId,
    rule: a.rule,
    subject: a.subject,
    severity: a.severity,
    period: a.window.period,
    windowStart: a.window.start,
  }));
  // Still the hour everything was designed to fall in (else the guard above is too tight).
  expect(windowOf('hourly', new Date(lastEvaluated)).start, 'the live phase crossed an hour').toEqual(
    liveHour,
  );
}, 300_000);

afterAll(async () => {
  for (const service of services.reverse()) await service.stop();
  await queues?.close();
  await ctx?.close();
});

/** This test's alerts in the alerts table (credential stuffing from other files' sources left out). */
async function liveAlerts(): Promise<Identity[]> {
  const rows = await ctx.database.db
    .select({
      keyId: alerts.keyId,
      rule: alerts.rule,
      subject: alerts.subject,
      severity: alerts.severity,
      period: alerts.period,
      windowStart: alerts.windowStart,
    })
    .from(alerts)
    .where(
      or(
        inArray(
          alerts.keyId,
          Object.values(keys).map((k) => k.id),
        ),
        and(isNull(alerts.keyId), eq(alerts.subject, `credentialStuffing:${attacker}`)),
      ),
    );
  return rows.map((r) => ({ ...r, windowStart: r.windowStart.toISOString() }));
}

/** The alerts the traffic was made to trip, each once. */
function expectedAlerts(today: Date, hour: Date): Identity[] {
  const daily = (key: TestKey, rule: string, subject: string, severity: string): Identity => ({
    keyId: key.id,
    rule,
    subject,
    severity,
    period: 'daily',
    windowStart: today.toISOString(),
  });
  const hourly = (keyId: string | null, subject: string, severity: string): Identity => ({
    keyId,
    rule: 'unusualActivity',
    subject,
    severity,
    period: 'hourly',
    windowStart: hour.toISOString(),
  });
  return [
    daily(keys.usage, 'highUsage', 'warning', 'warning'),
    daily(keys.usage, 'highUsage', 'critical', 'critical'),
    daily(keys.failing, 'failures', 'count', 'critical'),
    daily(keys.failing, 'failures', 'rate', 'critical'),
    hourly(keys.roaming.id, 'newCountry:BR', 'warning'),
    hourly(keys.fanned.id, 'ipFanOut', 'critical'),
    hourly(keys.spiking.id, 'volumeSpike', 'critical'),
    hourly(keys.dormant.id, 'dormantReuse', 'warning'),
    hourly(null, `credentialStuffing:${attacker}`, 'critical'),
  ];
}

/**
 * The topic from the beginning up to its end offsets now (every event of this test is in: the
 * aggregator has counted them), keeping those that `match`.
 */
async function readTopic(match: (e: AuthEvent) => boolean): Promise<AuthEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(TOPICS.authEvents).finally(() => admin.disconnect());
  // The next offset still to read, per partition with messages.
  const pending = new Map(
    ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
  );
  const events: AuthEvent[] = [];
  if (pending.size === 0) return events;
  const consumer = kafka.consumer({ groupId: `parity-reader-${Date.now()}`, maxWaitTimeInMs: 100 });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPICS.authEvents, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const end = pending.get(batch.partition);
        if (end === undefined) return;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= end) break;
          const decoded = decodeAuthEvent(message.value);
          if (decoded.ok && match(decoded.event)) events.push(decoded.event);
          if (BigInt(message.offset) + 1n >= end) pending.delete(batch.partition);
        }
        if (pending.size === 0) done();
      },
    });
    await waitFor('the topic read up to its end', () => pending.size === 0 || undefined, {
      timeoutMs: 30_000,
      intervalMs: 50,
    }).catch((err) => {
      done();
      throw err;
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return events;
}

describe('the backtest and the live pipeline, over the same traffic', () => {
  it('records what the traffic was made to trip, in both (no vacuous agreement)', () => {
    const expected = sortIdentities(expectedAlerts(windowOf('daily', liveHour).start, liveHour));
    expect(sortIdentities(live)).toEqual(expect.arrayContaining(expected));
    expect(sortIdentities(replayed)).toEqual(expect.arrayContaining(expected));
    expect(new Set(live.map((a) => a.rule))).toEqual(new Set(['highUsage', 'failures', 'unusualActivity']));
  });

  it('the backtest fires exactly the alerts the alerter recorded', () => {
    const notQuiet = (list: Identity[]) => list.filter((a) => a.keyId !== keys.quiet.id);
    expect(sortIdentities(notQuiet(replayed))).toEqual(sortIdentities(notQuiet(live)));
  });

  it('a key without settings of its own follows its org’s in both (here: unusualActivity off)', () => {
    const quiet = (list: Identity[]) => list.filter((a) => a.keyId === keys.quiet.id);
    expect(quiet(live)).toEqual([]);
    expect(sortIdentities(quiet(replayed))).toEqual(sortIdentities(quiet(live)));
  });
});

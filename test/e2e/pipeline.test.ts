import { randomBytes } from 'node:crypto';
import { createKeywatchClient, dataOf, type NewApiKey } from '@keywatch/client';
import { apiKeys, usageBuckets } from '@keywatch/db';
import type { Queues } from '@keywatch/jobs';
import { UNUSUAL } from '@keywatch/rules';
import {
  cliPath,
  type FakeSlack,
  fakeSecret,
  queuesIdle,
  runCommand,
  type SmtpSink,
  type TestContext,
  waitFor,
} from '@keywatch/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline } from './pipeline-harness.ts';

let pipeline: Pipeline;
let ctx: TestContext;
let slack: FakeSlack;
let mail: SmtpSink;
let queues: Queues;
let env: Record<string, string>;
let verifierUrl: string;

beforeAll(async () => {
  pipeline = await startPipeline('e2e');
  ({ ctx, slack, mail, queues, env, verifierUrl } = pipeline);
}, 120_000);

afterAll(async () => {
  const codes = await pipeline?.stop();
  // Every service stops cleanly on SIGTERM.
  expect(codes).toEqual([0, 0, 0, 0]);
});

const cli = async (...args: string[]) => {
  const result = await runCommand([cliPath, ...args], env);
  if (result.code !== 0)
    throw new Error(`keywatch ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
};

/** The management API as a client of it would call it: through the typed client. */
const api = (adminKey: string) => createKeywatchClient({ baseUrl: verifierUrl, adminKey });

const auth = (secret: string, scope: string, clientIp: string) =>
  fetch(`${verifierUrl}/v1/auth`, {
    headers: { authorization: `Bearer ${secret}`, 'x-required-scope': scope, 'x-forwarded-for': clientIp },
  });

describe('keywatch pipeline', () => {
  it('HTTP in, counts in Postgres, one Slack message out, rotation flag', async () => {
    const admin = await cli('keys', 'create', '--org', 'e2e-org', '--name', 'ops-admin', '--scopes', 'admin');
    expect(admin.key).toMatch(/^sk_live_/);

    const created = await api(admin.key).POST('/api/api-keys', {
      body: {
        name: 'checkout-service',
        scopes: ['chat'],
        // No warning first: this checks one message per crossing (the warning has its own test below).
        alerts: { highUsage: { threshold: 20, period: 'daily', warnAt: null } },
      },
    });
    expect(created.response.status).toBe(201);
    const key = dataOf(created);

    // 30 verifications: 20 good from GB and 8 missing a scope from US (forward-auth), 2 good from NL (JSON).
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await auth(key.key, 'chat', '81.2.69.142')).status);
    for (let i = 0; i < 8; i++) statuses.push((await auth(key.key, 'agents:write', '8.8.8.8')).status);
    for (let i = 0; i < 2; i++) {
      const res = await api(admin.key).POST('/v1/verify', {
        body: { key: key.key, scope: 'chat', ip: '145.53.1.1' },
      });
      statuses.push(dataOf(res).valid ? 200 : 0);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(22);
    expect(statuses.filter((s) => s === 403)).toHaveLength(8);
    // Unknown keys are answered (and streamed) but count against no key.
    expect((await auth(fakeSecret('unknown'), 'chat', '8.8.8.8')).status).toBe(401);

    const report = async () =>
      dataOf(await api(admin.key).GET('/api/api-keys/{id}/usage', { params: { path: { id: key.id } } }));
    // Polled gently: the admin key itself is rate limited (100 a minute).
    const usage = await waitFor(
      'the usage report to count all 30',
      async () => {
        const body = await report();
        return body.requestCount === 30 && body;
      },
      { intervalMs: 500 },
    );
    expect(usage).toMatchObject({
      keyId: key.id,
      requestCount: 30,
      successCount: 22,
      failureCount: 8,
      failureRate: 8 / 30,
      byCode: { VALID: 22, INSUFFICIENT_SCOPE: 8 },
      countries: [
        { country: 'GB', count: 20 },
        { country: 'US', count: 8 },
        { country: 'NL', count: 2 },
      ],
    });
    expect(usage.series.reduce((n: number, p: { total: number }) => n + p.total, 0)).toBe(30);
    expect(new Date(usage.lastUsedAt ?? 0).getTime()).toBeGreaterThan(new Date(key.createdAt).getTime());

    // About this key: the broker is shared, so this run's other files' unknown keys may alert too.
    const aboutKey = () => slack.messages().filter((m) => String(m.body.text).includes('checkout-service'));
    const [message] = await waitFor('the Slack alert', () => aboutKey().length > 0 && aboutKey());
    expect(message!.token).toBe('xoxb-e2e-token');
    expect(message!.body.channel).toBe('#api-key-alerts');
    expect(String(message!.body.text)).toMatch(
      new RegExp(
        `^High usage: checkout-service \\(${key.prefix}…, org e2e-org\\): \\d+ requests against a threshold of 20 in \\d{4}-\\d\\d-\\d\\d UTC \\(day\\)$`,
      ),
    );
    // Once everything has been evaluated and delivered, still exactly one message for the crossing.
    await waitFor('evaluations and deliveries to finish', () => queuesIdle(queues.evaluate, queues.deliver), {
      intervalMs: 200,
    });
    expect(aboutKey()).toHaveLength(1);
    // Nothing counted twice meanwhile.
    expect((await report()).requestCount).toBe(30);
    // The alert as the admin API shows it, with its Slack delivery sent.
    const listed = dataOf(
      await api(admin.key).GET('/api/alerts', { params: { query: { keyId: key.id } } }),
    ).alerts;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      rule: 'highUsage',
      state: 'firing',
      threshold: 20,
      window: { period: 'daily' },
    });
    expect(listed[0]!.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'slack', status: 'sent' }),
        expect.objectContaining({ channel: 'email', status: 'sent' }),
      ]),
    );

    const asOf = new Date(new Date(key.createdAt).getTime() + 91 * 86_400_000).toISOString();
    const scan = await cli('rotation', 'run', '--as-of', asOf);
    expect(scan.flagged).toContain(key.id);
    expect(scan.reminded).toContain(key.id);
    const flagged = dataOf(
      await api(admin.key).GET('/api/api-keys/{id}', { params: { path: { id: key.id } } }),
    );
    expect(flagged.rotationDueAt).toBe(
      new Date(new Date(key.createdAt).getTime() + 90 * 86_400_000).toISOString(),
    );
    expect(flagged).not.toHaveProperty('hash');
    expect(flagged).not.toHaveProperty('key');
    expect(await cli('rotation', 'run', '--as-of', asOf)).toEqual({ flagged: [], reminded: [] });

    // The reminder goes out on the same deliver path, to Slack: one message for the org's keys due.
    const reminder = await waitFor('the rotation reminder', () =>
      slack
        .messages()
        .find((m) => /^Rotate API keys: \d+ keys? due in org e2e-org /.test(String(m.body.text))),
    );
    expect(JSON.stringify(reminder.body.blocks)).toContain('checkout-service (');
  });

  describe('each alert rule, from HTTP in to Slack and email out', () => {
    let admin: string;
    beforeAll(async () => {
      admin = (
        await cli('keys', 'create', '--org', 'rules-org', '--name', 'rules-admin', '--scopes', 'admin')
      ).key;
    });
    const newKey = async (name: string, alerts: NewApiKey['alerts'], more: Partial<NewApiKey> = {}) => {
      const res = await api(admin).POST('/api/api-keys', {
        body: { name, scopes: ['chat'], alerts, ...more },
      });
      expect(res.response.status).toBe(201);
      return dataOf(res);
    };
    const slackTexts = (name: string) =>
      slack
        .messages()
        .map((m) => String(m.body.text))
        .filter((t) => t.includes(`: ${name} (`));
    const mailsAbout = (name: string) => mail.mails.filter((m) => m.decoded.includes(`${name} (`));
    const arrived = (name: string, count: number) =>
      waitFor(
        `${count} alerts about ${name} in Slack and by email`,
        () => slackTexts(name).length >= count && mailsAbout(name).length >= count,
      );

    it('highUsage: a warning at 80 %, then the alert at the threshold', async () => {
      const key = await newKey('warned-service', { highUsage: { threshold: 10, period: 'hourly' } });
      for (let i = 0; i < 8; i++) await auth(key.key, 'chat', '81.2.69.142');
      await arrived('warned-service', 1);
      for (let i = 0; i < 2; i++) await auth(key.key, 'chat', '81.2.69.142');
      await arrived('warned-service', 2);
      const texts = slackTexts('warned-service');
      expect(texts[0]).toMatch(
        /^High usage \(warning\): warned-service .*: 8 requests, past the warning level of 8 \(threshold 10\)/,
      );
      expect(texts[1]).toMatch(/^High usage: warned-service .*: 10 requests against a threshold of 10/);
      expect(
        mailsAbout('warned-service')
          .map((m) => m.raw)
          .join('\n'),
      ).toContain('Subject: [keywatch critical] High usage: warned-service');
    });

    it('failures: refused requests past the threshold', async () => {
      const key = await newKey('refused-service', { failures: { threshold: 5, period: 'daily' } });
      for (let i = 0; i < 5; i++) expect((await auth(key.key, 'agents:write', '8.8.8.8')).status).toBe(403);
      await arrived('refused-service', 1);
      expect(slackTexts('refused-service')[0]).toMatch(
        /^Many failures: refused-service .*: 5 failed requests against a threshold of 5 in \d{4}-\d\d-\d\d UTC \(day\)$/,
      );
      expect(mailsAbout('refused-service')[0]!.decoded).toContain('US 5');
    });

    it('unusualActivity: a country never seen for the key', async () => {
      const key = await newKey('roaming-service', { unusualActivity: { enabled: true, learningDays: 0 } });
      await auth(key.key, 'chat', '81.2.69.142'); // GB: the baseline
      await waitFor(
        'GB counted',
        async () =>
          dataOf(await api(admin).GET('/api/api-keys/{id}/usage', { params: { path: { id: key.id } } }))
            .requestCount === 1,
        { intervalMs: 500 },
      );
      await auth(key.key, 'chat', '200.160.2.3'); // BR
      await arrived('roaming-service', 1);
      expect(slackTexts('roaming-service')).toEqual([
        expect.stringMatching(
          /^Unusual activity: roaming-service .*: first use from a new country: BR \(usually GB\) in /,
        ),
      ]);
    });

    it('unusualActivity: a fan-out to many IPs within an hour', async () => {
      const key = await newKey('fanned-service', { unusualActivity: { enabled: true, learningDays: 0 } });
      const ips = UNUSUAL.ipFanOut.medium.floor;
      for (let i = 1; i <= ips; i++) await auth(key.key, 'chat', `81.2.69.${i}`);
      await arrived('fanned-service', 1);
      expect(slackTexts('fanned-service')).toEqual([
        expect.stringMatching(
          new RegExp(`: used from ${ips} IP addresses within an hour, where 0 is usual in `),
        ),
      ]);
    });

    it('unusualActivity: a volume spike (the floor of requests in an hour, no usual traffic)', async () => {
      const key = await newKey(
        'spiking-service',
        { unusualActivity: { enabled: true, learningDays: 0 } },
        { rateLimit: { limit: 10_000, period: 'minute' } },
      );
      // All in one UTC hour: should an hour begin meanwhile, the next ones make the spike.
      const spike = UNUSUAL.volume.medium.floor;
      const hourNow = () => Math.floor(Date.now() / 3_600_000);
      let hour: number;
      do {
        hour = hourNow();
        for (let i = 0; i < spike; i++) await auth(key.key, 'chat', '81.2.69.142');
      } while (hourNow() !== hour);
      await arrived('spiking-service', 1);
      expect(slackTexts('spiking-service')[0]).toMatch(
        new RegExp(
          `^Unusual activity: spiking-service .*: ${spike} requests in an hour, where 0 is usual for this hour`,
        ),
      );
    });

    it('unusualActivity: a key used again after 30+ idle days', async () => {
      const key = await newKey('dormant-service', { unusualActivity: { enabled: true, learningDays: 0 } });
      // Its history, as the aggregator would have left it: created 60 days ago, last used 40 days ago.
      const day = 86_400_000;
      const lastUsedDay = new Date(Math.floor(Date.now() / day) * day - 40 * day);
      await ctx.database.db
        .update(apiKeys)
        .set({ createdAt: new Date(Date.now() - 60 * day) })
        .where(eq(apiKeys.id, key.id));
      await ctx.database.db.insert(usageBuckets).values({
        keyId: key.id,
        granularity: 'day',
        bucketStart: lastUsedDay,
        total: 3,
        success: 3,
        failure: 0,
      });
      await auth(key.key, 'chat', '81.2.69.142');
      await arrived('dormant-service', 1);
      expect(slackTexts('dormant-service')).toEqual([
        expect.stringMatching(
          /^Unusual activity: dormant-service .*: used again after 39 days without use in /,
        ),
      ]);
    });

    it('unusualActivity: credential stuffing, 50 unknown keys from one IP, to the default channels', async () => {
      const attacker = '192.0.2.250';
      for (let i = 0; i < 50; i++) {
        const guess = `sk_live_${randomBytes(18).toString('base64url')}`;
        // Past UNKNOWN_KEYS_PER_SOURCE_PER_MINUTE (30) the guesses are turned away unlooked-up (429),
        // and still counted.
        expect([401, 429]).toContain((await auth(guess, 'chat', attacker)).status);
      }
      const title = `Credential stuffing: ${attacker}`;
      await waitFor(
        'the credential-stuffing alert in Slack and by email',
        () =>
          slack.messages().some((m) => String(m.body.text).startsWith(title)) &&
          mail.mails.some((m) => m.decoded.includes(title)),
      );
      expect(slack.messages().filter((m) => String(m.body.text).startsWith(title))).toEqual([
        expect.objectContaining({
          body: expect.objectContaining({
            text: expect.stringContaining(`50 unknown API keys presented from ${attacker} within 10 minutes`),
          }),
        }),
      ]);
    });
  });
});

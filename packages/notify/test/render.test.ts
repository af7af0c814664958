import { describe, expect, it } from 'vitest';
import {
  alertNotification,
  reminderNotification,
  rotationDigestNotification,
  slackBlocks,
  sourceAlertNotification,
  sourceStormDigestNotification,
  stormDigestNotification,
} from '../src/index.ts';

const key = {
  id: 'b6f1c1de-0000-4000-8000-000000000001',
  name: 'billing-api',
  prefix: 'sk_live_AbC1',
  orgSlug: 'acme',
};

describe('alertNotification', () => {
  const alert = {
    rule: 'highUsage',
    subject: 'critical',
    severity: 'critical' as const,
    period: 'daily' as const,
    windowStart: new Date('2026-11-22T00:00:00Z'),
    value: 21,
    threshold: 20,
    details: {},
  };
  const n = alertNotification(alert, key);

  it('says rule, key, masked prefix, org, value against threshold and window', () => {
    expect(n.title).toBe('High usage: billing-api');
    expect(n.summary).toBe(
      'High usage: billing-api (sk_live_AbC1…, org acme): 21 requests against a threshold of 20 in 2026-11-22 UTC (day)',
    );
    expect(n.fields).toContainEqual({ label: 'Usage report', value: `/api/api-keys/${key.id}/usage` });
  });

  it('labels hourly windows by their hour', () => {
    const hourly = alertNotification(
      { ...alert, period: 'hourly', windowStart: new Date('2026-11-22T09:00:00Z'), value: 5, threshold: 5 },
      key,
    );
    expect(hourly.summary).toContain('2026-11-22T09:00 UTC (hour)');
  });

  const hour = new Date('2026-11-22T09:00:00Z');
  it.each([
    [
      { subject: 'warning', severity: 'warning', value: 16, threshold: 16, details: { of: 20 } },
      'High usage (warning): billing-api (sk_live_AbC1…, org acme): 16 requests, past the warning level of 16 (threshold 20) in 2026-11-22 UTC (day)',
    ],
    [
      { rule: 'failures', subject: 'count', value: 12, threshold: 10, details: { requests: 40 } },
      'Many failures: billing-api (sk_live_AbC1…, org acme): 12 failed requests against a threshold of 10 in 2026-11-22 UTC (day)',
    ],
    [
      {
        rule: 'failures',
        subject: 'rate',
        value: 75,
        threshold: 50,
        details: { unit: 'percent', failures: 30, requests: 40 },
      },
      'Many failures: billing-api (sk_live_AbC1…, org acme): 75 % of 40 requests failed, against a threshold of 50 % in 2026-11-22 UTC (day)',
    ],
    [
      {
        rule: 'unusualActivity',
        subject: 'newCountry:BR',
        severity: 'warning',
        period: 'hourly',
        windowStart: hour,
        value: 1,
        threshold: 1,
        details: { signal: 'newCountry', usual: { countries: ['DE', 'GB'] }, seen: { country: 'BR' } },
      },
      'Unusual activity: billing-api (sk_live_AbC1…, org acme): first use from a new country: BR (usually DE, GB) in 2026-11-22T09:00 UTC (hour)',
    ],
    [
      {
        rule: 'unusualActivity',
        subject: 'newCountry:BR',
        severity: 'warning',
        period: 'hourly',
        windowStart: hour,
        value: 1,
        threshold: 1,
        details: { signal: 'newCountry', country: 'BR' },
      },
      'Unusual activity: billing-api (sk_live_AbC1…, org acme): first use from a new country: BR in 2026-11-22T09:00 UTC (hour)',
    ],
    [
      {
        rule: 'unusualActivity',
        subject: 'volumeSpike',
        period: 'hourly',
        windowStart: hour,
        value: 900,
        threshold: 120,
        details: { signal: 'volumeSpike', usual: { requests: 30, factor: 4 }, seen: { requests: 900 } },
      },
      'Unusual activity: billing-api (sk_live_AbC1…, org acme): 900 requests in an hour, where 30 is usual for this hour in 2026-11-22T09:00 UTC (hour)',
    ],
    [
      {
        rule: 'unusualActivity',
        subject: 'dormantReuse',
        severity: 'warning',
        period: 'hourly',
        windowStart: hour,
        value: 41,
        threshold: 30,
        details: { signal: 'dormantReuse' },
      },
      'Unusual activity: billing-api (sk_live_AbC1…, org acme): used again after 41 days without use in 2026-11-22T09:00 UTC (hour)',
    ],
    [
      {
        rule: 'unusualActivity',
        subject: 'ipFanOut',
        period: 'hourly',
        windowStart: hour,
        value: 95,
        threshold: 60,
        details: { signal: 'ipFanOut', usual: { distinctIps: 40, factor: 1.5 }, seen: { distinctIps: 95 } },
      },
      'Unusual activity: billing-api (sk_live_AbC1…, org acme): used from 95 IP addresses within an hour, where 40 is usual in 2026-11-22T09:00 UTC (hour)',
    ],
  ] as const)('says what happened: %j', (over, summary) => {
    const rendered = alertNotification({ ...alert, ...over } as typeof alert, key);
    expect(rendered.summary).toBe(summary);
    expect(rendered.severity).toBe('severity' in over ? over.severity : 'critical');
  });

  it('links the usage report when the public URL is known', () => {
    const linked = alertNotification(alert, { ...key, baseUrl: 'https://keywatch.example.com/' });
    expect(linked.fields).toContainEqual({
      label: 'Usage report',
      value: `https://keywatch.example.com/api/api-keys/${key.id}/usage`,
    });
  });

  it('lists the top countries of a threshold alert', () => {
    const top = [
      { country: 'GB', count: 15 },
      { country: 'US', count: 6 },
    ];
    const rendered = alertNotification({ ...alert, details: { topCountries: top } }, key);
    expect(rendered.fields).toContainEqual({ label: 'Top countries', value: 'GB 15, US 6' });
    expect(alertNotification(alert, key).fields.map((f) => f.label)).not.toContain('Top countries');
  });

  it('renders Slack blocks with a header, the fields and a context line', () => {
    const blocks = slackBlocks(n);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(JSON.stringify(blocks)).toContain('*Value*\\n21 requests against a threshold of 20');
  });
});

describe('sourceAlertNotification', () => {
  it('names the source IP, the count against the threshold and the window, and no key', () => {
    const n = sourceAlertNotification({
      rule: 'unusualActivity',
      subject: 'credentialStuffing:203.0.113.9',
      severity: 'critical',
      period: 'hourly',
      windowStart: new Date('2026-11-22T09:00:00Z'),
      value: 57,
      threshold: 50,
      details: { signal: 'credentialStuffing', ip: '203.0.113.9', minutes: 10 },
    });
    expect(n.title).toBe('Credential stuffing: 203.0.113.9');
    expect(n.summary).toBe(
      'Credential stuffing: 203.0.113.9: 57 unknown API keys presented from 203.0.113.9 within 10 minutes (threshold 50), in 2026-11-22T09:00 UTC (hour)',
    );
    expect(n.fields).toContainEqual({ label: 'Source IP', value: '203.0.113.9' });
  });
});

describe('reminderNotification', () => {
  const created = { ...key, createdAt: new Date('2026-01-01T00:00:00Z') };
  const due = new Date('2026-04-01T00:00:00Z');
  const dayAfter = (at: Date, n: number) => new Date(at.getTime() + n * 86_400_000);

  it('gives age, due date and how to rotate', () => {
    const n = reminderNotification(created, {
      reminder: 'rotation',
      at: due,
      sequence: 0,
      asOf: dayAfter(due, 1),
    });
    expect(n.summary).toBe(
      'Rotate API key: billing-api (sk_live_AbC1…, org acme) is 91 days old and due for rotation since 2026-04-01',
    );
    expect(n.severity).toBe('warning');
    expect(n.fields).toContainEqual({ label: 'Rotate with', value: `POST /api/api-keys/${key.id}/rotate` });
  });

  it('numbers the reminders after the first', () => {
    const n = reminderNotification(created, {
      reminder: 'rotation',
      at: due,
      sequence: 1,
      asOf: dayAfter(due, 8),
    });
    expect(n.title).toBe('Rotate API key (reminder 2): billing-api');
    expect(n.summary).toContain('is 98 days old');
  });

  it('escalates as critical, with the days overdue', () => {
    const n = reminderNotification(
      { ...created, baseUrl: 'https://kw.example.com/' },
      { reminder: 'escalation', at: due, sequence: 0, asOf: dayAfter(due, 31) },
    );
    expect(n.severity).toBe('critical');
    expect(n.summary).toBe(
      'Overdue rotation: billing-api (sk_live_AbC1…, org acme) has been due for rotation since 2026-04-01, 31 days overdue; its owners have been reminded',
    );
    expect(n.fields).toContainEqual({
      label: 'Rotate with',
      value: `POST https://kw.example.com/api/api-keys/${key.id}/rotate`,
    });
  });

  it.each([
    [14, 'in 14 days'],
    [7, 'in 7 days'],
    [0.5, 'in 1 day'],
  ])('says when the key expires (%s days left)', (left, words) => {
    const expires = new Date('2026-03-01T12:00:00Z');
    const n = reminderNotification(created, {
      reminder: 'expiry',
      at: expires,
      sequence: Math.ceil(left),
      asOf: dayAfter(expires, -left),
    });
    expect(n.summary).toBe(
      `API key expires soon: billing-api (sk_live_AbC1…, org acme) expires on 2026-03-01, ${words}; rotate it to keep its clients working`,
    );
  });
});

describe('storm digests', () => {
  const minute = new Date('2026-11-29T10:42:00.000Z');

  it('lists the first 20 grouped alerts of an org’s minute and counts the rest', () => {
    const grouped = Array.from({ length: 23 }, (_, i) => ({
      rule: 'highUsage',
      subject: 'critical',
      keyName: `key-${i}`,
      prefix: `sk_live_${i}`,
    }));
    const digest = stormDigestNotification('acme', minute, grouped);
    expect(digest.title).toBe('Alert storm: 23 more alerts in org acme');
    expect(digest.summary).toContain('at 2026-11-29 10:42 UTC');
    const listed = digest.fields[0]!.value.split('\n');
    expect(listed).toHaveLength(21);
    expect(listed[0]).toBe('highUsage (critical): key-0 (sk_live_0…)');
    expect(listed.at(-1)).toBe('…and 3 more');
  });

  it('names every source of a credential-stuffing storm up to 50', () => {
    const digest = sourceStormDigestNotification(minute, ['203.0.113.1', '2001:db8::/64']);
    expect(digest.title).toBe('Credential stuffing storm: 2 more sources');
    expect(digest.fields).toEqual([{ label: 'Sources', value: '203.0.113.1, 2001:db8::/64' }]);
    const many = sourceStormDigestNotification(
      minute,
      Array.from({ length: 52 }, (_, i) => `10.0.0.${i}`),
    );
    expect(many.fields[0]!.value.endsWith(' …and 2 more')).toBe(true);
  });
});

describe('rotationDigestNotification', () => {
  const asOf = new Date('2026-06-01T09:00:00Z');
  const daysAgo = (n: number) => new Date(asOf.getTime() - n * 86_400_000);
  const line = (i: number) => ({
    name: `key-${i}`,
    prefix: `sk_live_${i}`,
    reminder: 'rotation' as const,
    at: daysAgo(100 - i),
    sequence: 0,
  });
  const digest = {
    orgSlug: 'acme',
    baseUrl: 'https://kw.example.com/',
    asOf,
    keys: 10_000,
    escalations: 0,
    lines: Array.from({ length: 20 }, (_, i) => line(i)),
    more: 9_980,
  };

  it('lists the keys it is given, counts the rest, and links to the dashboard’s rotation view', () => {
    const n = rotationDigestNotification(digest);
    expect(n.title).toBe('Rotate API keys: 10,000 keys due in org acme');
    expect(n.severity).toBe('warning');
    expect(n.summary).toBe(
      'Rotate API keys: 10,000 keys due in org acme as of 2026-06-01, the most overdue first; all of them: https://kw.example.com/rotation',
    );
    const listed = n.fields[0]!.value.split('\n');
    expect(n.fields[0]!.label).toBe('Keys');
    expect(listed).toHaveLength(21);
    expect(listed[0]).toBe('key-0 (sk_live_0…): 100 days overdue');
    expect(listed.at(-1)).toBe('…and 9,980 more');
    expect(n.fields).toContainEqual({ label: 'All of them', value: 'https://kw.example.com/rotation' });
    // Without PUBLIC_URL, the path alone, as alert notifications link.
    expect(rotationDigestNotification({ ...digest, baseUrl: undefined }).fields).toContainEqual({
      label: 'All of them',
      value: '/rotation',
    });
  });

  it('says what each key is owed: a later reminder, an escalation, an expiry', () => {
    const n = rotationDigestNotification({
      ...digest,
      keys: 3,
      escalations: 1,
      more: 0,
      lines: [
        { ...line(1), reminder: 'escalation', at: daysAgo(31) },
        { ...line(1), at: daysAgo(31), sequence: 4 },
        { ...line(2), at: daysAgo(1) },
        { ...line(3), reminder: 'expiry', at: new Date('2026-06-08T00:00:00Z'), sequence: 7 },
      ],
    });
    expect(n.title).toBe('Rotate API keys: 3 keys due in org acme (1 escalated)');
    expect(n.severity).toBe('critical');
    expect(n.fields[0]!.value.split('\n')).toEqual([
      'key-1 (sk_live_1…): 31 days overdue, escalated',
      'key-1 (sk_live_1…): 31 days overdue (reminder 5)',
      'key-2 (sk_live_2…): 1 day overdue',
      'key-3 (sk_live_3…): expires 2026-06-08, in 7 days',
    ]);
    expect(rotationDigestNotification({ ...digest, keys: 1, more: 0, lines: [line(1)] }).title).toBe(
      'Rotate API keys: 1 key due in org acme',
    );
  });

  it('keeps the list within one Slack field however long the names, and escapes them', () => {
    const hostile = `<!channel> ${'x'.repeat(200)}`;
    const n = rotationDigestNotification({
      ...digest,
      lines: digest.lines.map((l) => ({ ...l, name: hostile })),
    });
    const listed = n.fields[0]!.value.split('\n');
    expect(listed[0]).toBe(`<!channel> ${'x'.repeat(28)}… (sk_live_0…): 100 days overdue`);
    const [section] = slackBlocks(n).filter((b) => b.type === 'section') as {
      fields: { text: string }[];
    }[];
    const keys = section!.fields[0]!.text;
    expect(keys.length).toBeLessThanOrEqual(2000);
    expect(keys).toContain('&lt;!channel&gt; xxx');
    expect(keys).not.toMatch(/<!/);
  });
});

describe('slackBlocks', () => {
  it('clips a field past Slack’s 2,000 characters, never in the middle of an escape', () => {
    const n = {
      title: 't',
      severity: 'info' as const,
      summary: 's',
      fields: [{ label: 'L', value: '<'.repeat(1000) }],
    };
    const [section] = slackBlocks(n).filter((b) => b.type === 'section') as { fields: { text: string }[] }[];
    const text = section!.fields[0]!.text;
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/^\*L\*\n(&lt;)+…$/);
  });
});

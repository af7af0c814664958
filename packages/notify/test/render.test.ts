import { describe, expect, it } from 'vitest';
import { alertNotification, rotationNotification, slackBlocks } from '../src/index.ts';

const key = {
  id: 'b6f1c1de-0000-4000-8000-000000000001',
  name: 'billing-api',
  prefix: 'sk_live_AbC1',
  orgSlug: 'acme',
};

describe('alertNotification', () => {
  const n = alertNotification(
    {
      rule: 'highUsage',
      period: 'daily',
      windowStart: new Date('2026-11-22T00:00:00Z'),
      value: 21,
      threshold: 20,
    },
    key,
  );

  it('says rule, key, masked prefix, org, value against threshold and window', () => {
    expect(n.title).toBe('High usage: billing-api');
    expect(n.summary).toBe(
      'High usage: billing-api (sk_live_AbC1…, org acme): 21 requests against a threshold of 20 in 2026-11-22 UTC (day)',
    );
    expect(n.fields).toContainEqual({ label: 'Usage report', value: `/api/api-keys/${key.id}/usage` });
  });

  it('labels hourly windows by their hour', () => {
    const hourly = alertNotification(
      {
        rule: 'highUsage',
        period: 'hourly',
        windowStart: new Date('2026-11-22T09:00:00Z'),
        value: 5,
        threshold: 5,
      },
      key,
    );
    expect(hourly.summary).toContain('2026-11-22T09:00 UTC (hour)');
  });

  it('renders Slack blocks with a header, the fields and a context line', () => {
    const blocks = slackBlocks(n);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(JSON.stringify(blocks)).toContain('*Value*\\n21 / threshold 20');
  });
});

describe('rotationNotification', () => {
  it('gives age, due date and how to rotate', () => {
    const n = rotationNotification(
      { ...key, createdAt: new Date('2026-01-01T00:00:00Z') },
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(n.summary).toBe(
      'Rotate API key: billing-api (sk_live_AbC1…, org acme) is 90 days old and due for rotation since 2026-04-01',
    );
    expect(n.fields).toContainEqual({ label: 'Rotate with', value: `POST /api/api-keys/${key.id}/rotate` });
  });
});

import { loadConfig } from '@keywatch/config';
import { describe, expect, it } from 'vitest';
import { createQueues, type DeliverJob, deliveryKey } from '../src/index.ts';

describe('the deliver queue', () => {
  it('keeps failed jobs a week but never more than 10,000, so failing destinations cannot fill Redis', async () => {
    const queues = createQueues(loadConfig({ REDIS_PREFIX: `keywatch-test-queues-${process.pid}` }));
    try {
      expect(queues.deliver.defaultJobOptions.removeOnFail).toEqual({ age: 7 * 24 * 3600, count: 10_000 });
    } finally {
      await queues.close();
    }
  });
});

describe('digest jobs', () => {
  const minute = '2026-11-29T10:00:00.000Z';
  it.each([
    [{ kind: 'digest', orgId: 'o1', minute, channel: 'slack' }, `digest:o1:${minute}:slack`],
    [{ kind: 'digest', orgId: null, minute, channel: 'slack' }, `digest:keyless:${minute}:slack`],
    [
      { kind: 'digest', orgId: null, minute, channel: 'email', to: 'a@example.com' },
      `digest:keyless:${minute}:email:a@example.com`,
    ],
  ] as const)('%j is delivered once as %s', (job, key) => {
    expect(deliveryKey(job as DeliverJob)).toBe(key);
  });
});

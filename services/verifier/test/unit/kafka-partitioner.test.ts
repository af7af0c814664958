import { randomUUID } from 'node:crypto';
import { type PartitionerArgs, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionRemembered } from '../../src/kafka-partitioner.ts';

const metadata = (count: number, leaderless: number[] = []) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));

const args = (topic: string, count: number, key: string | null, leaderless?: number[]): PartitionerArgs => ({
  topic,
  partitionMetadata: metadata(count, leaderless),
  message: { key, value: '{}' },
});

describe('partitionRemembered', () => {
  it('puts every key where kafkajs’s default partitioner does, asked again and again', () => {
    const remembered = partitionRemembered();
    const reference = Partitioners.DefaultPartitioner();
    const keys = [...Array.from({ length: 300 }, () => randomUUID()), 'ip:203.0.113.9', 'ip:unknown'];
    for (let round = 0; round < 3; round++) {
      for (const key of keys)
        expect(remembered(args('auth-events', 12, key))).toBe(reference(args('auth-events', 12, key)));
    }
  });

  it('forgets when the partition count or the topic changes', () => {
    const remembered = partitionRemembered();
    const reference = Partitioners.DefaultPartitioner();
    const keys = Array.from({ length: 200 }, () => randomUUID());
    for (const [topic, count] of [
      ['auth-events', 12],
      ['auth-events', 7],
      ['other', 3],
      ['auth-events', 12],
    ] as const) {
      const placed = keys.map((key) => remembered(args(topic, count, key)));
      expect(placed).toEqual(keys.map((key) => reference(args(topic, count, key))));
      expect(new Set(placed).size).toBeGreaterThan(1);
    }
  });

  it('leaves keyless messages to the default (round robin over partitions with a leader)', () => {
    const remembered = partitionRemembered();
    const placed = Array.from({ length: 40 }, () => remembered(args('auth-events', 4, null, [1])));
    expect(new Set(placed)).toEqual(new Set([0, 2, 3]));
  });
});

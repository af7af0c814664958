import type { AuthEvent } from '@keywatch/events';
import { authEventFixture } from '@keywatch/testkit';
import { describe, expect, it } from 'vitest';
import { dropReplays } from '../src/replays.ts';

const from = (producerId: string, seq: number): AuthEvent => ({ ...authEventFixture(), producerId, seq });
const seqs = (events: AuthEvent[]) => events.map((e) => `${e.producerId}:${e.seq}`);

describe('dropReplays', () => {
  it('keeps everything new', () => {
    const r = dropReplays([from('a', 0), from('a', 1), from('b', 0)], new Map());
    expect(seqs(r.fresh)).toEqual(['a:0', 'a:1', 'b:0']);
    expect(r.replays).toBe(0);
    expect(r.maxSeq).toEqual(
      new Map([
        ['a', 1],
        ['b', 0],
      ]),
    );
  });

  it('drops what a previous batch applied', () => {
    const r = dropReplays([from('a', 4), from('a', 5), from('a', 6)], new Map([['a', 5]]));
    expect(seqs(r.fresh)).toEqual(['a:6']);
    expect(r.replays).toBe(2);
  });

  it('drops a resent run inside one batch', () => {
    const r = dropReplays([from('a', 0), from('a', 1), from('a', 0), from('a', 1), from('a', 2)], new Map());
    expect(seqs(r.fresh)).toEqual(['a:0', 'a:1', 'a:2']);
    expect(r.replays).toBe(2);
  });

  it('keeps producers apart, with gaps (other partitions got those numbers)', () => {
    const r = dropReplays([from('a', 10), from('b', 3), from('a', 15), from('b', 3)], new Map([['b', 2]]));
    expect(seqs(r.fresh)).toEqual(['a:10', 'b:3', 'a:15']);
    expect(r.maxSeq).toEqual(
      new Map([
        ['a', 15],
        ['b', 3],
      ]),
    );
  });

  it('passes events without producer or sequence through, remembering no sequence for them', () => {
    const plain = authEventFixture();
    const noSeq: AuthEvent = { ...authEventFixture(), producerId: 'a' };
    const noProducer: AuthEvent = { ...authEventFixture(), seq: 7 };
    const r = dropReplays([plain, plain, noSeq, noSeq, noProducer, noProducer], new Map([['a', 5]]));
    expect(r.fresh).toHaveLength(6);
    expect(r.replays).toBe(0);
    expect(r.maxSeq).toEqual(new Map());
  });
});

import { describe, expect, it } from 'vitest';
import { missedScan } from '../../src/schedule.ts';

const at = (iso: string) => new Date(iso);

describe('missedScan (daily at 09:00 UTC)', () => {
  it.each([
    ['never ran', null, '2026-11-22T12:00:00Z', true],
    ['ran at today 09:00', '2026-11-22T09:00:01Z', '2026-11-22T12:00:00Z', false],
    ['ran yesterday, after 09:00 today', '2026-11-21T09:00:01Z', '2026-11-22T12:00:00Z', true],
    ['ran yesterday, before 09:00 today', '2026-11-21T09:00:01Z', '2026-11-22T08:59:00Z', false],
    ['ran two days ago, before 09:00 today', '2026-11-20T09:00:01Z', '2026-11-22T08:59:00Z', true],
  ])('%s', (_name, last, now, expected) => {
    expect(missedScan('0 9 * * *', last ? at(last) : null, at(now))).toBe(expected);
  });

  it('reads the schedule in UTC, and six-field (seconds) expressions', () => {
    expect(missedScan('0 0 9 * * 1', at('2026-11-16T09:00:00Z'), at('2026-11-22T12:00:00Z'))).toBe(false);
    expect(missedScan('0 0 9 * * 1', at('2026-11-16T08:59:00Z'), at('2026-11-22T12:00:00Z'))).toBe(true);
  });
});

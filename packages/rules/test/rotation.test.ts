import { describe, expect, it } from 'vitest';
import { needsRotationFlag, rotationDueAt } from '../src/index.ts';

const created = new Date('2026-01-01T00:00:00Z');
const DAY = 86_400_000;
const after = (ms: number) => new Date(created.getTime() + ms);
const key = (over: Partial<Parameters<typeof needsRotationFlag>[0]> = {}) => ({
  createdAt: created,
  revokedAt: null,
  expiresAt: null,
  rotationDueAt: null,
  rotatedAt: null,
  ...over,
});

describe('needsRotationFlag (90 days)', () => {
  it.each([
    ['89 days', after(89 * DAY), false],
    ['exactly 90 days', after(90 * DAY), false],
    ['90 days and a second', after(90 * DAY + 1000), true],
    ['91 days', after(91 * DAY), true],
    ['400 days', after(400 * DAY), true],
  ])('a key aged %s: %s', (_age, asOf, expected) => {
    expect(needsRotationFlag(key(), asOf, 90)).toBe(expected);
  });

  it('leaves revoked keys alone', () => {
    expect(needsRotationFlag(key({ revokedAt: after(10 * DAY) }), after(91 * DAY), 90)).toBe(false);
  });

  it('counts a revocation only once it has happened', () => {
    expect(needsRotationFlag(key({ revokedAt: after(100 * DAY) }), after(91 * DAY), 90)).toBe(true);
  });

  it('leaves expired keys alone but flags keys expiring later', () => {
    expect(needsRotationFlag(key({ expiresAt: after(50 * DAY) }), after(91 * DAY), 90)).toBe(false);
    expect(needsRotationFlag(key({ expiresAt: after(365 * DAY) }), after(91 * DAY), 90)).toBe(true);
  });

  it('leaves rotated keys (in their grace period) alone', () => {
    expect(needsRotationFlag(key({ rotatedAt: after(89 * DAY) }), after(91 * DAY), 90)).toBe(false);
  });

  it('does not flag twice', () => {
    expect(needsRotationFlag(key({ rotationDueAt: after(90 * DAY) }), after(120 * DAY), 90)).toBe(false);
  });

  it('follows the configured age', () => {
    expect(needsRotationFlag(key(), after(31 * DAY), 30)).toBe(true);
    expect(rotationDueAt(created, 30)).toEqual(after(30 * DAY));
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { generateSecret, randomBase62 } from '../src/secret.ts';

// The random bytes a secret is drawn from, chosen by each test (vi.mock is hoisted above the imports).
const drawn = vi.hoisted(() => ({ bytes: [] as number[] }));
vi.mock('node:crypto', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:crypto')>()),
  randomBytes: (size: number) => Buffer.from(drawn.bytes.splice(0, size)),
}));

describe('randomBase62 over given random bytes', () => {
  beforeEach(() => {
    drawn.bytes = [];
  });

  it('maps a byte to the base62 character of its remainder', () => {
    drawn.bytes = [0, 9, 10, 35, 36, 61, 62, 247];
    expect(randomBase62(8)).toBe('09AZaz0z');
  });

  it('skips bytes 248 to 255, which would make the first eight characters likelier than the rest', () => {
    drawn.bytes = [248, 249, 255, 1, 250, 2];
    expect(randomBase62(2)).toBe('12');
  });

  it('draws again until it has enough characters', () => {
    drawn.bytes = [255, 255, 255, 255, 255, 255, 5, 6, 7];
    expect(randomBase62(3)).toBe('567');
  });

  it('makes a secret of sk_live_ and 32 of them', () => {
    drawn.bytes = Array.from({ length: 64 }, (_, i) => i);
    // Built, not written out: a literal of the secret's shape reads as a leaked key to scanners.
    const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    expect(generateSecret()).toBe(`sk_live_${base62.slice(0, 32)}`);
  });
});

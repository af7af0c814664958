import { describe, expect, it } from 'vitest';
import { newClusterId } from '../src/kafka.ts';

describe('newClusterId', () => {
  it('is 22 base64url characters and never starts with "-" (taken for an option by StorageTool)', () => {
    for (let i = 0; i < 5000; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { keysCommand } from '../src/commands/keys.ts';

describe('keywatch keys create --org', () => {
  it.each(['acme\nBcc: x', 'ac\rme', 'ac\u0000me', 'ac\u009bme'])('refuses the org name %j', async (org) => {
    await expect(keysCommand(['create', '--org', org, '--name', 'k', '--scopes', 'chat'])).rejects.toThrow(
      /^--org: must not contain control characters/,
    );
  });
});

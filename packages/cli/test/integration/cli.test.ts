import { join } from 'node:path';
import { cliPath, createTestContext, repoRoot, runCommand, type TestContext } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext('cli');
});
afterAll(async () => ctx?.close());

const keywatch = (...args: string[]) => runCommand([cliPath, ...args], ctx.env);

describe('keywatch keys create', () => {
  it('creates the org and a key, printing JSON with the secret and no hash', async () => {
    const run = await keywatch(
      'keys',
      'create',
      '--org',
      'acme',
      '--name',
      'ci',
      '--scopes',
      'chat,agents:read',
      '--expires-at',
      '2030-01-01',
      '--type',
      'personal',
      '--owner-email',
      'ana@example.com',
    );
    expect(run.code).toBe(0);
    const key = JSON.parse(run.stdout);
    expect(key).toMatchObject({
      name: 'ci',
      scopes: ['chat', 'agents:read'],
      type: 'personal',
      ownerEmail: 'ana@example.com',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(key.key).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(key.prefix).toBe(key.key.slice(0, 12));
    expect(key).not.toHaveProperty('hash');
  });

  it.each([
    [['--org', 'acme', '--name', 'x', '--scopes', 'root'], /--scopes\.0: /],
    [
      ['--org', 'acme', '--name', 'x', '--scopes', 'chat', '--type', 'personal'],
      /--owner-email: is required for a personal key/,
    ],
    [['--org', 'acme', '--name', 'x', '--scopes', 'chat', '--expires-at', 'soon'], /--expires-at: /],
    [['--name', 'x', '--scopes', 'chat'], /--org is required/],
    [['--org', 'acme', '--name', 'x', '--scopes', 'chat', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j with exit 2 naming the flag', async (args, message) => {
    const run = await keywatch('keys', 'create', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('keywatch rotation run', () => {
  it('prints the contract summary; a dry run flags nothing for real', async () => {
    const created = JSON.parse(
      (await keywatch('keys', 'create', '--org', 'rot', '--name', 'old', '--scopes', 'chat')).stdout,
    );
    const asOf = new Date(Date.parse(created.createdAt) + 91 * 86_400_000).toISOString();
    const dry = await keywatch('rotation', 'run', '--as-of', asOf, '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).flagged).toContain(created.id);
    expect(JSON.parse(dry.stdout).reminded).toEqual([]);
    const real = JSON.parse((await keywatch('rotation', 'run', '--as-of', asOf)).stdout);
    expect(real.flagged).toContain(created.id);
    expect(real.reminded).toContain(created.id);
  });

  it('refuses a bad --as-of', async () => {
    const run = await keywatch('rotation', 'run', '--as-of', 'tomorrow-ish');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--as-of: not a date: tomorrow-ish');
  });
});

describe('start-up with a bad environment', () => {
  it.each(['verifier', 'aggregator', 'alerter', 'rotation'])(
    '%s stops at once naming the variable',
    async (service) => {
      const run = await runCommand([join(repoRoot, 'services', service, 'src', 'main.ts')], {
        ...ctx.env,
        REDIS_URL: 'not-a-url',
        ROTATION_MAX_AGE_DAYS: 'ninety',
      });
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).toMatch(
        /cannot start: invalid environment: .*REDIS_URL: must be a URL/,
      );
      expect(run.stdout + run.stderr).toContain('ROTATION_MAX_AGE_DAYS');
    },
  );
});

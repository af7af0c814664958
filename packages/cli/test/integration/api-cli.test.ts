import { randomUUID } from 'node:crypto';
import { alerts, deliveries, rebuildOrgUsage, usageBuckets } from '@keywatch/db';
import { freePort } from '@keywatch/infra';
import {
  buildForTest,
  builtCliPath,
  createTestContext,
  insertBulkKeys,
  runCommand,
  type ServiceProcess,
  startService,
  type TestContext,
} from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The admin commands as a user runs them: the real binary, built as `npm start` and the image run
// it (a third of the start-up time of running its TypeScript through tsx, on every command here),
// against one real verifier process. cli.test.ts runs the sources.
let ctx: TestContext;
let verifier: ServiceProcess;
let env: Record<string, string>;
let admin: { id: string; orgId: string; key: string };

const run = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCommand([builtCliPath, ...args], { ...env, ...extraEnv }, { built: true });

/** A command that must succeed: its stdout. */
async function ok(...args: string[]): Promise<string> {
  const result = await run(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}
const json = async (...args: string[]) => JSON.parse(await ok(...args, '--json'));

/** A key issued straight into Postgres by `keywatch keys create`, secret included. */
async function createKey(org: string, name: string, scopes = 'chat') {
  return JSON.parse(await ok('keys', 'create', '--org', org, '--name', name, '--scopes', scopes));
}

beforeAll(async () => {
  await buildForTest(['@keywatch/cli']);
  ctx = await createTestContext('cli_api');
  const port = await freePort();
  env = { ...ctx.env, KEYWATCH_URL: `http://127.0.0.1:${port}` };
  verifier = await startService('verifier', { ...ctx.env, VERIFIER_PORT: String(port) }, port);
  admin = await createKey('acme', 'admin', 'admin');
  env.KEYWATCH_ADMIN_KEY = admin.key;
}, 120_000);
afterAll(async () => {
  await verifier?.stop();
  await ctx?.close();
});

describe('keywatch keys', () => {
  it('list: a table of the org’s keys, and --json every key without secrets', async () => {
    const ci = await createKey('acme', 'ci');
    const table = await ok('keys', 'list');
    const [header, ...rows] = table.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual([
      'ID',
      'NAME',
      'TYPE',
      'PREFIX',
      'SCOPES',
      'STATUS',
      'CREATED',
      'LAST USED',
      'EXPIRES',
    ]);
    expect(rows.find((r) => r.startsWith(ci.id))).toMatch(/ ci +organization +sk_live_\S+ +chat +active /);
    expect(rows.find((r) => r.startsWith(admin.id))).toContain('admin');
    expect(table).not.toContain(ci.key);

    const keys = await json('keys', 'list');
    expect(keys.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining([admin.id, ci.id]));
    expect(JSON.stringify(keys)).not.toMatch(/sk_live_\w{32}/);
    expect(await json('keys', 'list', '--limit', '1')).toHaveLength(1);
  });

  it('list follows every page, and --rotation-due keeps the keys past their rotation date', async () => {
    const bulkAdmin = await createKey('bulk', 'admin', 'admin');
    await insertBulkKeys(ctx.database.db, {
      orgId: bulkAdmin.orgId,
      count: 1500,
      asOf: new Date(),
      dueEvery: 500,
    });
    const asBulk = (...args: string[]) => run([...args, '--json'], { KEYWATCH_ADMIN_KEY: bulkAdmin.key });
    const all = JSON.parse((await asBulk('keys', 'list')).stdout);
    expect(all).toHaveLength(1501); // more than a page of 1000
    expect(new Set(all.map((k: { id: string }) => k.id)).size).toBe(1501);
    const due = JSON.parse((await asBulk('keys', 'list', '--rotation-due')).stdout);
    expect(due.map((k: { name: string }) => k.name).sort()).toEqual(['bulk-1000', 'bulk-1500', 'bulk-500']);
    // Old enough, though no scan has flagged them yet: the table says so.
    const table = await run(['keys', 'list', '--rotation-due'], { KEYWATCH_ADMIN_KEY: bulkAdmin.key });
    expect(table.stdout.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(/ bulk-1500 .* rotation due /),
      expect.stringMatching(/ bulk-1000 .* rotation due /),
      expect.stringMatching(/ bulk-500 .* rotation due /),
    ]);
  });

  it('show: one key’s fields, and --json the API’s key', async () => {
    const key = await createKey('acme', 'shown');
    const shown = await ok('keys', 'show', key.id);
    expect(shown).toMatch(new RegExp(`^id: +${key.id}$`, 'm'));
    expect(shown).toMatch(/^name: +shown$/m);
    expect(shown).toMatch(/^revoked: +-$/m);
    expect(shown).not.toContain(key.key);
    const { key: _secret, ...view } = key;
    expect(await json('keys', 'show', key.id)).toEqual(view);
  });

  it('rotate: the new secret printed once, labelled; the old key marked rotated', async () => {
    const old = await createKey('acme', 'rotated');
    const out = await ok('keys', 'rotate', old.id, '--grace-period', '1h');
    const secrets = out.match(/sk_live_[0-9A-Za-z]{32}/g);
    expect(secrets).toHaveLength(1);
    expect(out).toMatch(new RegExp(`shown this once only.*\\n${secrets![0]}\\n$`));
    expect(out).toContain('keeps working for 1h');

    const before = await json('keys', 'show', old.id);
    expect(before.rotatedAt).not.toBeNull();
    const successor = (await json('keys', 'list')).find(
      (k: { rotatedFromId: string }) => k.rotatedFromId === old.id,
    );
    expect(successor).toMatchObject({ name: 'rotated', prefix: secrets![0]!.slice(0, 12) });
    // Rotating the same key again is a conflict the API refuses.
    const again = await run(['keys', 'rotate', old.id]);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toMatch(/^keywatch keys rotate: 409 conflict: /);
  });

  it('revoke: the key is revoked and listed so', async () => {
    const key = await createKey('acme', 'revoked');
    expect(await ok('keys', 'revoke', key.id)).toContain(`revoked key ${key.id} (revoked)`);
    expect((await json('keys', 'show', key.id)).revokedAt).not.toBeNull();
    const row = (await ok('keys', 'list')).split('\n').find((r) => r.startsWith(key.id));
    expect(row).toMatch(/ revoked /);
  });
});

describe('keywatch usage', () => {
  it('reports the org’s usage as a table, --json and --csv', async () => {
    const key = await createKey('acme', 'used');
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
    await ctx.database.db
      .insert(usageBuckets)
      .values({ keyId: key.id, granularity: 'day', bucketStart: today, total: 8, success: 6, failure: 2 });
    await rebuildOrgUsage(ctx.database.db, admin.orgId);

    const table = await ok('usage');
    expect(table).toMatch(/^usage from .* \(UTC\), by day$/m);
    expect(table).toMatch(/^KEY +NAME +REQUESTS +SUCCESS +FAILURES +FAILURE RATE +LAST USED$/m);
    expect(table).toMatch(new RegExp(`^${key.id} +used +8 +6 +2 +25\\.0% `, 'm'));
    expect(table).toMatch(/^total +all keys +8 +6 +2 +25\.0% /m);

    const report = await json('usage', '--granularity', 'day');
    expect(report).toMatchObject({ orgId: admin.orgId, granularity: 'day', totals: { requestCount: 8 } });
    expect(report.keys.find((k: { keyId: string }) => k.keyId === key.id)).toMatchObject({ failureCount: 2 });

    const csv = await ok('usage', '--csv');
    expect(csv.split('\r\n')[0]).toBe('key_id,bucket_start,total,success,failure,failure_rate');
    expect(csv).toContain(`${key.id},${today.toISOString()},8,6,2,0.25\r\n`);
  });

  it('--key reports one key', async () => {
    const key = await createKey('acme', 'idle');
    expect(await json('usage', '--key', key.id, '--from', '2020-01-01')).toMatchObject({
      keyId: key.id,
      requestCount: 0,
      series: [],
    });
    expect(await ok('usage', '--key', key.id)).toMatch(
      new RegExp(`^key: +${key.id}\\n(.*\\n)*requests: +0$`, 'm'),
    );
    expect(await ok('usage', '--key', key.id, '--csv')).toBe(
      'key_id,bucket_start,total,success,failure,failure_rate\r\n',
    );
  });

  it('refuses a bad date before asking', async () => {
    const result = await run(['usage', '--from', 'last tuesday']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('--from: not an ISO date or time');
  });
});

describe('keywatch alerts', () => {
  const HEADER = /^RULE +SUBJECT +SEVERITY +STATE +KEY +WINDOW \(UTC\) +VALUE\/THRESHOLD +DELIVERIES$/;

  it('an org without alerts: the header, and --json []', async () => {
    const quiet = await createKey('quiet', 'admin', 'admin');
    const asQuiet = (...args: string[]) => run(args, { KEYWATCH_ADMIN_KEY: quiet.key });
    const table = await asQuiet('alerts');
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd()).toMatch(HEADER);
    expect(JSON.parse((await asQuiet('alerts', '--json')).stdout)).toEqual([]);
  });

  it('shows each alert’s rule, key, window, value and deliveries; filters by state', async () => {
    const key = await createKey('acme', 'noisy');
    const [alert] = await ctx.database.db
      .insert(alerts)
      .values({
        keyId: key.id,
        orgId: admin.orgId,
        rule: 'failures',
        period: 'hourly',
        windowStart: new Date('2026-11-29T15:00:00Z'),
        value: 140,
        threshold: 100,
      })
      .returning();
    await ctx.database.db.insert(deliveries).values({
      alertId: alert!.id,
      kind: 'alert',
      channel: 'slack',
      status: 'failed',
      attempts: 3,
      dedupeKey: `test:${alert!.id}`,
    });

    const [header, ...rows] = (await ok('alerts', '--key', key.id)).trimEnd().split('\n');
    expect(header).toMatch(HEADER);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      new RegExp(
        `^failures +critical +critical +firing +${key.id} +hourly from 2026-11-29 15:00 +140/100 +slack failed ×3$`,
      ),
    );
    expect(await json('alerts', '--state', 'firing', '--limit', '5')).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: alert!.id, state: 'firing' })]),
    );
    expect(await json('alerts', '--state', 'resolved')).toEqual([]);
  });
});

describe('keywatch silences', () => {
  it('add, list and lift a silence', async () => {
    const key = await createKey('acme', 'load-tested');
    const added = await ok('silences', 'add', '--key', key.id, '--until', '2h', '--reason', 'load test');
    const id = /^id: +(\S+)$/m.exec(added)![1]!;
    expect(added).toMatch(new RegExp(`^key: +${key.id}$`, 'm'));
    const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const byRule = await json(
      'silences',
      'add',
      '--rule',
      'failures',
      '--until',
      until,
      '--reason',
      'deploy',
    );
    expect(byRule).toMatchObject({ keyId: null, rule: 'failures', until, reason: 'deploy' });

    const [header, ...rows] = (await ok('silences', 'list')).trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['ID', 'KEY', 'RULE', 'UNTIL (UTC)', 'REASON', 'CREATED']);
    expect(rows.find((r) => r.startsWith(id))).toMatch(
      new RegExp(` ${key.id} +- +[\\d-]+ [\\d:]+ +load test `),
    );
    expect(rows.find((r) => r.startsWith(byRule.id))).toMatch(/ - +failures +[\d-]+ [\d:]+ +deploy /);

    expect(await ok('silences', 'lift', id)).toMatch(new RegExp(`^lifted silence\\nid: +${id}$`, 'm'));
    const inForce = (await json('silences', 'list')).map((s: { id: string }) => s.id);
    expect(inForce).toContain(byRule.id);
    expect(inForce).not.toContain(id);
  });

  it.concurrent.each([
    [['--until', '2h', '--reason', 'x'], /--key or --rule is required/],
    [
      ['--rule', 'everything', '--until', '2h', '--reason', 'x'],
      /--rule: one of highUsage, failures, unusualActivity/,
    ],
    [['--rule', 'failures', '--until', 'soon', '--reason', 'x'], /--until: not an ISO time .* or a duration/],
    [['--rule', 'failures', '--until', '2h'], /--reason is required/],
  ])('add %j is a usage error', async (args, message) => {
    const result = await run(['silences', 'add', ...args]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
  });
});

describe('failures a script can tell apart', () => {
  it('a wrong admin key: exit 1, the API’s 401 on stderr, nothing on stdout', async () => {
    const wrong = `sk_live_${'x'.repeat(32)}`;
    expect(await run(['keys', 'list'], { KEYWATCH_ADMIN_KEY: wrong })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'keywatch keys list: 401 invalid_api_key: The API key provided is invalid\n',
    });
  });

  it('an unknown id is the API’s 404, exit 1', async () => {
    const id = randomUUID();
    for (const command of [
      ['keys', 'show', id],
      ['keys', 'revoke', id],
      ['silences', 'lift', id],
    ]) {
      const result = await run(command);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(new RegExp(`^keywatch ${command[0]} ${command[1]}: 404 not_found: `));
    }
  });

  it('no KEYWATCH_ADMIN_KEY: exit 2 naming it', async () => {
    const { KEYWATCH_ADMIN_KEY: _, ...without } = env;
    const result = await runCommand([builtCliPath, 'alerts'], without, { built: true });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^keywatch alerts: KEYWATCH_ADMIN_KEY is not set/);
  });

  it('a KEYWATCH_URL that is not http(s): exit 2 naming it', async () => {
    const result = await run(['keys', 'list'], { KEYWATCH_URL: 'localhost:8080' });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('KEYWATCH_URL must be an http(s) URL');
  });

  it.concurrent.each([
    [['keys', 'list', '--colour'], /Unknown option '--colour'/],
    [['keys', 'list', '--limit', 'ten'], /--limit: not a positive whole number: ten/],
    [['keys', 'show'], /missing <id>/],
    [['keys', 'rotate', randomUUID(), '--grace-period', 'a while'], /--grace-period: not a duration/],
    [['alerts', '--state', 'open'], /--state: one of firing, resolved, not open/],
    [['usage', '--csv', '--json'], /--csv and --json: choose one/],
  ])('%j: exit 2, nothing asked', async (args, message) => {
    const result = await run(args);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
  });

  it('an unknown subcommand: exit 2 with the command’s help', async () => {
    const result = await run(['silences', 'mute']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain("keywatch silences: unknown subcommand 'mute'");
    expect(result.stderr).toContain('keywatch silences add (--key <id> | --rule');
  });

  it('a verifier that cannot be reached: exit 3 naming KEYWATCH_URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const result = await run(['keys', 'list'], { KEYWATCH_URL: url });
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toContain(`keywatch keys list: cannot reach the verifier at ${url} (KEYWATCH_URL)`);
  });

  it('never prints the admin key', async () => {
    const outputs = await Promise.all([
      run(['keys', 'list', '--json']),
      run(['keys', 'list'], { KEYWATCH_URL: `http://127.0.0.1:${await freePort()}` }),
      run(['alerts', '--state', 'nope']),
    ]);
    for (const { stdout, stderr } of outputs) expect(stdout + stderr).not.toContain(admin.key);
  });
});

// Each case is its own process and asks nothing of the verifier: run them side by side.
describe.concurrent('--help', () => {
  // Help needs neither a verifier nor an admin key.
  const help = (args: string[]) => runCommand([builtCliPath, ...args], {}, { built: true });

  it.each([
    'start',
    'infra',
    'migrate',
    'keys list',
    'keys show',
    'keys revoke',
    'keys rotate',
    'keys create',
    'usage',
    'alerts',
    'silences list',
    'silences add',
    'silences lift',
    'rotation run',
  ])('keywatch %s --help prints its usage', async (command) => {
    const result = await help([...command.split(' '), '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^usage: keywatch ${command}\\b`));
  });

  it('-h is --help', async () => {
    const [short, long] = await Promise.all([
      help(['keys', 'rotate', '-h']),
      help(['keys', 'rotate', '--help']),
    ]);
    expect(short).toEqual(long);
    expect(short.code).toBe(0);
  });

  it.each(['keys', 'silences'])('keywatch %s --help lists its subcommands', async (group) => {
    const result = await help([group, '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^usage:\\n  keywatch ${group} \\w+`));
  });

  it('keywatch --help lists every command, the environment and the exit codes', async () => {
    const result = await help(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'start',
      'infra',
      'migrate',
      'keys create',
      'rotation run',
      'keys list',
      'keys show',
      'keys revoke',
      'keys rotate',
      'usage',
      'alerts',
      'silences list',
      'silences add',
      'silences lift',
    ])
      expect(result.stdout).toContain(`  keywatch ${command}`);
    expect(result.stdout).toContain('KEYWATCH_URL');
    expect(result.stdout).toContain('KEYWATCH_ADMIN_KEY');
    expect(result.stdout).toMatch(/^ {2}3 {2}the verifier could not be reached/m);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { alerts, apiKeys, ensureOrg, usageBuckets, usageCountryCounts } from '@keywatch/db';
import { encodeAuthEvent } from '@keywatch/events';
import { issueKey } from '@keywatch/key-lifecycle';
import { newKeySchema } from '@keywatch/keys';
import type { AlertSettings } from '@keywatch/rules';
import {
  authEventFixture,
  buildForTest,
  builtCliPath,
  createTestContext,
  runCommand,
  type TestContext,
} from '@keywatch/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `keywatch backtest` as production runs it, built (a third of the start-up of the sources under
// tsx, for two dozen runs): over files, stdin and gzip it needs no infrastructure; --org reads this
// file's own Postgres database.
let ctx: TestContext;
const dir = mkdtempSync(join(tmpdir(), 'keywatch-backtest-'));
beforeAll(async () => {
  await buildForTest(['@keywatch/cli']);
  ctx = await createTestContext('cli_backtest');
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ctx?.close();
});

const keywatch = (args: string[], input?: Buffer) =>
  runCommand([builtCliPath, 'backtest', ...args], ctx.env, { input, built: true });

/** A file of this test's directory, and its path. */
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const HOUR = '2026-03-02T10';
const hourlyThreshold: AlertSettings = { highUsage: { threshold: 5, period: 'hourly' } };
const org = randomUUID();
const watched = randomUUID();
const unlisted = randomUUID();
const keysFile = file(
  'keys.json',
  JSON.stringify([{ id: watched, orgId: org, createdAt: '2026-03-01T00:00:00Z', alerts: hourlyThreshold }]),
);

/** One event a minute from 10:00: six of the watched key's (past its threshold of 5), two of a key not in --keys. */
const eventLines = [
  ...[0, 1, 2, 3, 4, 5].map((minute) => ({ keyId: watched, at: `${HOUR}:0${minute}:00.000Z` })),
  ...[0, 5].map((minute) => ({ keyId: unlisted, at: `${HOUR}:0${minute}:30.000Z` })),
]
  .sort((a, b) => a.at.localeCompare(b.at))
  .map(({ keyId, at }) =>
    encodeAuthEvent(authEventFixture({ keyId, orgId: org, at: new Date(at) })).toString(),
  );
const events = `${eventLines.join('\n')}\n`;

const window = { period: 'hourly', start: `${HOUR}:00:00.000Z`, end: '2026-03-02T11:00:00.000Z' };
/** The warning at 4 (80 % of 5), fired as the minute of the 4th event is evaluated. */
const warning = {
  keyId: watched,
  rule: 'highUsage',
  subject: 'warning',
  severity: 'warning',
  state: 'firing',
  window,
  value: 4,
  threshold: 4,
  details: { of: 5, topCountries: [{ country: 'GB', count: 4 }] },
  createdAt: `${HOUR}:03:00.000Z`,
  resolvedAt: null,
  firedAt: `${HOUR}:03:00.000Z`,
};
/** Critical at the 5th event; the 6th, in the same window, records nothing more. */
const critical = {
  ...warning,
  subject: 'critical',
  severity: 'critical',
  value: 5,
  threshold: 5,
  details: { topCountries: [{ country: 'GB', count: 5 }] },
  createdAt: `${HOUR}:04:00.000Z`,
  firedAt: `${HOUR}:04:00.000Z`,
};

/** The run's stdout: its alerts (ids checked, then dropped: they are random) and its summary line. */
function output(stdout: string) {
  const lines = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  const { summary } = lines.pop();
  for (const alert of lines) expect(alert.id).toMatch(/^[0-9a-f-]{36}$/);
  return { alerts: lines.map(({ id: _id, ...alert }) => alert), summary };
}

describe('keywatch backtest --events: the alerts, then a summary', () => {
  const plain = file('events.jsonl', events);
  const gzipped = file('events.jsonl.gz', gzipSync(events));

  it.each([
    ['a JSON-lines file', [plain], undefined],
    ['a gzipped file', [gzipped], undefined],
    ['stdin', ['-'], Buffer.from(events)],
    ['gzip on stdin', ['-'], gzipSync(events)],
  ])('replays %s in event time, printing each alert as it would have fired', async (_, input, stdin) => {
    const run = await keywatch(['--events', ...input, '--keys', keysFile], stdin);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { alerts, summary } = output(run.stdout);
    expect(alerts).toEqual([warning, critical]);
    expect(summary).toEqual({
      events: 8,
      keys: 2,
      alerts: 2,
      byRule: { highUsage: 2 },
      seconds: expect.any(Number),
      malformed: 0,
      eventsPerSec: expect.any(Number),
      eventsPerCpuSec: expect.any(Number),
    });
    expect(Object.keys(summary)).toEqual([
      'events',
      'keys',
      'alerts',
      'byRule',
      'seconds',
      'malformed',
      'eventsPerSec',
      'eventsPerCpuSec',
    ]);
  });

  it('prints only alerts firing in [--from, --to); the history before builds up to them', async () => {
    const fromWarningOn = await keywatch(['--events', plain, '--keys', keysFile, '--from', `${HOUR}:04:00Z`]);
    expect(output(fromWarningOn.stdout).alerts).toEqual([critical]);
    const untilCritical = await keywatch(['--events', plain, '--keys', keysFile, '--to', `${HOUR}:04:00Z`]);
    expect(output(untilCritical.stdout)).toMatchObject({ alerts: [warning], summary: { events: 5 } });
  });

  it('takes a key missing from --keys as new at its first event: learning, so nothing fires', async () => {
    const run = await keywatch(['--events', plain]);
    expect(output(run.stdout)).toMatchObject({ alerts: [], summary: { events: 8, keys: 2, alerts: 0 } });
  });

  it('with --settings, takes them as every org’s: keys missing from --keys follow them, listed ones keep their own', async () => {
    const settings = file(
      'every-org.json',
      JSON.stringify({ highUsage: { threshold: 2, period: 'hourly', warnAt: null } }),
    );
    const run = await keywatch(['--events', plain, '--keys', keysFile, '--settings', settings]);
    const fired = output(run.stdout).alerts.map((a) => [a.keyId, a.subject, a.value]);
    expect(fired).toEqual([
      [watched, 'warning', 4],
      [watched, 'critical', 5],
      [unlisted, 'critical', 2],
    ]);
  });
});

describe('keywatch backtest --events: malformed lines are counted and warned about, never fatal', () => {
  it('skips empty lines, and replays the others around a bad one', async () => {
    const [first, ...rest] = eventLines;
    const path = file('bad-line.jsonl', [first, '', 'not json', '{"v":2}', ...rest, ''].join('\n'));
    const run = await keywatch(['--events', path, '--keys', keysFile]);
    expect(run.code).toBe(0);
    expect(output(run.stdout)).toMatchObject({
      alerts: [warning, critical],
      summary: { events: 8, malformed: 2 },
    });
    const warnings = run.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^keywatch backtest: line 3: not JSON: /);
    expect(warnings[1]).toMatch(/^keywatch backtest: line 4: not an AuthEvent: /);
  });

  it('warns about the first ten, then gives their count', async () => {
    const path = file('many-bad.jsonl', [...Array(12).fill('{'), ...eventLines].join('\n'));
    const run = await keywatch(['--events', path, '--keys', keysFile]);
    expect(run.code).toBe(0);
    expect(output(run.stdout).summary).toMatchObject({ events: 8, malformed: 12, alerts: 2 });
    const warnings = run.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(11);
    expect(warnings[9]).toMatch(/^keywatch backtest: line 10: not JSON/);
    expect(warnings[10]).toBe('keywatch backtest: 12 malformed lines, the first 10 shown above');
  });
});

describe('keywatch backtest: usage errors exit 2 naming the flag, printing nothing on stdout', () => {
  const plain = file('usage-events.jsonl', events);
  const range = ['--from', '2026-03-02', '--to', '2026-03-03'];
  it.each([
    [['--events', plain, '--colour', 'red'], /Unknown option '--colour'/],
    [['--events', plain, '--from', 'yesterday'], /--from: not an ISO date or time .*: yesterday/],
    [['--events', plain, '--from', '2026-03-03', '--to', '2026-03-02'], /--from must be before --to/],
    [[], /give --events <file\|-> \(AuthEvents\) or --org <slug>/],
    [['--events', plain, '--org', 'acme'], /--events and --org: choose one/],
    [['--org', 'acme', '--from', '2026-03-02'], /--org needs --from and --to/],
    [['--events', plain, '--settings', plain], /--settings: cannot read .*usage-events\.jsonl as JSON: /],
    [['--org', 'acme', ...range, '--keys', plain], /--keys goes with --events/],
    [['--events', join(dir, 'missing.jsonl')], /--events: cannot read .*missing\.jsonl: ENOENT/],
    [['--events', plain, '--keys', plain], /--keys: cannot read .*usage-events\.jsonl as JSON: /],
    [
      ['--events', plain, '--keys', file('keys-bad.json', '[{"id":"k1","orgId":"o"}]')],
      /--keys: 0\.id: .*; 0\.orgId: .*; 0\.createdAt: /,
    ],
    [
      ['--org', 'acme', ...range, '--settings', file('settings-bad.json', '{"highUsage":{"threshold":0}}')],
      /--settings: highUsage\.threshold: /,
    ],
  ])('refuses %j', async (args, message) => {
    const run = await keywatch(args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});

describe('keywatch backtest --org: the same over the org’s stored usage', () => {
  let keys: { own: string; inheriting: string };
  beforeAll(async () => {
    const { db } = ctx.database;
    const stored = await ensureOrg(db, 'backtested');
    const issue = async (name: string, alerts?: AlertSettings) =>
      (await issueKey(db, stored.id, newKeySchema.parse({ name, scopes: ['chat'], alerts }))).key.id;
    keys = { own: await issue('own', hourlyThreshold), inheriting: await issue('inheriting') };
    for (const keyId of Object.values(keys)) {
      await db
        .update(apiKeys)
        .set({ createdAt: new Date('2026-02-01T00:00:00Z') })
        .where(eq(apiKeys.id, keyId));
      // The hour as the aggregator stores it: six requests from GB, past the own key's threshold of 5.
      const hour = { keyId, granularity: 'hour' as const, bucketStart: new Date(`${HOUR}:00:00Z`) };
      await db.insert(usageBuckets).values({ ...hour, total: 6, success: 6, failure: 0 });
      await db.insert(usageCountryCounts).values({ ...hour, country: 'GB', count: 6 });
    }
  });
  const range = ['--from', '2026-03-02', '--to', '2026-03-03'];
  /** Each hour is decided when it ends: at 6 requests, critical at once, no warning first. */
  const criticalAt = (keyId: string, threshold: number) => ({
    ...critical,
    keyId,
    value: 6,
    threshold,
    details: { topCountries: [{ country: 'GB', count: 6 }] },
    createdAt: `${HOUR}:59:59.999Z`,
    firedAt: `${HOUR}:59:59.999Z`,
  });

  it('with the org’s settings: only the key with settings of its own fires; nothing is written', async () => {
    const run = await keywatch(['--org', 'backtested', ...range]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(output(run.stdout)).toEqual({
      alerts: [criticalAt(keys.own, 5)],
      summary: {
        events: 0,
        keys: 2,
        alerts: 1,
        byRule: { highUsage: 1 },
        seconds: expect.any(Number),
        malformed: 0,
        eventsPerSec: 0,
        eventsPerCpuSec: 0,
      },
    });
    expect(await ctx.database.db.$count(alerts)).toBe(0);
  });

  it('with --settings in the org’s place: the other key fires too, the first keeps its own', async () => {
    const settings = file('settings.json', JSON.stringify({ highUsage: { threshold: 3, period: 'hourly' } }));
    const run = await keywatch(['--org', 'backtested', ...range, '--settings', settings]);
    expect(run.code).toBe(0);
    const { alerts } = output(run.stdout);
    expect(alerts).toHaveLength(2);
    expect(alerts).toEqual(expect.arrayContaining([criticalAt(keys.own, 5), criticalAt(keys.inheriting, 3)]));
  });

  it('prints nothing before --from', async () => {
    const run = await keywatch([
      '--org',
      'backtested',
      '--from',
      '2026-03-02T11:00:00Z',
      '--to',
      '2026-03-03',
    ]);
    expect(output(run.stdout)).toMatchObject({ alerts: [], summary: { alerts: 0 } });
  });

  it('refuses an unknown org with exit 2 naming --org', async () => {
    const run = await keywatch(['--org', 'nobody', ...range]);
    expect(run.stderr).toMatch(/--org: no org nobody/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});

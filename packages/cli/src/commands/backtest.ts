import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import {
  Backtest,
  type BacktestAlert,
  type BacktestKey,
  type BacktestSummary,
  previewAlerts,
} from '@keywatch/backtest';
import { loadConfig } from '@keywatch/config';
import { apiKeys, connect, orgs, requireMigrated } from '@keywatch/db';
import { decodeAuthEvent } from '@keywatch/events';
import { describeIssues } from '@keywatch/keys';
import { type AlertSettings, alertSettingsSchema } from '@keywatch/rules';
import { and, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { isBlank, lines, openInput } from '../lines.ts';
import { isoInstant, noArguments, parse, UsageError } from '../usage.ts';

/** Warnings for malformed lines stop here (then only their count): a bad file would flood stderr. */
const WARNED_LINES = 10;

// Extra fields are ignored, so `keywatch keys list --json` output serves as it is.
const keysFileSchema = z.array(
  z.object({
    id: z.uuid(),
    orgId: z.uuid(),
    createdAt: z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
    alerts: alertSettingsSchema.nullish(),
  }),
);

/**
 * `keywatch backtest`: the alerts the live pipeline would have recorded, as JSON lines, then a
 * summary line; over AuthEvents (`--events`) or an org's stored usage (`--org`).
 */
export async function backtestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    events: { type: 'string' },
    keys: { type: 'string' },
    org: { type: 'string' },
    settings: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  noArguments(positionals);
  const from = instant('from', values.from);
  const to = instant('to', values.to);
  if (from && to && from >= to) throw new UsageError('--from must be before --to');
  if (values.events !== undefined && values.org !== undefined)
    throw new UsageError('--events and --org: choose one');

  if (values.events !== undefined) {
    const keys = values.keys === undefined ? [] : await parseJsonFile('keys', values.keys, keysFileSchema);
    // Events say nothing of their orgs' settings: --settings stands for every org's.
    const defaultSettings =
      values.settings === undefined
        ? undefined
        : await parseJsonFile('settings', values.settings, alertSettingsSchema);
    return replayEvents(values.events, { keys, from, to, defaultSettings });
  }
  if (values.org !== undefined) {
    if (values.keys !== undefined) throw new UsageError('--keys goes with --events (--org uses its keys)');
    if (!from || !to) throw new UsageError('--org needs --from and --to');
    const settings =
      values.settings === undefined
        ? undefined
        : await parseJsonFile('settings', values.settings, alertSettingsSchema);
    return previewOrg(values.org, { from, to, settings });
  }
  throw new UsageError('give --events <file|-> (AuthEvents) or --org <slug> (its stored usage)');
}

function instant(flag: string, text: string | undefined): Date | undefined {
  const iso = isoInstant(flag, text);
  return iso === undefined ? undefined : new Date(iso);
}

/** A JSON file given by `--<flag>`, checked against `schema`: any problem names the flag and field. */
async function parseJsonFile<T>(flag: string, path: string, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--${flag}: cannot read ${path} as JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new UsageError(`--${flag}: ${describeIssues(parsed.error).join('; ')}`);
  return parsed.data;
}

/** Values as JSON lines on stdout, waiting while its reader is behind rather than buffering them. */
async function printLines(values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return;
  if (!process.stdout.write(values.map((v) => `${JSON.stringify(v)}\n`).join('')))
    await once(process.stdout, 'drain');
}

const warn = (message: string) => console.error(`keywatch backtest: ${message}`);

/** The last line: the contract's fields in its order, then the extras. */
const summaryLine = (s: BacktestSummary) => ({
  summary: {
    events: s.events,
    keys: s.keys,
    alerts: s.alerts,
    byRule: s.byRule,
    seconds: s.seconds,
    malformed: s.malformed,
    eventsPerSec: s.eventsPerSec,
    eventsPerCpuSec: s.eventsPerCpuSec,
  },
});

async function replayEvents(
  input: string,
  options: { keys: BacktestKey[]; from?: Date; to?: Date; defaultSettings?: AlertSettings },
): Promise<number> {
  const chunks = await openInput('events', input);
  const backtest = new Backtest(options);
  let lineNumber = 0;
  let malformed = 0;
  for await (const line of lines(chunks)) {
    lineNumber++;
    if (isBlank(line)) continue;
    const decoded = decodeAuthEvent(line);
    if (decoded.ok) {
      const fired = backtest.push(decoded.event);
      if (fired.length > 0) await printLines(fired);
    } else {
      backtest.malformed();
      if (++malformed <= WARNED_LINES) warn(`line ${lineNumber}: ${decoded.reason}`);
    }
  }
  await printLines(backtest.end());
  if (malformed > WARNED_LINES) warn(`${malformed} malformed lines, the first ${WARNED_LINES} shown above`);
  await printLines([summaryLine(backtest.summary())]);
  return 0;
}

async function previewOrg(
  slug: string,
  options: { from: Date; to: Date; settings?: AlertSettings },
): Promise<number> {
  const started = performance.now();
  const database = connect(loadConfig().DATABASE_URL, { max: 1 });
  try {
    // Read only: a database that lacks migrations is reported, not migrated.
    await requireMigrated(database.sql);
    const { db } = database;
    const [org] = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug));
    if (!org) throw new UsageError(`--org: no org ${slug}`);
    const fired = await previewAlerts(db, { orgId: org.id, ...options });
    // The keys the preview weighs: the org's, created before --to.
    const keys = await db.$count(apiKeys, and(eq(apiKeys.orgId, org.id), lt(apiKeys.createdAt, options.to)));
    const seconds = (performance.now() - started) / 1000;
    await printLines(fired);
    await printLines([
      summaryLine({
        events: 0,
        malformed: 0,
        keys,
        alerts: fired.length,
        byRule: countByRule(fired),
        seconds: Math.round(seconds * 1000) / 1000,
        eventsPerSec: 0,
        eventsPerCpuSec: 0,
      }),
    ]);
    return 0;
  } finally {
    await database.close();
  }
}

function countByRule(alerts: readonly BacktestAlert[]): Record<string, number> {
  const byRule: Record<string, number> = {};
  for (const alert of alerts) byRule[alert.rule] = (byRule[alert.rule] ?? 0) + 1;
  return byRule;
}

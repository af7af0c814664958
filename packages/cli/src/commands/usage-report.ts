import { dataOf, type OrgUsageReport, type UsageReport } from '@keywatch/client';
import { GRANULARITIES, type Granularity } from '@keywatch/rules';
import { apiFromEnv, JSON_OPTION, printJson } from '../api.ts';
import { type Column, fields, shortTime, table } from '../table.ts';
import { type Command, isoInstant, noArguments, parse, UsageError } from '../usage.ts';

type Counts = Omit<UsageReport, 'keyId' | 'name'>;

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** The columns every usage row shares, whether a key or the org's total. */
const countColumns: Column<Counts>[] = [
  { header: 'REQUESTS', value: (r) => r.requestCount },
  { header: 'SUCCESS', value: (r) => r.successCount },
  { header: 'FAILURES', value: (r) => r.failureCount },
  { header: 'FAILURE RATE', value: (r) => percent(r.failureRate), align: 'right' },
  { header: 'LAST USED', value: (r) => shortTime(r.lastUsedAt) },
];

type Row = Counts & { keyId: string; name: string };
// The client's answer lacks `totals.keyId`: openapi-fetch's Readable<> drops a property typed `null`.
type OrgReport = Omit<OrgUsageReport, 'totals'> & { totals: Counts };

function orgReport(report: OrgReport): string {
  const rows: Row[] = [...report.keys, { ...report.totals, keyId: 'total', name: 'all keys' }];
  return [
    `usage from ${shortTime(report.from)} to ${shortTime(report.to)} (UTC), by ${report.granularity}`,
    '',
    table<Row>(
      [{ header: 'KEY', value: (r) => r.keyId }, { header: 'NAME', value: (r) => r.name }, ...countColumns],
      rows,
    ),
  ].join('\n');
}

function keyReport(report: UsageReport): string {
  const tally = (pairs: [string, number][]) => pairs.map(([name, n]) => `${name} ${n}`).join(', ');
  return [
    fields([
      ['key', report.keyId],
      ['name', report.name],
      ['requests', report.requestCount],
      ['success', report.successCount],
      ['failures', report.failureCount],
      ['failure rate', percent(report.failureRate)],
      ['last used', shortTime(report.lastUsedAt)],
      ['by result', tally(Object.entries(report.byCode))],
      ['countries', tally(report.countries.map((c) => [c.country, c.count]))],
    ]),
    '',
    table(
      [
        { header: 'FROM (UTC)', value: (p) => shortTime(p.t) },
        { header: 'TOTAL', value: (p) => p.total },
        { header: 'SUCCESS', value: (p) => p.success },
        { header: 'FAILURE', value: (p) => p.failure },
      ],
      report.series,
    ),
  ].join('\n');
}

// Both routes answer JSON or CSV by the Accept header, so the client types a JSON answer as

export const usageCommand: Command = {
  synopsis:
    'keywatch usage [--key <id>] [--from <date>] [--to <date>]\n    [--granularity minute|hour|day] [--csv] [--json]',
  details: `Requests, successes and failures: of every key and the org's total, or of one key with --key.
  --from, --to     ISO date or time (default: from the org's or key's creation to now)
  --granularity    the size of each point of the series (default day)
  --csv            one row per key and point, as the API's CSV (for spreadsheets)`,
  async run(args) {
    const { values, positionals } = parse(args, {
      key: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      granularity: { type: 'string' },
      csv: { type: 'boolean' },
      ...JSON_OPTION,
    });
    noArguments(positionals);
    if (values.csv && values.json) throw new UsageError('--csv and --json: choose one');
    const granularity = values.granularity as Granularity | undefined;
    if (granularity !== undefined && !GRANULARITIES.includes(granularity))
      throw new UsageError(`--granularity: one of ${GRANULARITIES.join(', ')}, not ${granularity}`);
    // The API takes an ISO date or time; checked here so a typo is a usage error, not a round trip.
    const query = { from: isoInstant('from', values.from), to: isoInstant('to', values.to), granularity };
    const client = apiFromEnv();

    if (values.csv) {
      const csv = { headers: { accept: 'text/csv' }, parseAs: 'text' } as const;
      const text = dataOf(
        values.key
          ? await client.GET('/api/api-keys/{id}/usage', {
              params: { path: { id: values.key }, query },
              ...csv,
            })
          : await client.GET('/api/usage', { params: { query }, ...csv }),
      );
      process.stdout.write(text);
    } else if (values.key) {
      const report = dataOf(
        await client.GET('/api/api-keys/{id}/usage', { params: { path: { id: values.key }, query } }),
      );
      if (values.json) printJson(report);
      else console.log(keyReport(report));
    } else {
      const report = dataOf(await client.GET('/api/usage', { params: { query } }));
      if (values.json) printJson(report);
      else console.log(orgReport(report));
    }
    return 0;
  },
};

/**
 * The org at a glance over a range, against the previous range of the same length: key figures,
 * requests by outcome over time, failure reasons, countries and the most used keys.
 */
import { useLayoutEffect, useMemo } from 'preact/hooks';
import { api, dataOf } from '../api.ts';
import { getCountries, getUsageSummary, rangeParams } from '../api-extra.ts';
import { loadUplot } from '../components/Chart.tsx';
import { CountriesSection } from '../components/CountriesPanel.tsx';
import { KpiCard, UsageKpis } from '../components/KpiCard.tsx';
import { Link } from '../components/Link.tsx';
import { FailureReasons, OutcomeChart } from '../components/UsagePanels.tsx';
import { RangePicker } from '../components/RangePicker.tsx';
import { ErrorBox, Loading } from '../components/Status.tsx';
import { type Column, Table } from '../components/Table.tsx';
import { loadShapes } from '../components/WorldMap.tsx';
import { codeLabel, topFailure } from '../data/failures.ts';
import { formatDateTime, formatNumber, formatPercent } from '../data/format.ts';
import { countInRange, delta, successRate } from '../data/kpi.ts';
import {
  describeRange,
  parseRange,
  previousRange,
  type RangeSpec,
  type ResolvedRange,
  rangeQuery,
  resolveRange,
} from '../data/range.ts';
import { useLoad, useNow, useTitle } from '../hooks.ts';
import { type PageProps, setQuery } from '../router.ts';

const TOP_KEYS = 10;

interface TopKey {
  keyId: string;
  name: string;
  requests: number;
  failures: number;
  rate: number | null;
  top: string | null;
}

const topColumns: Column<TopKey>[] = [
  {
    id: 'name',
    label: 'Key',
    rowHeader: true,
    render: (k) => <Link href={`/keys/${encodeURIComponent(k.keyId)}`}>{k.name}</Link>,
  },
  { id: 'requests', label: 'Requests', numeric: true, render: (k) => formatNumber(k.requests) },
  { id: 'rate', label: 'Success rate', numeric: true, render: (k) => formatPercent(k.rate) },
  { id: 'failures', label: 'Failures', numeric: true, render: (k) => formatNumber(k.failures) },
  { id: 'top', label: 'Top failure reason', render: (k) => (k.top ? codeLabel(k.top) : '—') },
];

export default function Overview({ loc }: PageProps) {
  useTitle('Overview');
  const spec = parseRange(loc.query, '7d');
  const [now, refresh] = useNow(loc.search);
  const resolved = resolveRange(spec, now);
  const onRange = (next: RangeSpec) => setQuery(rangeQuery(next), { replace: false });

  if (!resolved.ok) {
    return (
      <>
        <h1 tabIndex={-1}>Overview</h1>
        <RangePicker spec={spec} range={null} onChange={onRange} />
        <ErrorBox title="This range cannot be shown." error={new Error(resolved.error)} />
      </>
    );
  }
  return <OverviewOf range={resolved.range} spec={spec} onRange={onRange} refresh={refresh} now={now} />;
}

function OverviewOf({
  range,
  spec,
  onRange,
  refresh,
  now,
}: {
  range: ResolvedRange;
  spec: RangeSpec;
  onRange: (s: RangeSpec) => void;
  refresh: () => void;
  now: Date;
}) {
  const prev = previousRange(range);
  const key = `${range.from.getTime()}/${range.to.getTime()}/${range.granularity}`;
  // The chart's and the map's code travel beside the data rather than after it.
  useLayoutEffect(() => {
    loadUplot().catch(() => {});
    loadShapes().catch(() => {});
  }, []);
  // The totals and the ten most used keys; before, the totals alone (the org's rollups: a few
  // rows per bucket however many keys it has).
  const usage = useLoad((signal) => getUsageSummary({ ...rangeParams(range), top: TOP_KEYS }, signal), key);
  const before = useLoad((signal) => getUsageSummary({ ...rangeParams(prev), top: 0 }, signal), key);
  const countries = useLoad((signal) => getCountries(rangeParams(range), signal), key);
  const firing = useLoad(
    async (signal) =>
      dataOf(await api.GET('/api/alerts', { params: { query: { state: 'firing', limit: 1000 } }, signal })),
    `firing${now.getTime()}`,
  );
  const recent = useLoad(
    async (signal) => dataOf(await api.GET('/api/alerts', { params: { query: { limit: 1000 } }, signal })),
    `recent${now.getTime()}`,
  );
  const due = useLoad(
    async (signal) =>
      dataOf(await api.GET('/api/api-keys', { params: { query: { rotationDue: 'true' } }, signal })).keys,
    `due${now.getTime()}`,
  );

  const t = usage.data?.totals;
  const p = before.data?.totals;

  // Alerts raised in the range and in the previous one (from the newest 1,000).
  const alerts = recent.data?.alerts ?? [];
  const raised = countInRange(alerts, (a) => a.createdAt, range.from, range.to);
  const raisedBefore = countInRange(alerts, (a) => a.createdAt, prev.from, prev.to);
  const oldest = alerts[alerts.length - 1]?.createdAt;
  const alertsComplete =
    !recent.data?.nextCursor || (oldest !== undefined && Date.parse(oldest) < prev.from.getTime());
  const dueKeys = due.data ?? [];
  const flagged = countInRange(dueKeys, (k) => k.rotationDueAt, range.from, range.to);
  const flaggedBefore = countInRange(dueKeys, (k) => k.rotationDueAt, prev.from, prev.to);

  const top: TopKey[] = (usage.data?.keys ?? []).map((k) => ({
    keyId: k.keyId,
    name: k.name,
    requests: k.requestCount,
    failures: k.failureCount,
    rate: successRate(k.successCount, k.requestCount),
    top: topFailure(k.byCode)?.code ?? null,
  }));

  const firingCount = firing.data ? firing.data.alerts.length : null;
  const loadingAny = usage.loading || before.loading;

  // Each answer re-renders what shows it: a panel whose data did not change is the same element,
  // which Preact does not diff again (six answers arrive one by one).
  const usagePanels = useMemo(
    () => (
      <>
        <section aria-labelledby="outcome-h" class="panel">
          <h2 id="outcome-h">Requests by outcome</h2>
          {t ? (
            <OutcomeChart
              title={`Successful and failed verifications, per ${range.granularity}`}
              series={t.series}
              range={range}
            />
          ) : (
            !usage.error && <Loading what="Loading the chart" />
          )}
        </section>

        <div class="grid-2">
          <section aria-labelledby="reasons-h" class="panel">
            <h2 id="reasons-h">Failure reasons</h2>
            {t ? <FailureReasons byCode={t.byCode} /> : !usage.error && <Loading />}
          </section>
          <section aria-labelledby="top-h" class="panel">
            <h2 id="top-h">Top keys</h2>
            {usage.data ? (
              <Table
                caption="The ten keys with the most requests in this range"
                captionHidden
                label="Top keys"
                columns={topColumns}
                rows={top}
                rowKey={(k) => k.keyId}
                empty="No key was used in this range."
              />
            ) : (
              !usage.error && <Loading />
            )}
            <p>
              <Link href="/keys">All keys</Link>
            </p>
          </section>
        </div>
      </>
    ),
    [usage.data, usage.error, key],
  );
  const countriesSection = useMemo(
    () => <CountriesSection countries={countries} subject="the org" />,
    [countries.data, countries.error],
  );

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Overview</h1>
        <p class="muted">
          {range.preset === 'custom' ? '' : `${describeRange(range, formatDateTime)}: `}
          {formatDateTime(range.from)} – {formatDateTime(range.to)}, compared with the same length just before
          ({formatDateTime(prev.from)} – {formatDateTime(prev.to)}).
        </p>
      </div>
      <div class="toolbar">
        <RangePicker spec={spec} range={range} onChange={onRange} />
        <button type="button" class="secondary" onClick={refresh} disabled={loadingAny}>
          {loadingAny ? 'Updating…' : 'Refresh'}
        </button>
      </div>

      {usage.error ? (
        <ErrorBox error={usage.error} retry={usage.reload} title="The usage report could not be loaded." />
      ) : null}

      <section aria-labelledby="kpi-h">
        <h2 id="kpi-h" class="visually-hidden">
          Key figures
        </h2>
        {!t ? (
          usage.error ? null : (
            <Loading what="Loading the key figures" />
          )
        ) : (
          <ul class="kpis">
            <UsageKpis now={t} before={p} />
            <KpiCard
              label="Active keys"
              value={formatNumber(t.activeKeys)}
              delta={p ? delta(t.activeKeys, p.activeKeys) : undefined}
            />
            <KpiCard
              label="Firing alerts"
              good="down"
              value={
                firingCount === null
                  ? '—'
                  : `${formatNumber(firingCount)}${firing.data?.nextCursor ? '+' : ''}`
              }
              delta={recent.data ? delta(raised, raisedBefore) : undefined}
              note={
                recent.data
                  ? `${alertsComplete ? '' : 'at least '}${formatNumber(raised)} raised in range, ${formatNumber(raisedBefore)} in the previous`
                  : undefined
              }
            />
            <KpiCard
              label="Keys due for rotation"
              good="down"
              value={due.data ? formatNumber(dueKeys.length) : '—'}
              delta={due.data ? delta(flagged, flaggedBefore) : undefined}
              note={
                due.data
                  ? `${formatNumber(flagged)} flagged in range, ${formatNumber(flaggedBefore)} in the previous`
                  : undefined
              }
            />
          </ul>
        )}
      </section>

      {usagePanels}
      {countriesSection}
      {(firing.error || due.error || recent.error) && (
        <ErrorBox
          title="Some figures could not be loaded."
          error={firing.error ?? due.error ?? recent.error}
          retry={refresh}
        />
      )}
    </>
  );
}

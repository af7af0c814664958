/**
 * The keys: a table with usage over a range, open alerts and rotation state; search, filters and
 * sorting in the URL; CSV of what is shown; revoke and rotate from each row.
 */
import { useId, useState } from 'preact/hooks';
import { api, dataOf } from '../api.ts';
import { getUsageSummary, rangeParams } from '../api-extra.ts';
import { RevokeDialog, RotateDialog } from '../components/KeyActions.tsx';
import { Link } from '../components/Link.tsx';
import { RangePicker } from '../components/RangePicker.tsx';
import { Badge, ErrorBox, Loading } from '../components/Status.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { type Column, Table } from '../components/Table.tsx';
import { countryName } from '../data/countries.ts';
import { codeLabel } from '../data/failures.ts';
import { formatDate, formatNumber, formatPercent, formatRelative } from '../data/format.ts';
import {
  buildKeyRows,
  filterKeyRows,
  KEY_TYPES,
  type KeyFilters,
  type KeyRow,
  type KeyType,
  keyRowsCsv,
  SCOPES,
  SORT_COLUMNS,
  type SortColumn,
  type SortDir,
  STATUS_FILTERS,
  type StatusFilter,
  sortKeyRows,
} from '../data/keys.ts';
import { PRESET_LABELS, parseRange, type RangeSpec, rangeQuery, resolveRange } from '../data/range.ts';
import { downloadText, useLoad, useNow, useTitle } from '../hooks.ts';
import { buildUrl, type PageProps, patchQuery, setQuery } from '../router.ts';

const PAGE_SIZE = 50;
const NUMERIC_SORTS: readonly SortColumn[] = ['age', 'lastUsed', 'requests', 'successRate', 'openAlerts'];

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;

type Action = { kind: 'revoke' | 'rotate'; row: KeyRow } | null;

export default function Keys({ loc }: PageProps) {
  useTitle('Keys');
  const id = useId();
  const q = loc.query;
  const filters: KeyFilters = {
    q: q.get('q') ?? '',
    status: oneOf<StatusFilter>(STATUS_FILTERS, q.get('status')),
    type: oneOf<KeyType>(KEY_TYPES, q.get('type')),
    scope: oneOf(SCOPES, q.get('scope')),
  };
  const sortColumn = oneOf<SortColumn>(SORT_COLUMNS, q.get('sort')) ?? 'name';
  const sortDir: SortDir = q.get('dir') === 'desc' ? 'desc' : 'asc';
  const spec = parseRange(q, '30d');
  const [now, refresh] = useNow(`${q.get('range')}/${q.get('from')}/${q.get('to')}`);
  const resolved = resolveRange(spec, now);
  const range = resolved.ok ? resolved.range : null;
  const [action, setAction] = useState<Action>(null);

  const keys = useLoad(
    async (signal) => dataOf(await api.GET('/api/api-keys', { signal })).keys,
    `k${now.getTime()}`,
  );
  const usage = useLoad(
    async (signal) => (range ? getUsageSummary(rangeParams(range), signal) : null),
    `u${range?.from.getTime()}/${range?.to.getTime()}`,
  );
  const firing = useLoad(
    async (signal) =>
      dataOf(await api.GET('/api/alerts', { params: { query: { state: 'firing', limit: 1000 } }, signal }))
        .alerts,
    `a${now.getTime()}`,
  );

  const rows = keys.data ? buildKeyRows(keys.data, usage.data?.keys ?? [], firing.data ?? [], now) : [];
  const shown = sortKeyRows(filterKeyRows(rows, filters), sortColumn, sortDir);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1));
  const pageRows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  const setFilter = (patch: Record<string, string | undefined>) => setQuery({ ...patch, page: undefined });
  const onSort = (column: string) => {
    const c = column as SortColumn;
    const dir: SortDir =
      c === sortColumn ? (sortDir === 'asc' ? 'desc' : 'asc') : NUMERIC_SORTS.includes(c) ? 'desc' : 'asc';
    setQuery({ sort: c, dir, page: undefined });
  };
  const onRange = (next: RangeSpec) => setQuery({ ...rangeQuery(next), page: undefined }, { replace: false });
  const exportCsv = () =>
    downloadText(`keywatch-keys-${new Date().toISOString().slice(0, 10)}.csv`, keyRowsCsv(shown));
  const rangeLabel =
    range && range.preset !== 'custom' ? PRESET_LABELS[range.preset].toLowerCase() : 'in range';
  const hasFilters = Boolean(filters.q || filters.status || filters.type || filters.scope);

  const columns: Column<KeyRow>[] = [
    {
      id: 'name',
      label: 'Name',
      sortable: true,
      rowHeader: true,
      render: (r) => (
        <>
          <Link href={`/keys/${encodeURIComponent(r.id)}`}>{r.name}</Link>
          {r.ownerEmail && <div class="muted small">{r.ownerEmail}</div>}
        </>
      ),
    },
    { id: 'prefix', label: 'Prefix', sortable: true, render: (r) => <span class="mono">{r.prefix}</span> },
    { id: 'type', label: 'Type', sortable: true, render: (r) => r.type },
    {
      id: 'scopes',
      label: 'Scopes',
      sortable: true,
      render: (r) => <span class="scopes-list">{r.scopes.join(', ')}</span>,
    },
    {
      id: 'age',
      label: 'Age',
      sortable: true,
      numeric: true,
      render: (r) => (
        <>
          <span title={`Created ${formatDate(r.createdAt)}`}>{formatNumber(r.ageDays)} d</span>
          {r.due && (
            <>
              {' '}
              <Badge tone="warn">rotate</Badge>
            </>
          )}
        </>
      ),
    },
    { id: 'status', label: 'Status', sortable: true, render: (r) => <StatusBadge row={r} /> },
    {
      id: 'lastUsed',
      label: 'Last use',
      sortable: true,
      render: (r) => (
        <>
          {formatRelative(r.lastUsedAt, now)}
          {r.lastUsedCountry && (
            <>
              {' '}
              <abbr class="mono" title={countryName(r.lastUsedCountry)}>
                {r.lastUsedCountry}
              </abbr>
            </>
          )}
        </>
      ),
    },
    {
      id: 'requests',
      label: `Requests`,
      sortable: true,
      numeric: true,
      render: (r) => formatNumber(r.requests),
    },
    {
      id: 'successRate',
      label: 'Success rate',
      sortable: true,
      numeric: true,
      render: (r) => formatPercent(r.successRate),
    },
    {
      id: 'topFailure',
      label: 'Top failure reason',
      sortable: true,
      render: (r) => (r.topFailure ? codeLabel(r.topFailure) : '—'),
    },
    {
      id: 'openAlerts',
      label: 'Open alerts',
      sortable: true,
      numeric: true,
      render: (r) =>
        r.openAlerts > 0 ? (
          <Link href={buildUrl('/alerts', { state: 'firing', key: r.id })}>{formatNumber(r.openAlerts)}</Link>
        ) : (
          '0'
        ),
    },
    {
      id: 'actions',
      label: <span class="visually-hidden">Actions</span>,
      render: (r) =>
        r.status === 'active' || r.status === 'rotated' ? (
          <div class="row-actions">
            {r.status === 'active' && (
              <button
                type="button"
                class="small secondary"
                onClick={() => setAction({ kind: 'rotate', row: r })}
              >
                Rotate<span class="visually-hidden"> {r.name}</span>
              </button>
            )}
            <button
              type="button"
              class="small danger-outline"
              onClick={() => setAction({ kind: 'revoke', row: r })}
            >
              Revoke<span class="visually-hidden"> {r.name}</span>
            </button>
          </div>
        ) : null,
    },
  ];

  const pageHref = (n: number) => loc.path + patchQuery(loc.search, { page: n === 1 ? undefined : n });

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Keys</h1>
        <Link href="/keys/new" class="button">
          Create key
        </Link>
      </div>

      <form class="filters" aria-label="Search and filter keys" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for={`${id}-q`}>Search by name or prefix</label>
          <input
            id={`${id}-q`}
            type="search"
            value={filters.q}
            onInput={(e) => setFilter({ q: e.currentTarget.value })}
            autocomplete="off"
          />
        </div>
        <div class="field">
          <label for={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={filters.status ?? ''}
            onChange={(e) => setFilter({ status: e.currentTarget.value })}
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="due">Due for rotation</option>
            <option value="rotated">Rotated (in grace period)</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={filters.type ?? ''}
            onChange={(e) => setFilter({ type: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {KEY_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-scope`}>Grants scope</label>
          <select
            id={`${id}-scope`}
            value={filters.scope ?? ''}
            onChange={(e) => setFilter({ scope: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {hasFilters && (
          <button
            type="button"
            class="secondary"
            onClick={() => setFilter({ q: undefined, status: undefined, type: undefined, scope: undefined })}
          >
            Clear filters
          </button>
        )}
      </form>

      <div class="toolbar">
        <div>
          <p class="muted small">Requests, success rate and failure reasons: {rangeLabel}</p>
          <RangePicker spec={spec} range={range} onChange={onRange} />
        </div>
        <div class="row-actions">
          <button type="button" class="secondary" onClick={refresh}>
            Refresh
          </button>
          <button type="button" class="secondary" onClick={exportCsv} disabled={shown.length === 0}>
            Export CSV
          </button>
        </div>
      </div>
      {!resolved.ok && <ErrorBox title="This range cannot be shown." error={new Error(resolved.error)} />}
      {keys.error ? (
        <ErrorBox error={keys.error} retry={keys.reload} title="The keys could not be loaded." />
      ) : null}
      {usage.error ? (
        <ErrorBox error={usage.error} retry={usage.reload} title="Usage could not be loaded." />
      ) : null}
      {firing.error ? (
        <ErrorBox error={firing.error} retry={firing.reload} title="Alerts could not be loaded." />
      ) : null}

      {!keys.data ? (
        !keys.error && <Loading what="Loading keys" />
      ) : (
        <>
          <p role="status" class="muted">
            {shown.length === 0
              ? 'No keys match.'
              : `Showing ${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, shown.length)} of ${formatNumber(shown.length)} keys${shown.length !== rows.length ? ` (${formatNumber(rows.length)} in all)` : ''}.`}
            {usage.loading && ' Updating usage…'}
          </p>
          <Table
            caption={`Keys, sorted by ${sortColumn} (${sortDir === 'asc' ? 'ascending' : 'descending'}); usage ${rangeLabel}`}
            captionHidden
            label="Keys"
            columns={columns}
            rows={pageRows}
            rowKey={(r) => r.id}
            sort={{ column: sortColumn, dir: sortDir }}
            onSort={onSort}
            empty={hasFilters ? 'No keys match these filters.' : 'No keys yet. Create one.'}
            class="keys-table"
          />
          {pages > 1 && (
            <nav class="pagination" aria-label="Pages of keys">
              {page > 1 ? (
                <Link href={pageHref(page - 1)}>Previous page</Link>
              ) : (
                <span class="muted">Previous page</span>
              )}
              <span>
                Page {page} of {pages}
              </span>
              {page < pages ? (
                <Link href={pageHref(page + 1)}>Next page</Link>
              ) : (
                <span class="muted">Next page</span>
              )}
            </nav>
          )}
        </>
      )}

      {action?.kind === 'revoke' && (
        <RevokeDialog
          apiKey={action.row}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            keys.reload();
          }}
        />
      )}
      {action?.kind === 'rotate' && (
        <RotateDialog
          apiKey={action.row}
          onClose={(rotated) => {
            setAction(null);
            if (rotated) keys.reload();
          }}
        />
      )}
    </>
  );
}

/**
 * Countries over a range: the map, and a table with each country's count and when it was first
 * and last seen. From `GET /api/countries`; while a server lacks that route, the usage report's
 * counts are shown without first and last seen.
 */
import { countryName } from '../data/countries.ts';
import { formatDateTime, formatNumber, formatPercent } from '../data/format.ts';
import { type Column, Table } from './Table.tsx';
import { WorldMap } from './WorldMap.tsx';

export interface CountryRow {
  country: string;
  count: number;
  firstSeenAt?: string | null;
  lastSeenAt?: string | null;
}

interface Props {
  rows: readonly CountryRow[];
  /** What the rows cover, e.g. "the org" or a key's name. */
  subject: string;
  /** Why first/last seen are missing, when they are. */
  note?: string | undefined;
  limit?: number;
}

export function CountriesPanel({ rows, subject, note, limit = 25 }: Props) {
  const total = rows.reduce((s, r) => s + r.count, 0);
  const columns: Column<CountryRow>[] = [
    {
      id: 'country',
      label: 'Country',
      rowHeader: true,
      render: (r) => (
        <>
          {countryName(r.country)} <span class="muted mono">{r.country}</span>
        </>
      ),
    },
    { id: 'count', label: 'Requests', numeric: true, render: (r) => formatNumber(r.count) },
    {
      id: 'share',
      label: 'Share',
      numeric: true,
      render: (r) => formatPercent(total ? r.count / total : null),
    },
    { id: 'first', label: 'First seen', render: (r) => formatDateTime(r.firstSeenAt ?? null) },
    { id: 'last', label: 'Last seen', render: (r) => formatDateTime(r.lastSeenAt ?? null) },
  ];
  const shown = rows.slice(0, limit);
  return (
    <div class="countries">
      <WorldMap counts={rows} title={`Requests by country for ${subject}`} />
      <div>
        <Table
          caption={`Countries for ${subject}, most used first${rows.length > limit ? ` (top ${limit} of ${rows.length})` : ''}`}
          label="Countries"
          columns={columns}
          rows={shown}
          rowKey={(r) => r.country}
          empty="No requests with a known country in this range."
        />
        {note && <p class="muted">{note}</p>}
      </div>
    </div>
  );
}

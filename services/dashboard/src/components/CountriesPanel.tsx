/**
 * Countries over a range (`GET /api/countries`): the map, and a table with each country's count
 * and when it was first and last seen.
 */
import { useId } from 'preact/hooks';
import type { Countries } from '../api-extra.ts';
import { countryName } from '../data/countries.ts';
import { formatDateTime, formatNumber, formatPercent } from '../data/format.ts';
import type { Loaded } from '../hooks.ts';
import { ErrorBox, Loading } from './Status.tsx';
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
  limit?: number;
}

/** A page's Countries section: loading, the error with a retry, or the map and table. */
export function CountriesSection({ countries, subject }: { countries: Loaded<Countries>; subject: string }) {
  const id = useId();
  return (
    <section aria-labelledby={id} class="panel">
      <h2 id={id}>Countries</h2>
      {countries.data ? (
        <CountriesPanel rows={countries.data.countries} subject={subject} />
      ) : countries.error ? (
        <ErrorBox error={countries.error} retry={countries.reload} />
      ) : (
        <Loading what="Loading countries" />
      )}
    </section>
  );
}

export function CountriesPanel({ rows, subject, limit = 25 }: Props) {
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
      </div>
    </div>
  );
}

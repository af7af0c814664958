/**
 * The report routes added for the dashboard, through the typed client (they were called with
 * plain fetch and typed here until @keywatch/client had them; it has them now):
 *
 * - `GET /api/usage?…&detail=summary`: the org report with each key's `series: []` (the totals
 *   keep theirs), light enough for 1,000 keys × 90 days.
 * - `GET /api/countries?from=&to=&granularity=&keyId=`: use by country, with first and last seen.
 * - `GET /api/api-keys/{id}/ips?from=&to=`: distinct client IPs per UTC hour.
 */
import type { components } from '@keywatch/client';
import { api, dataOf } from './api.ts';

export type Countries = components['schemas']['Countries'];
export type CountryUse = Countries['countries'][number];
export type DistinctIps = components['schemas']['DistinctIps'];

export interface RangeParams {
  from: string;
  to: string;
  granularity: components['schemas']['OrgUsageReport']['granularity'];
}

/** A resolved range as query parameters. */
export const rangeParams = (r: {
  from: Date;
  to: Date;
  granularity: RangeParams['granularity'];
}): RangeParams => ({
  from: r.from.toISOString(),
  to: r.to.toISOString(),
  granularity: r.granularity,
});

/** The org's usage: each key's counts (or only the `top` most used keys') and the totals' series. */
export async function getUsageSummary(q: RangeParams & { top?: number }, signal?: AbortSignal) {
  return dataOf(await api.GET('/api/usage', { params: { query: { ...q, detail: 'summary' } }, signal }));
}

export async function getCountries(
  q: RangeParams & { keyId?: string },
  signal?: AbortSignal,
): Promise<Countries> {
  return dataOf(await api.GET('/api/countries', { params: { query: q }, signal }));
}

export async function getKeyIps(
  id: string,
  q: { from: string; to: string },
  signal?: AbortSignal,
): Promise<DistinctIps> {
  return dataOf(await api.GET('/api/api-keys/{id}/ips', { params: { path: { id }, query: q }, signal }));
}

/** The org's report with each key's counts (no series) and the totals' series. */
export type UsageSummary = Awaited<ReturnType<typeof getUsageSummary>>;

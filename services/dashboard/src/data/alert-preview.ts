/**
 * The preview of alert settings: what they would have fired over last week's stored usage
 * (`POST /api/alerts/preview`), in words.
 */
import type { AlertSettings } from './alert-form.ts';
import { formatNumber } from './format.ts';

/** The days a preview replays, up to now. */
export const PREVIEW_DAYS = 7;

/** The alerts a preview lists; the count says how many more there are. */
export const PREVIEW_ROWS = 200;

/** Last week, up to `now`, as the request's `from` and `to`. */
export function lastWeek(now: Date): { from: string; to: string } {
  return { from: new Date(now.getTime() - PREVIEW_DAYS * 86_400_000).toISOString(), to: now.toISOString() };
}

/**
 * The settings a preview tries: the form's, or none (`{}`) when it sets nothing, the org without
 * settings of its own (as saving the form would leave it).
 */
export const previewedSettings = (settings: AlertSettings | null): AlertSettings => settings ?? {};

/** "These settings would have fired 3 alerts last week." */
export function previewSummary(count: number): string {
  if (count === 0) return 'These settings would have fired no alerts last week.';
  const listed = count > PREVIEW_ROWS ? ` The first ${formatNumber(PREVIEW_ROWS)} are listed.` : '';
  return `These settings would have fired ${formatNumber(count)} alert${count === 1 ? '' : 's'} last week.${listed}`;
}

import { CronExpressionParser } from 'cron-parser';

/**
 * Whether the scheduled scan before `now` was missed: no scan has run since the last time the
 * cron expression (UTC) fired. A service starting after downtime over its scan time catches up.
 */
export function missedScan(cron: string, lastRanAt: Date | null, now: Date): boolean {
  if (!lastRanAt) return true;
  const previous = CronExpressionParser.parse(cron, { currentDate: now, tz: 'UTC' }).prev().toDate();
  return lastRanAt < previous;
}

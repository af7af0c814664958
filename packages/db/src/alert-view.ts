import { windowOf } from '@keywatch/rules';
import type { alerts } from './schema.ts';

/**
 * An alert as `GET /api/alerts` shows it, without its deliveries: the same shape in the API, in
 * a webhook's `alert` and in the backtest's output.
 */
export function alertView(a: typeof alerts.$inferSelect) {
  const window = windowOf(a.period, a.windowStart);
  return {
    id: a.id,
    keyId: a.keyId,
    rule: a.rule,
    subject: a.subject,
    severity: a.severity,
    state: a.state,
    window: { period: a.period, start: window.start.toISOString(), end: window.end.toISOString() },
    value: a.value,
    threshold: a.threshold,
    details: a.details,
    createdAt: a.createdAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  };
}

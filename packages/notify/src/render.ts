import type { Notification } from './notification.ts';
import { maskedPrefix } from './notification.ts';

export interface AlertFacts {
  rule: string;
  period: 'hourly' | 'daily';
  windowStart: Date;
  value: number;
  threshold: number;
}

export interface KeyFacts {
  id: string;
  name: string;
  prefix: string;
  orgSlug: string;
}

const RULE_TITLES: Record<string, string> = {
  highUsage: 'High usage',
  failures: 'Many failures',
  unusualActivity: 'Unusual activity',
};

const windowLabel = (period: 'hourly' | 'daily', start: Date) =>
  period === 'hourly'
    ? `${start.toISOString().slice(0, 13)}:00 UTC (hour)`
    : `${start.toISOString().slice(0, 10)} UTC (day)`;

export function alertNotification(alert: AlertFacts, key: KeyFacts): Notification {
  const title = `${RULE_TITLES[alert.rule] ?? alert.rule}: ${key.name}`;
  const window = windowLabel(alert.period, alert.windowStart);
  return {
    title,
    severity: 'critical',
    summary: `${title} (${maskedPrefix(key.prefix)}, org ${key.orgSlug}): ${alert.value} requests against a threshold of ${alert.threshold} in ${window}`,
    fields: [
      { label: 'Key', value: `${key.name} (${maskedPrefix(key.prefix)})` },
      { label: 'Org', value: key.orgSlug },
      { label: 'Value', value: `${alert.value} / threshold ${alert.threshold}` },
      { label: 'Window', value: window },
      { label: 'Usage report', value: `/api/api-keys/${key.id}/usage` },
    ],
  };
}

export function rotationNotification(key: KeyFacts & { createdAt: Date }, dueAt: Date): Notification {
  const title = `Rotate API key: ${key.name}`;
  const days = Math.floor((dueAt.getTime() - key.createdAt.getTime()) / 86_400_000);
  return {
    title,
    severity: 'warning',
    summary: `${title} (${maskedPrefix(key.prefix)}, org ${key.orgSlug}) is ${days} days old and due for rotation since ${dueAt.toISOString().slice(0, 10)}`,
    fields: [
      { label: 'Key', value: `${key.name} (${maskedPrefix(key.prefix)})` },
      { label: 'Org', value: key.orgSlug },
      { label: 'Due since', value: dueAt.toISOString().slice(0, 10) },
      { label: 'Rotate with', value: `POST /api/api-keys/${key.id}/rotate` },
    ],
  };
}

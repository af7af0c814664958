import type { Notification } from './notification.ts';
import { maskedPrefix } from './notification.ts';

export interface AlertFacts {
  rule: string;
  subject: string;
  severity: 'warning' | 'critical';
  period: 'hourly' | 'daily';
  windowStart: Date;
  value: number;
  threshold: number;
  details: Record<string, unknown>;
}

export interface KeyFacts {
  id: string;
  name: string;
  prefix: string;
  orgSlug: string;
  /** Where users reach the verifier (PUBLIC_URL), to make links; paths alone without it. */
  baseUrl?: string;
}

const link = (key: KeyFacts, path: string) => `${key.baseUrl?.replace(/\/+$/, '') ?? ''}${path}`;

const RULE_TITLES: Record<string, string> = {
  highUsage: 'High usage',
  failures: 'Many failures',
  unusualActivity: 'Unusual activity',
};

const windowLabel = (period: 'hourly' | 'daily', start: Date) =>
  period === 'hourly'
    ? `${start.toISOString().slice(0, 13)}:00 UTC (hour)`
    : `${start.toISOString().slice(0, 10)} UTC (day)`;

/** What happened, in words: the value against its threshold, or the signal and its evidence. */
function whatHappened(alert: AlertFacts): string {
  const d = alert.details;
  switch (alert.rule === 'unusualActivity' ? String(d.signal) : alert.rule) {
    case 'highUsage':
      return alert.severity === 'warning'
        ? `${alert.value} requests, past the warning level of ${alert.threshold} (threshold ${d.of})`
        : `${alert.value} requests against a threshold of ${alert.threshold}`;
    case 'failures':
      return d.unit === 'percent'
        ? `${alert.value} % of ${d.requests} requests failed, against a threshold of ${alert.threshold} %`
        : `${alert.value} failed requests against a threshold of ${alert.threshold}`;
    case 'newCountry':
      return `first use from a new country: ${d.country}`;
    case 'volumeSpike':
      return `${alert.value} requests in an hour, ${d.factor}× over its usual (hourly p95 ${d.hourlyP95})`;
    case 'dormantReuse':
      return `used again after ${alert.value} days without use`;
    case 'manyCountries':
      return `used from ${alert.value} countries within an hour (${(d.countries as string[]).join(', ')})`;
    case 'manyIps':
      return `used from ${alert.value} IP addresses within an hour`;
    case 'credentialStuffing':
      return `${alert.value} unknown API keys presented from ${d.ip} within ${d.minutes} minutes (threshold ${alert.threshold})`;
    default:
      return `${alert.subject}: ${alert.value} against ${alert.threshold}`;
  }
}

export function alertNotification(alert: AlertFacts, key: KeyFacts): Notification {
  const warning = alert.severity === 'warning' && alert.rule !== 'unusualActivity' ? ' (warning)' : '';
  const title = `${RULE_TITLES[alert.rule] ?? alert.rule}${warning}: ${key.name}`;
  const window = windowLabel(alert.period, alert.windowStart);
  const happened = whatHappened(alert);
  return {
    title,
    severity: alert.severity,
    summary: `${title} (${maskedPrefix(key.prefix)}, org ${key.orgSlug}): ${happened} in ${window}`,
    fields: [
      { label: 'Key', value: `${key.name} (${maskedPrefix(key.prefix)})` },
      { label: 'Org', value: key.orgSlug },
      { label: alert.rule === 'unusualActivity' ? 'Signal' : 'Value', value: happened },
      { label: 'Window', value: window },
      ...topCountriesField(alert.details.topCountries),
      { label: 'Usage report', value: link(key, `/api/api-keys/${key.id}/usage`) },
    ],
  };
}

/**
 * An alert about no key: credential stuffing from a source IP. Unknown keys name no org, so it is
 * the installation's, and goes to its default channels.
 */
export function sourceAlertNotification(alert: AlertFacts): Notification {
  const title = `Credential stuffing: ${String(alert.details.ip)}`;
  const window = windowLabel(alert.period, alert.windowStart);
  const happened = whatHappened(alert);
  return {
    title,
    severity: alert.severity,
    summary: `${title}: ${happened}, in ${window}`,
    fields: [
      { label: 'Source IP', value: String(alert.details.ip) },
      { label: 'Signal', value: happened },
      { label: 'Window', value: window },
      { label: 'Keys', value: 'unknown keys: no key or org of this installation matched' },
    ],
  };
}

function topCountriesField(top: unknown): { label: string; value: string }[] {
  if (!Array.isArray(top) || top.length === 0) return [];
  return [{ label: 'Top countries', value: top.map((c) => `${c.country} ${c.count}`).join(', ') }];
}

/** An alert that stopped firing: its window ended, or its condition cleared. */
export function resolutionNotification(
  alert: AlertFacts & { resolvedAt: Date | null; details: Record<string, unknown> },
  key: KeyFacts,
): Notification {
  const fired = alertNotification(alert, key);
  const why =
    alert.details.resolution === 'condition_cleared' ? 'back under the threshold' : 'the window has ended';
  return {
    title: `Resolved: ${fired.title}`,
    severity: 'info',
    summary: `Resolved: ${fired.summary}; ${why}`,
    fields: [...fired.fields, { label: 'Resolved', value: alert.resolvedAt?.toISOString() ?? 'now' }],
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

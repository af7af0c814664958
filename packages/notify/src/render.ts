import { DAY_MS, type ReminderKind } from '@keywatch/rules';
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

/** A path of the installation, as a link when PUBLIC_URL (`baseUrl`) is known. */
const link = ({ baseUrl }: { baseUrl?: string | undefined }, path: string) =>
  `${baseUrl?.replace(/\/+$/, '') ?? ''}${path}`;

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
    case 'newCountry': {
      const usual = (d.usual ?? {}) as { countries?: string[] };
      // Alerts recorded before baselines were learned name the country alone.
      const country = ((d.seen ?? {}) as { country?: string }).country ?? d.country;
      const usually = usual.countries ? ` (usually ${usual.countries.join(', ')})` : '';
      return `first use from a new country: ${country}${usually}`;
    }
    case 'volumeSpike': {
      const usual = (d.usual ?? {}) as { requests?: number };
      return `${alert.value} requests in an hour, where ${usual.requests} is usual for this hour`;
    }
    case 'ipFanOut': {
      const usual = (d.usual ?? {}) as { distinctIps?: number };
      return `used from ${alert.value} IP addresses within an hour, where ${usual.distinctIps} is usual`;
    }
    case 'dormantReuse':
      return `used again after ${alert.value} days without use`;
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

/** A reminder of the rotation scan (see rules' Reminder), as of the scan's time. */
export interface ReminderFacts {
  reminder: ReminderKind;
  /** The due date, or the expiry. */
  at: Date;
  sequence: number;
  asOf: Date;
}

const dateOf = (at: Date) => at.toISOString().slice(0, 10);
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/**
 * Rotate this key (reminded again every few days), it is long overdue (escalated), or it expires
 * soon: one key's reminder, as versions before the rotation digest queued them (still delivered).
 */
export function reminderNotification(key: KeyFacts & { createdAt: Date }, r: ReminderFacts): Notification {
  const age = Math.floor((r.asOf.getTime() - key.createdAt.getTime()) / DAY_MS);
  const overdue = Math.floor((r.asOf.getTime() - r.at.getTime()) / DAY_MS);
  const left = Math.ceil((r.at.getTime() - r.asOf.getTime()) / DAY_MS);
  const [title, what, when] =
    r.reminder === 'expiry'
      ? [
          `API key expires soon: ${key.name}`,
          `expires on ${dateOf(r.at)}, in ${days(left)}; rotate it to keep its clients working`,
          { label: 'Expires', value: r.at.toISOString() },
        ]
      : r.reminder === 'escalation'
        ? [
            `Overdue rotation: ${key.name}`,
            `has been due for rotation since ${dateOf(r.at)}, ${days(overdue)} overdue; its owners have been reminded`,
            { label: 'Due since', value: dateOf(r.at) },
          ]
        : [
            `Rotate API key${r.sequence > 0 ? ` (reminder ${r.sequence + 1})` : ''}: ${key.name}`,
            `is ${days(age)} old and due for rotation since ${dateOf(r.at)}`,
            { label: 'Due since', value: dateOf(r.at) },
          ];
  return {
    title,
    severity: r.reminder === 'escalation' ? 'critical' : 'warning',
    summary: `${title} (${maskedPrefix(key.prefix)}, org ${key.orgSlug}) ${what}`,
    fields: [
      { label: 'Key', value: `${key.name} (${maskedPrefix(key.prefix)})` },
      { label: 'Org', value: key.orgSlug },
      when,
      { label: 'Rotate with', value: `POST ${link(key, `/api/api-keys/${key.id}/rotate`)}` },
    ],
  };
}

/** A key a rotation digest lists, and the reminder it is owed (see rules' Reminder). */
export interface DigestLine {
  name: string;
  prefix: string;
  reminder: ReminderKind;
  /** The due date, or the expiry. */
  at: Date;
  sequence: number;
}

/** One scan's reminders on one route of one org. */
export interface RotationDigestFacts {
  orgSlug: string;
  /** PUBLIC_URL: the dashboard's rotation view is linked from there; its path alone without it. */
  baseUrl?: string | undefined;
  asOf: Date;
  /** Distinct keys reminded, listed or not. */
  keys: number;
  /** Escalations among the reminders: the message is critical when there is any. */
  escalations: number;
  /** The lines to show, most overdue first. */
  lines: readonly DigestLine[];
  /** Reminders of the group past the list's cap, counted only. */
  more: number;
}

// A line names its key in at most this many characters, so that the capped list stays within
// what one Slack field holds (2,000 characters).
const LINE_NAME_CHARS = 40;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** What one listed key is owed, in a few words: days overdue (escalated, the n-th reminder), or expiry. */
function digestLine(line: DigestLine, asOf: Date): string {
  const key = `${clip(line.name, LINE_NAME_CHARS)} (${maskedPrefix(line.prefix)})`;
  const overdue = days(Math.floor((asOf.getTime() - line.at.getTime()) / DAY_MS));
  switch (line.reminder) {
    case 'escalation':
      return `${key}: ${overdue} overdue, escalated`;
    case 'expiry':
      return `${key}: expires ${dateOf(line.at)}, in ${days(Math.ceil((line.at.getTime() - asOf.getTime()) / DAY_MS))}`;
    default:
      return `${key}: ${overdue} overdue${line.sequence > 0 ? ` (reminder ${line.sequence + 1})` : ''}`;
  }
}

/**
 * The one message a destination gets from a rotation scan: how many keys of the org to rotate, the
 * most overdue listed, the rest counted, and the dashboard's rotation view that lists them all.
 * Critical when any reminder is an escalation.
 */
export function rotationDigestNotification(d: RotationDigestFacts): Notification {
  const escalated = d.escalations > 0 ? ` (${d.escalations.toLocaleString('en-US')} escalated)` : '';
  const title = `Rotate API keys: ${plural(d.keys, 'key')} due in org ${d.orgSlug}${escalated}`;
  const all = link(d, '/rotation');
  const listed = d.lines.map((line) => digestLine(line, d.asOf));
  if (d.more > 0) listed.push(`…and ${d.more.toLocaleString('en-US')} more`);
  return {
    title,
    severity: d.escalations > 0 ? 'critical' : 'warning',
    summary: `${title} as of ${dateOf(d.asOf)}, the most overdue first; all of them: ${all}`,
    fields: [
      { label: 'Keys', value: listed.join('\n') },
      { label: 'Org', value: d.orgSlug },
      { label: 'All of them', value: all },
    ],
  };
}

/** One alert an org's storm grouped into its minute's digest. */
export interface GroupedAlert {
  rule: string;
  subject: string;
  keyName: string;
  prefix: string;
}

const minuteLabel = (minute: Date) => `${minute.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** One message for the alerts an org's storm grouped on one route in one minute (the first 20 listed). */
export function stormDigestNotification(
  orgSlug: string,
  minute: Date,
  grouped: readonly GroupedAlert[],
): Notification {
  const shown = grouped.slice(0, 20).map((a) => `${a.rule} (${a.subject}): ${a.keyName} (${a.prefix}…)`);
  const more = grouped.length - shown.length;
  return {
    title: `Alert storm: ${grouped.length} more alerts in org ${orgSlug}`,
    severity: 'critical',
    summary: `Alert storm: ${grouped.length} more alerts in org ${orgSlug} at ${minuteLabel(minute)}, grouped into this message`,
    fields: [
      { label: 'Alerts', value: shown.join('\n') + (more > 0 ? `\n…and ${more} more` : '') },
      { label: 'All of them', value: 'GET /api/alerts' },
    ],
  };
}

/** One message for the keyless alerts (credential stuffing, one per source) a storm grouped in one minute. */
export function sourceStormDigestNotification(minute: Date, sources: readonly string[]): Notification {
  const shown = sources.slice(0, 50);
  const more = sources.length - shown.length;
  return {
    title: `Credential stuffing storm: ${sources.length} more sources`,
    severity: 'critical',
    summary: `Credential stuffing storm: ${sources.length} more sources at ${minuteLabel(minute)}, grouped into this message`,
    fields: [{ label: 'Sources', value: shown.join(', ') + (more > 0 ? ` …and ${more} more` : '') }],
  };
}

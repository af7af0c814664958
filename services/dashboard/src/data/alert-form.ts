/**
 * The alert settings (`alerts`, the seed's shape) as form fields and back. Every field the API
 * knows has a form field, so editing never drops one. Numbers stay as typed: the API validates
 * and its 400 names the field.
 */

import type { NewApiKey } from '@keywatch/client';

// The enumerations of the settings, as the API's contract (the typed client) has them.
type AlertsBody = NonNullable<NewApiKey['alerts']>;
export type Period = NonNullable<AlertsBody['highUsage']>['period'];
export type Sensitivity = NonNullable<Extract<AlertsBody['unusualActivity'], object>['sensitivity']>;

export interface Destinations {
  slack?: string;
  email?: string[];
  webhook?: string;
}

export interface AlertSettings {
  unusualActivity?: boolean | { enabled: boolean; learningDays?: number; sensitivity?: Sensitivity };
  highUsage?: { threshold: number; period: Period; warnAt?: number | null; notifyResolved?: boolean };
  failures?: {
    threshold: number;
    period: Period;
    rate?: number;
    minRequests?: number;
    notifyResolved?: boolean;
  };
  channels?: Destinations & { security?: Destinations };
}

export interface DestinationsForm {
  slack: string;
  /** One address per line. */
  email: string;
  webhook: string;
}

export interface AlertsForm {
  /** '' inherits (the org's settings for a key, the installation's for an org). */
  unusualActivity: '' | 'on' | 'off';
  learningDays: string;
  /** '' for the default (medium). */
  sensitivity: '' | Sensitivity;
  highUsageThreshold: string;
  highUsagePeriod: Period;
  /** '' for the default (0.8). */
  highUsageWarnAt: string;
  highUsageNoWarning: boolean;
  highUsageNotifyResolved: boolean;
  failuresThreshold: string;
  failuresPeriod: Period;
  failuresRate: string;
  failuresMinRequests: string;
  failuresNotifyResolved: boolean;
  channels: DestinationsForm;
  security: DestinationsForm;
}

const emptyDestinations = (): DestinationsForm => ({ slack: '', email: '', webhook: '' });

export const emptyAlertsForm = (): AlertsForm => ({
  unusualActivity: '',
  learningDays: '',
  sensitivity: '',
  highUsageThreshold: '',
  highUsagePeriod: 'daily',
  highUsageWarnAt: '',
  highUsageNoWarning: false,
  highUsageNotifyResolved: false,
  failuresThreshold: '',
  failuresPeriod: 'hourly',
  failuresRate: '',
  failuresMinRequests: '',
  failuresNotifyResolved: false,
  channels: emptyDestinations(),
  security: emptyDestinations(),
});

const str = (n: number | undefined | null) => (n === undefined || n === null ? '' : String(n));

function destinationsToForm(d: Destinations | undefined): DestinationsForm {
  return { slack: d?.slack ?? '', email: (d?.email ?? []).join('\n'), webhook: d?.webhook ?? '' };
}

export function alertsToForm(settings: AlertSettings | null | undefined): AlertsForm {
  const form = emptyAlertsForm();
  if (!settings) return form;
  const ua = settings.unusualActivity;
  if (typeof ua === 'boolean') form.unusualActivity = ua ? 'on' : 'off';
  else if (ua) {
    form.unusualActivity = ua.enabled ? 'on' : 'off';
    form.learningDays = str(ua.learningDays);
    form.sensitivity = ua.sensitivity ?? '';
  }
  const hu = settings.highUsage;
  if (hu) {
    form.highUsageThreshold = str(hu.threshold);
    form.highUsagePeriod = hu.period;
    form.highUsageWarnAt = str(hu.warnAt);
    form.highUsageNoWarning = hu.warnAt === null;
    form.highUsageNotifyResolved = hu.notifyResolved === true;
  }
  const f = settings.failures;
  if (f) {
    form.failuresThreshold = str(f.threshold);
    form.failuresPeriod = f.period;
    form.failuresRate = str(f.rate);
    form.failuresMinRequests = str(f.minRequests);
    form.failuresNotifyResolved = f.notifyResolved === true;
  }
  form.channels = destinationsToForm(settings.channels);
  form.security = destinationsToForm(settings.channels?.security);
  return form;
}

/** A number as typed ("" → undefined; anything else as a number, or the text for the API to refuse). */
function num(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : (t as unknown as number);
}

/** Lines of a textarea, trimmed, without blanks (also splits on commas for lists of addresses). */
export const lines = (text: string, commas = false) =>
  text
    .split(commas ? /[\n,]/ : /\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function formToDestinations(d: DestinationsForm): Destinations | undefined {
  const out: Destinations = {};
  if (d.slack.trim()) out.slack = d.slack.trim();
  const email = lines(d.email, true);
  if (email.length > 0) out.email = email;
  if (d.webhook.trim()) out.webhook = d.webhook.trim();
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The settings a form describes, or null when it sets nothing (inherit everything). A rule
 * without a threshold is left out (inherited). `security` channels are the org's only.
 */
export function formToAlerts(form: AlertsForm, withSecurity = false): AlertSettings | null {
  const out: AlertSettings = {};
  if (form.unusualActivity) {
    const enabled = form.unusualActivity === 'on';
    const learningDays = num(form.learningDays);
    const sensitivity = form.sensitivity || undefined;
    out.unusualActivity =
      learningDays === undefined && sensitivity === undefined
        ? enabled
        : {
            enabled,
            ...(learningDays === undefined ? {} : { learningDays }),
            ...(sensitivity === undefined ? {} : { sensitivity }),
          };
  }
  const huThreshold = num(form.highUsageThreshold);
  if (huThreshold !== undefined) {
    const hu: NonNullable<AlertSettings['highUsage']> = {
      threshold: huThreshold,
      period: form.highUsagePeriod,
    };
    if (form.highUsageNoWarning) hu.warnAt = null;
    else {
      const warnAt = num(form.highUsageWarnAt);
      if (warnAt !== undefined) hu.warnAt = warnAt;
    }
    if (form.highUsageNotifyResolved) hu.notifyResolved = true;
    out.highUsage = hu;
  }
  const fThreshold = num(form.failuresThreshold);
  if (fThreshold !== undefined) {
    const f: NonNullable<AlertSettings['failures']> = { threshold: fThreshold, period: form.failuresPeriod };
    const rate = num(form.failuresRate);
    if (rate !== undefined) f.rate = rate;
    const minRequests = num(form.failuresMinRequests);
    if (minRequests !== undefined) f.minRequests = minRequests;
    if (form.failuresNotifyResolved) f.notifyResolved = true;
    out.failures = f;
  }
  const channels: NonNullable<AlertSettings['channels']> = { ...formToDestinations(form.channels) };
  const security = withSecurity ? formToDestinations(form.security) : undefined;
  if (security) channels.security = security;
  if (Object.keys(channels).length > 0) out.channels = channels;
  return Object.keys(out).length > 0 ? out : null;
}

/** The form fields a 400 may name under `alerts` (for fieldErrors). */
export const ALERT_FIELDS = [
  'alerts',
  'alerts.unusualActivity',
  'alerts.unusualActivity.learningDays',
  'alerts.unusualActivity.sensitivity',
  'alerts.highUsage',
  'alerts.highUsage.threshold',
  'alerts.highUsage.period',
  'alerts.highUsage.warnAt',
  'alerts.failures',
  'alerts.failures.threshold',
  'alerts.failures.period',
  'alerts.failures.rate',
  'alerts.failures.minRequests',
  'alerts.channels',
  'alerts.channels.slack',
  'alerts.channels.email',
  'alerts.channels.webhook',
  'alerts.channels.security.slack',
  'alerts.channels.security.email',
  'alerts.channels.security.webhook',
] as const;

/** The create-key and key-settings forms as request bodies (POST and PATCH /api/api-keys). */
import type { NewApiKey } from '@keywatch/client';
import {
  type AlertSettings,
  type AlertsForm,
  alertsToForm,
  emptyAlertsForm,
  formToAlerts,
  lines,
} from './alert-form.ts';
import type { KeyType } from './keys.ts';

/** A rate limit's period, as the API's contract (the typed client) has it. */
export type RatePeriod = NonNullable<NewApiKey['rateLimit']>['period'];

export interface KeyForm {
  name: string;
  scopes: string[];
  type: KeyType;
  ownerEmail: string;
  /** yyyy-mm-dd from a date input, or ''. */
  expiresAt: string;
  /** One CIDR (or address) per line. */
  ipAllowlist: string;
  rateLimit: string;
  ratePeriod: RatePeriod;
  alerts: AlertsForm;
}

export const emptyKeyForm = (): KeyForm => ({
  name: '',
  scopes: [],
  type: 'organization',
  ownerEmail: '',
  expiresAt: '',
  ipAllowlist: '',
  rateLimit: '',
  ratePeriod: 'minute',
  alerts: emptyAlertsForm(),
});

export interface NewKeyBody {
  name: string;
  scopes: string[];
  type: KeyType;
  ownerEmail?: string;
  expiresAt?: string;
  ipAllowlist?: string[];
  rateLimit?: { limit: number; period: RatePeriod };
  alerts?: AlertSettings;
}

function rateLimitOf(form: KeyForm): { limit: number; period: RatePeriod } | undefined {
  const t = form.rateLimit.trim();
  if (!t) return undefined;
  const n = Number(t);
  return { limit: Number.isFinite(n) ? n : (t as unknown as number), period: form.ratePeriod };
}

/** The body of POST /api/api-keys: only what the form sets (the API applies its defaults). */
export function newKeyBody(form: KeyForm): NewKeyBody {
  const body: NewKeyBody = { name: form.name.trim(), scopes: [...form.scopes], type: form.type };
  if (form.ownerEmail.trim()) body.ownerEmail = form.ownerEmail.trim();
  if (form.expiresAt.trim()) body.expiresAt = form.expiresAt.trim();
  const allow = lines(form.ipAllowlist);
  if (allow.length > 0) body.ipAllowlist = allow;
  const rateLimit = rateLimitOf(form);
  if (rateLimit) body.rateLimit = rateLimit;
  const alerts = formToAlerts(form.alerts);
  if (alerts) body.alerts = alerts;
  return body;
}

export interface KeyPatchBody {
  name: string;
  scopes: string[];
  ipAllowlist: string[] | null;
  rateLimit: { limit: number; period: RatePeriod } | null;
  alerts: AlertSettings | null;
}

/** The body of PATCH /api/api-keys/:id: every editable setting; an empty one is cleared (null). */
export function keyPatchBody(form: KeyForm): KeyPatchBody {
  const allow = lines(form.ipAllowlist);
  return {
    name: form.name.trim(),
    scopes: [...form.scopes],
    ipAllowlist: allow.length > 0 ? allow : null,
    rateLimit: rateLimitOf(form) ?? null,
    alerts: formToAlerts(form.alerts),
  };
}

/** A key's current settings as the settings form. */
export function keyToForm(key: {
  name: string;
  scopes: readonly string[];
  type: KeyType;
  ownerEmail: string | null;
  expiresAt: string | null;
  ipAllowlist: readonly string[] | null;
  rateLimit: { limit: number; period: RatePeriod } | null;
  alerts: AlertSettings | null;
}): KeyForm {
  return {
    name: key.name,
    scopes: [...key.scopes],
    type: key.type,
    ownerEmail: key.ownerEmail ?? '',
    expiresAt: key.expiresAt ? key.expiresAt.slice(0, 10) : '',
    ipAllowlist: (key.ipAllowlist ?? []).join('\n'),
    rateLimit: key.rateLimit ? String(key.rateLimit.limit) : '',
    ratePeriod: key.rateLimit?.period ?? 'minute',
    alerts: alertsToForm(key.alerts),
  };
}

/** The fields a 400 about a key may name, for fieldErrors. */
export const KEY_FIELDS = [
  'name',
  'scopes',
  'type',
  'ownerEmail',
  'expiresAt',
  'ipAllowlist',
  'rateLimit',
  'rateLimit.limit',
  'rateLimit.period',
] as const;

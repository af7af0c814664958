import { describe, expect, it } from 'vitest';
import { type AlertSettings, alertsToForm, emptyAlertsForm, formToAlerts } from '../src/data/alert-form.ts';
import { emptyKeyForm, keyPatchBody, keyToForm, newKeyBody } from '../src/data/key-form.ts';

describe('alert settings ↔ form', () => {
  it('an empty form sets nothing (inherit)', () => {
    expect(formToAlerts(emptyAlertsForm())).toBeNull();
    expect(alertsToForm(null)).toEqual(emptyAlertsForm());
  });

  it('round-trips every field', () => {
    const settings: AlertSettings = {
      unusualActivity: { enabled: true, learningDays: 0, sensitivity: 'high' },
      highUsage: { threshold: 10000, period: 'daily', warnAt: 0.9, notifyResolved: true },
      failures: { threshold: 100, period: 'hourly', rate: 0.5, minRequests: 40, notifyResolved: true },
      channels: {
        slack: '#security',
        email: ['a@example.com', 'b@example.com'],
        webhook: 'https://hooks.example.com/x',
        security: { email: ['sec@example.com'] },
      },
    };
    expect(formToAlerts(alertsToForm(settings), true)).toEqual(settings);
  });

  it('keeps a sensitivity alone, without learning days', () => {
    const s: AlertSettings = { unusualActivity: { enabled: true, sensitivity: 'low' } };
    expect(formToAlerts(alertsToForm(s))).toEqual(s);
  });

  it('keeps warnAt null (no early warning) and booleans for unusual activity', () => {
    const s: AlertSettings = {
      unusualActivity: false,
      highUsage: { threshold: 5, period: 'hourly', warnAt: null },
    };
    expect(formToAlerts(alertsToForm(s))).toEqual(s);
  });

  it('leaves out a rule without a threshold and security channels of a key', () => {
    const form = emptyAlertsForm();
    form.failuresPeriod = 'daily';
    form.security.slack = '#sec';
    form.channels.email = 'a@example.com, b@example.com\n\n';
    expect(formToAlerts(form)).toEqual({ channels: { email: ['a@example.com', 'b@example.com'] } });
  });

  it('sends what was typed for the API to judge', () => {
    const form = emptyAlertsForm();
    form.highUsageThreshold = '12abc';
    expect(formToAlerts(form)?.highUsage?.threshold).toBe('12abc');
  });
});

describe('key forms → bodies', () => {
  it('a new key carries only what is set', () => {
    const form = { ...emptyKeyForm(), name: ' billing ', scopes: ['data:read'] };
    expect(newKeyBody(form)).toEqual({ name: 'billing', scopes: ['data:read'], type: 'organization' });
  });

  it('a new key with every field', () => {
    const form = {
      ...emptyKeyForm(),
      name: 'alice',
      scopes: ['chat', 'admin'],
      type: 'personal' as const,
      ownerEmail: 'alice@example.com',
      expiresAt: '2027-06-01',
      ipAllowlist: '203.0.113.0/24\n\n 2001:db8::/32 \n',
      rateLimit: '600',
      ratePeriod: 'minute' as const,
    };
    form.alerts = { ...form.alerts, failuresThreshold: '50' };
    expect(newKeyBody(form)).toEqual({
      name: 'alice',
      scopes: ['chat', 'admin'],
      type: 'personal',
      ownerEmail: 'alice@example.com',
      expiresAt: '2027-06-01',
      ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'],
      rateLimit: { limit: 600, period: 'minute' },
      alerts: { failures: { threshold: 50, period: 'hourly' } },
    });
  });

  it('a patch clears emptied settings with null', () => {
    const key = {
      name: 'svc',
      scopes: ['data:read'],
      type: 'organization' as const,
      ownerEmail: null,
      expiresAt: null,
      ipAllowlist: ['10.0.0.0/8'],
      rateLimit: { limit: 5, period: 'second' as const },
      alerts: { unusualActivity: true },
    };
    const form = keyToForm(key);
    expect(keyPatchBody(form)).toEqual({
      name: 'svc',
      scopes: ['data:read'],
      ipAllowlist: ['10.0.0.0/8'],
      rateLimit: { limit: 5, period: 'second' },
      alerts: { unusualActivity: true },
    });
    form.ipAllowlist = '';
    form.rateLimit = ' ';
    form.alerts = emptyAlertsForm();
    expect(keyPatchBody(form)).toMatchObject({ ipAllowlist: null, rateLimit: null, alerts: null });
  });
});

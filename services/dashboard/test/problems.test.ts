import { describe, expect, it } from 'vitest';
import { ALERT_FIELDS } from '../src/data/alert-form.ts';
import { KEY_FIELDS } from '../src/data/key-form.ts';
import { FORM, fieldErrors, parseProblems } from '../src/data/problems.ts';

const FIELDS = [...KEY_FIELDS, ...ALERT_FIELDS];

describe('the 400 message → problems', () => {
  it('splits `field: problem; field: problem`', () => {
    expect(
      parseProblems('name: Too small: expected string to have >=1 characters; scopes: Invalid input'),
    ).toEqual([
      { field: 'name', problem: 'Too small: expected string to have >=1 characters' },
      { field: 'scopes', problem: 'Invalid input' },
    ]);
  });

  it('keeps a "; " inside a problem that starts no new field', () => {
    expect(
      parseProblems(
        'granularity: minute over this range holds more than 200000 buckets; narrow the range (from, to) or coarsen the granularity',
      ),
    ).toEqual([
      {
        field: 'granularity',
        problem:
          'minute over this range holds more than 200000 buckets; narrow the range (from, to) or coarsen the granularity',
      },
    ]);
  });

  it('reads dotted paths and a message without a field', () => {
    expect(parseProblems('alerts.highUsage.threshold: Too small')).toEqual([
      { field: 'alerts.highUsage.threshold', problem: 'Too small' },
    ]);
    expect(parseProblems('Something odd happened')).toEqual([
      { field: '', problem: 'Something odd happened' },
    ]);
    expect(parseProblems('  ')).toEqual([]);
  });
});

describe('problems → form fields', () => {
  it('gives each problem to its field', () => {
    expect(fieldErrors('name: is required; ownerEmail: is required for a personal key', FIELDS)).toEqual({
      name: ['is required'],
      ownerEmail: ['is required for a personal key'],
    });
  });

  it('numbers list items as lines', () => {
    expect(fieldErrors('ipAllowlist.2: Invalid CIDR; ipAllowlist.0: Invalid CIDR', FIELDS)).toEqual({
      ipAllowlist: ['line 3: Invalid CIDR', 'line 1: Invalid CIDR'],
    });
    expect(fieldErrors('alerts.channels.email.1: Invalid email address', FIELDS)).toEqual({
      'alerts.channels.email': ['line 2: Invalid email address'],
    });
  });

  it('takes the longest field that is the path or a prefix of it', () => {
    expect(fieldErrors('alerts.highUsage.threshold: Too small; rateLimit.limit: Too big', FIELDS)).toEqual({
      'alerts.highUsage.threshold': ['Too small'],
      'rateLimit.limit': ['Too big'],
    });
    expect(fieldErrors('alerts.failures.unknownKey: Unrecognized', FIELDS)).toEqual({
      'alerts.failures': ['unknownKey: Unrecognized'],
    });
    expect(fieldErrors('namespace: not a field', ['name'])).toEqual({ [FORM]: ['namespace: not a field'] });
  });

  it('puts body-level and unknown problems on the form', () => {
    expect(fieldErrors('body: Unexpected token', FIELDS)).toEqual({ [FORM]: ['Unexpected token'] });
    expect(fieldErrors('colour: Unrecognized key', FIELDS)).toEqual({ [FORM]: ['colour: Unrecognized key'] });
    expect(fieldErrors('Bad request', FIELDS)).toEqual({ [FORM]: ['Bad request'] });
  });
});

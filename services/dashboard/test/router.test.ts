import { describe, expect, it } from 'vitest';
import { buildUrl, matchRoute, patchQuery, safeNext, signInUrl } from '../src/router.ts';

describe('routes', () => {
  it('matches each page, with or without a trailing slash', () => {
    expect(matchRoute('/').name).toBe('home');
    expect(matchRoute('/overview').name).toBe('overview');
    expect(matchRoute('/keys/').name).toBe('keys');
    expect(matchRoute('/keys/new').name).toBe('newKey');
    expect(matchRoute('/keys/7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f')).toEqual({
      name: 'key',
      params: { id: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f' },
    });
    expect(matchRoute('/alerts').name).toBe('alerts');
    expect(matchRoute('/settings').name).toBe('settings');
    expect(matchRoute('/rotation').name).toBe('rotation');
    expect(matchRoute('/signin').name).toBe('signin');
    expect(matchRoute('/keys/a/b').name).toBe('notFound');
    expect(matchRoute('/keys/%E0%A4%A').name).toBe('notFound');
    expect(matchRoute('/nope').name).toBe('notFound');
  });
});

describe('URLs', () => {
  it('builds a query string without empty values', () => {
    expect(
      buildUrl('/keys', { q: 'billing svc', status: 'active', type: '', scope: undefined, page: 2 }),
    ).toBe('/keys?q=billing+svc&status=active&page=2');
    expect(buildUrl('/keys', {})).toBe('/keys');
  });

  it('patches a query string, removing cleared fields', () => {
    expect(patchQuery('?range=7d&q=x', { q: null, sort: 'name' })).toBe('?range=7d&sort=name');
    expect(patchQuery('?q=x', { q: '' })).toBe('');
  });
});

describe('where to go after signing in', () => {
  it('accepts paths of this app, with their query', () => {
    expect(safeNext('/keys?q=billing&status=active')).toBe('/keys?q=billing&status=active');
    expect(safeNext('/keys/abc?granularity=hour')).toBe('/keys/abc?granularity=hour');
  });

  it('refuses other origins, protocol-relative and odd paths, and the sign-in page itself', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/ok\nSet-Cookie:x',
      '/signin?next=/keys',
      '',
      null,
      undefined,
    ]) {
      expect(safeNext(bad)).toBe('/overview');
    }
  });

  it('builds the sign-in address that returns there', () => {
    expect(signInUrl('/alerts?state=firing')).toBe('/signin?next=%2Falerts%3Fstate%3Dfiring');
    expect(signInUrl('/overview')).toBe('/signin');
    expect(signInUrl('/signin?next=/x')).toBe('/signin');
  });
});

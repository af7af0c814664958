import { loadConfig } from '@keywatch/config';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  fromOwnOrigin,
  sessionCookie,
  sessionIdOf,
} from '../../src/http/session-cookie.ts';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;
const plain = loadConfig({});
const https = loadConfig({ PUBLIC_URL: 'https://keywatch.example.com/base' });

describe('the session cookie', () => {
  it('is read from among other cookies, and only under its own name', () => {
    expect(sessionIdOf(request({ cookie: 'a=1; keywatch_session=abc_-9 ; b=2' }))).toBe('abc_-9');
    expect(sessionIdOf(request({ cookie: 'xkeywatch_session=abc; keywatch_session_old=d' }))).toBeNull();
    expect(sessionIdOf(request({ cookie: 'keywatch_session=' }))).toBeNull();
    expect(sessionIdOf(request({}))).toBeNull();
  });

  it('is Secure only when PUBLIC_URL is https', () => {
    expect(sessionCookie('id', plain)).toBe(
      'keywatch_session=id; Path=/api; Max-Age=43200; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie('id', loadConfig({ PUBLIC_URL: 'http://keywatch.internal' }))).not.toContain(
      'Secure',
    );
    expect(sessionCookie('id', https)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(https)).toBe(
      'keywatch_session=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
    );
  });
});

describe('the Origin check', () => {
  it('takes the Host’s http origin without PUBLIC_URL, default ports alike', () => {
    const own = (origin: string, host = 'keywatch.internal:8080') =>
      fromOwnOrigin(request({ host, origin }), plain);
    expect(own('http://keywatch.internal:8080')).toBe(true);
    expect(own('http://localhost', 'localhost:80')).toBe(true);
    expect(own('https://keywatch.internal:8080')).toBe(false);
    expect(own('http://keywatch.internal:8081')).toBe(false);
    expect(own('http://keywatch.internal:8080.evil.example')).toBe(false);
    expect(own('null')).toBe(false);
    expect(fromOwnOrigin(request({ host: 'keywatch.internal:8080' }), plain)).toBe(false);
  });

  it('takes PUBLIC_URL’s origin when set, whatever the Host says', () => {
    expect(
      fromOwnOrigin(request({ host: 'evil.example', origin: 'https://keywatch.example.com' }), https),
    ).toBe(true);
    expect(fromOwnOrigin(request({ host: 'evil.example', origin: 'https://evil.example' }), https)).toBe(
      false,
    );
  });
});

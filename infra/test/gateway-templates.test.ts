import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Read-checks of the gateway templates that cannot run here (Traefik, Envoy; nginx also runs for
// real in services/verifier/test/integration/nginx-gateway.test.ts): each fixes the required scope
// in its own configuration, and no client header but the credential reaches keywatch unreplaced.
/** `${NAME}`, a template's placeholder. */
const placeholder = (name: string) => `$\{${name}}`;
const read = (...path: string[]) => readFileSync(join(import.meta.dirname, '..', ...path), 'utf8');
/** A YAML list under `key:` (the lines `- item` that follow it, at one indent). */
const listUnder = (text: string, key: string): string[] => {
  const match = new RegExp(`^(\\s*)${key}:\\s*\\n((?:\\1\\s+- .*\\n)+)`, 'm').exec(text);
  return match
    ? match[2]!
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/^\s*- /, '').trim())
    : [];
};

describe('nginx template', () => {
  const conf = read('nginx', 'keywatch.conf.template');
  it('sets the required scope and the client claims itself, replacing whatever the client sent', () => {
    for (const header of [
      `X-Required-Scope ${placeholder('SCOPE')}`,
      'X-Original-Method $request_method',
      'X-Original-URI $request_uri',
      'X-Forwarded-For $remote_addr',
    ]) {
      expect(conf).toContain(`proxy_set_header ${header};`);
    }
  });
});

describe('Traefik template', () => {
  const conf = read('traefik', 'keywatch.yml');
  it('fixes the scope in the address', () => {
    expect(conf).toMatch(/address: "http:\/\/\$\{VERIFIER\}\/v1\/auth\?scope=\$\{SCOPE\}"/);
  });
  it('forwards only the credential and user agent from the client, and never trusts its X-Forwarded-*', () => {
    expect(listUnder(conf, 'authRequestHeaders')).toEqual(['Authorization', 'User-Agent']);
    expect(conf).toMatch(/trustForwardHeader: false/);
  });
});

describe('Envoy template', () => {
  const conf = read('envoy', 'keywatch.yaml');
  it('forwards only the credential and user agent from the client', () => {
    expect(listUnder(conf, 'patterns').slice(0, 2)).toEqual(['exact: authorization', 'exact: user-agent']);
  });
  it('sets the required scope and the client claims itself (headers_to_add override the client)', () => {
    const added = [...conf.matchAll(/- key: ([a-z-]+)\n\s+value: "([^"]+)"/g)].map(([, k, val]) => [k, val]);
    expect(added).toEqual([
      ['x-required-scope', placeholder('SCOPE')],
      ['x-original-method', '%REQ(:METHOD)%'],
      ['x-original-uri', '%REQ(:PATH)%'],
      ['x-forwarded-for', '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%'],
    ]);
  });
  it('fails closed when keywatch cannot answer', () => {
    expect(conf).toMatch(/failure_mode_allow: false/);
  });
});

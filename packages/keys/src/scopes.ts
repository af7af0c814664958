export const SCOPES = [
  'chat',
  'agents:read',
  'agents:write',
  'agents:delete',
  'data:read',
  'data:write',
  'analytics:read',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

export const KEY_TYPES = ['organization', 'personal', 'scoped'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** `admin` grants every scope. */
export const grants = (held: readonly string[], required: string): boolean =>
  held.includes('admin') || held.includes(required);

// A required scope longer than any real one is still checked (and fails); the cut keeps events small.
const MAX_SCOPE_LENGTH = 100;

/**
 * Every scope a verification requires: all those named by every source (the gateway's
 * X-Required-Scope, repeated or not, and ?scope=), each a comma-separated list. An empty value
 * names none, so a client can add a requirement but never remove or replace one.
 */
export function requiredScopes(...sources: (string | readonly string[] | undefined | null)[]): string[] {
  const required = new Set<string>();
  for (const source of sources) {
    for (const value of typeof source === 'string' ? [source] : (source ?? [])) {
      for (const part of value.split(',')) {
        const scope = part.trim().slice(0, MAX_SCOPE_LENGTH);
        if (scope) required.add(scope);
      }
    }
  }
  return [...required];
}

/** The first required scope the held ones do not grant, if any. */
export const missingScope = (held: readonly string[], required: readonly string[]): string | undefined =>
  required.find((scope) => !grants(held, scope));

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

import type { BlockList } from 'node:net';
import type { ApiKey } from '@keywatch/db';
import {
  type FailureCode,
  type FailureDetail,
  hashSecret,
  missingScope,
  parseAuthorization,
} from '@keywatch/keys';
import type { RateLimitState } from './rate-limit.ts';
import type { KeyLookup } from './unknown-keys.ts';

export interface CredentialCheck {
  /**
   * The presented secret, the raw Authorization header to read it from, or a key already known
   * (a dashboard session stands for it), checked as it is now without a lookup.
   */
  credential: { header: string | string[] | undefined } | { secret: string } | { key: ApiKey };
  /** Every scope required (see requiredScopes): the key must grant all of them. */
  scopes: readonly string[];
  ip: string | null;
}

export type Verdict =
  | { ok: true; key: ApiKey }
  | {
      ok: false;
      code: FailureCode;
      key?: ApiKey;
      detail?: FailureDetail;
      presented?: string;
      /** Set when the source was past its budget of unknown keys (no lookup was made). */
      ratelimit?: RateLimitState;
    };

export interface CredentialCheckDeps {
  findKeyByHash: KeyLookup;
  allowlistOf(key: ApiKey): BlockList | null;
  now(): Date;
}

/**
 * Decides whether a credential may be used, in the contract's order: header, key, revoked,
 * expired, IP allowlist, scope. Rate limiting, which needs shared state, comes after.
 */
export async function checkCredential(input: CredentialCheck, deps: CredentialCheckDeps): Promise<Verdict> {
  const { credential } = input;
  const found = 'key' in credential ? credential.key : await lookUp(credential, input.ip, deps);
  return 'id' in found ? checkKey(found, input, deps) : found;
}

/** The key a secret names, or why there is none to check. */
async function lookUp(
  credential: { header: string | string[] | undefined } | { secret: string },
  ip: string | null,
  deps: CredentialCheckDeps,
): Promise<ApiKey | Extract<Verdict, { ok: false }>> {
  let secret: string;
  if ('secret' in credential) {
    secret = credential.secret;
  } else {
    const parsed = parseAuthorization(credential.header);
    if (!parsed.ok) return { ok: false, code: parsed.code };
    secret = parsed.secret;
  }
  const key = await deps.findKeyByHash(hashSecret(secret), ip);
  if (!key) return { ok: false, code: 'INVALID_API_KEY', presented: secret };
  if ('throttled' in key) {
    const { limit, period } = key.throttled;
    return {
      ok: false,
      code: 'RATE_LIMITED',
      presented: secret,
      ratelimit: key.throttled,
      detail: { limit, period },
    };
  }
  return key;
}

/** A known key's state, in the contract's order: revoked, expired, IP allowlist, scope. */
function checkKey(key: ApiKey, input: CredentialCheck, deps: CredentialCheckDeps): Verdict {
  if (key.revokedAt && key.revokedAt <= deps.now()) return { ok: false, code: 'REVOKED', key };
  if (key.expiresAt && key.expiresAt <= deps.now()) {
    return { ok: false, code: 'EXPIRED', key, detail: { expiresAt: key.expiresAt } };
  }
  const allowlist = deps.allowlistOf(key);
  if (allowlist && !(input.ip && allowlist.check(input.ip, input.ip.includes(':') ? 'ipv6' : 'ipv4'))) {
    return { ok: false, code: 'IP_NOT_ALLOWED', key };
  }
  const missing = missingScope(key.scopes, input.scopes);
  if (missing !== undefined)
    return { ok: false, code: 'INSUFFICIENT_SCOPE', key, detail: { scope: missing } };
  return { ok: true, key };
}

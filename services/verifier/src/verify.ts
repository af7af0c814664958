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

export interface VerifyInput {
  /** The presented secret, or the raw Authorization header to read it from. */
  credential: { header: string | string[] | undefined } | { secret: string };
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

export interface VerifyDeps {
  findKeyByHash: KeyLookup;
  allowlistOf(key: ApiKey): BlockList | null;
  now(): Date;
}

/**
 * Decides whether a credential may be used, in the contract's order: header, key, revoked,
 * expired, IP allowlist, scope. Rate limiting, which needs shared state, comes after.
 */
export async function verifyCredential(input: VerifyInput, deps: VerifyDeps): Promise<Verdict> {
  let secret: string;
  if ('secret' in input.credential) {
    secret = input.credential.secret;
  } else {
    const parsed = parseAuthorization(input.credential.header);
    if (!parsed.ok) return { ok: false, code: parsed.code };
    secret = parsed.secret;
  }
  const key = await deps.findKeyByHash(hashSecret(secret), input.ip);
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

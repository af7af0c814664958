import type { BlockList } from 'node:net';
import type { ApiKey } from '@keywatch/db';
import { type AuthEvent, newAuthEvent } from '@keywatch/events';
import { displayPrefix, type FailureCode, looksLikeSecret } from '@keywatch/keys';
import { Counter, Histogram, type Registry } from 'prom-client';
import { networkList } from './client-ip.ts';
import { type CredentialCheck, checkCredential } from './credential-check.ts';
import type { CountryOf } from './geo.ts';
import { type Problem, problems, verificationProblem } from './http/errors.ts';
import { KeyStoreUnavailableError } from './key-cache.ts';
import type { RateLimiter, RateLimitState } from './rate-limit.ts';
import type { KeyLookup } from './unknown-keys.ts';

export interface VerificationRequest extends CredentialCheck {
  method: string | null;
  path: string | null;
  userAgent: string | null;
}

/** What a verification decided; each one is an AuthEvent. */
type Decided =
  | { ok: true; key: ApiKey; ratelimit: RateLimitState }
  | { ok: false; code: FailureCode; problem: Problem; key?: ApiKey; ratelimit?: RateLimitState };

export type Verification =
  | Decided
  /** Postgres cannot be reached and the key is not cached: nothing was verified, so no event. */
  | { ok: false; code: 'UNAVAILABLE'; problem: Problem; key?: undefined; ratelimit?: undefined };

export interface VerifierDeps {
  /** hash → key, through the cache and the unknown-key budget of the request's source. */
  findKey: KeyLookup;
  rateLimit: RateLimiter;
  countryOf: CountryOf;
  emit: (event: AuthEvent) => void;
  metrics: Registry;
  now?: () => Date;
}

// Scopes are short words: a longer list in an event can only be padding.
const MAX_EVENT_SCOPE = 200;

export type Verifier = (request: VerificationRequest) => Promise<Verification>;

/**
 * The verifier's one path for every use of a key (forward-auth, JSON verify, management API):
 * decide, rate-limit, and emit exactly one AuthEvent, whatever the outcome.
 */
export function createVerifier(deps: VerifierDeps): Verifier {
  const now = deps.now ?? (() => new Date());
  const allowlists = new WeakMap<ApiKey, BlockList>();
  const allowlistOf = (key: ApiKey) => {
    if (!key.ipAllowlist?.length) return null;
    let list = allowlists.get(key);
    if (!list) {
      list = networkList(key.ipAllowlist);
      allowlists.set(key, list);
    }
    return list;
  };
  const verifications = new Counter({
    name: 'keywatch_verifications_total',
    help: 'Verifications by result code',
    labelNames: ['code'],
    registers: [deps.metrics],
  });
  const latency = new Histogram({
    name: 'keywatch_verification_seconds',
    help: 'Time to verify a key, rate limit included',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [deps.metrics],
  });
  const lookup = { findKeyByHash: deps.findKey, allowlistOf, now };

  return async (request) => {
    const started = performance.now();
    const at = now();
    let verdict: Awaited<ReturnType<typeof checkCredential>>;
    try {
      verdict = await checkCredential(request, lookup);
    } catch (err) {
      if (!(err instanceof KeyStoreUnavailableError)) throw err;
      verifications.inc({ code: 'UNAVAILABLE' });
      return { ok: false, code: 'UNAVAILABLE', problem: problems.unavailable() };
    }
    let outcome: Decided;
    if (!verdict.ok) {
      outcome = {
        ok: false,
        code: verdict.code,
        problem: verificationProblem(verdict.code, verdict.detail),
        key: verdict.key,
        ratelimit: verdict.ratelimit,
      };
    } else {
      const ratelimit = await deps.rateLimit(verdict.key.id, verdict.key.rateLimit, at);
      outcome = ratelimit.allowed
        ? { ok: true, key: verdict.key, ratelimit }
        : {
            ok: false,
            code: 'RATE_LIMITED',
            problem: verificationProblem('RATE_LIMITED', {
              limit: ratelimit.limit,
              period: ratelimit.period,
            }),
            key: verdict.key,
            ratelimit,
          };
    }
    const code = outcome.ok ? 'VALID' : outcome.code;
    const seconds = (performance.now() - started) / 1000;
    verifications.inc({ code });
    latency.observe(seconds);
    const key = outcome.key;
    const presented = !verdict.ok ? verdict.presented : undefined;
    deps.emit(
      newAuthEvent({
        at,
        keyId: key?.id ?? null,
        orgId: key?.orgId ?? null,
        // Four characters of an unknown key help spot credential stuffing; never more.
        keyPrefix: key?.prefix ?? (presented && looksLikeSecret(presented) ? displayPrefix(presented) : null),
        code,
        scope: request.scopes.length > 0 ? request.scopes.join(',').slice(0, MAX_EVENT_SCOPE) : null,
        method: request.method,
        path: request.path,
        ip: request.ip,
        country: deps.countryOf(request.ip),
        userAgent: request.userAgent,
        latencyMs: Math.round(seconds * 1e6) / 1000,
      }),
    );
    return outcome;
  };
}

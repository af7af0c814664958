/** Failure reasons: the verification codes other than VALID, in words. */

export const CODE_LABELS: Record<string, string> = {
  VALID: 'Valid',
  MISSING_AUTH_HEADER: 'Missing Authorization header',
  MALFORMED_AUTH_HEADER: 'Malformed Authorization header',
  INVALID_API_KEY: 'Invalid API key',
  REVOKED: 'Revoked key',
  EXPIRED: 'Expired key',
  INSUFFICIENT_SCOPE: 'Missing scope',
  IP_NOT_ALLOWED: 'IP not allowed',
  RATE_LIMITED: 'Rate limited',
};

export const codeLabel = (code: string) => CODE_LABELS[code] ?? code;

export interface Reason {
  code: string;
  label: string;
  count: number;
}

/** The failure reasons of a `byCode`, most frequent first (ties by code), without VALID or zeros. */
export function failureReasons(byCode: Readonly<Record<string, number | undefined>>): Reason[] {
  return Object.entries(byCode)
    .filter((e): e is [string, number] => e[0] !== 'VALID' && typeof e[1] === 'number' && e[1] > 0)
    .map(([code, count]) => ({ code, label: codeLabel(code), count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** The most frequent failure reason, or null without failures. */
export function topFailure(byCode: Readonly<Record<string, number | undefined>>): Reason | null {
  return failureReasons(byCode)[0] ?? null;
}

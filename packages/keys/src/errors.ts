/** Codes carried by AuthEvents and answered by `POST /v1/verify`. */
export const VERIFY_CODES = [
  'VALID',
  'MISSING_AUTH_HEADER',
  'MALFORMED_AUTH_HEADER',
  'INVALID_API_KEY',
  'REVOKED',
  'EXPIRED',
  'INSUFFICIENT_SCOPE',
  'IP_NOT_ALLOWED',
  'RATE_LIMITED',
] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];
export type FailureCode = Exclude<VerifyCode, 'VALID'>;
export const FAILURE_CODES = VERIFY_CODES.filter((c): c is FailureCode => c !== 'VALID');

/** What a failed verification knows beyond its code, for the answer's message. */
export interface FailureDetail {
  /** Expiry date of an expired key. */
  expiresAt?: Date;
  /** The scope that was required and not held. */
  scope?: string;
  limit?: number;
  period?: string;
}

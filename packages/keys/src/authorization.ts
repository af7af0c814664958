export type ParsedAuthorization =
  | { ok: true; secret: string }
  | { ok: false; code: 'MISSING_AUTH_HEADER' | 'MALFORMED_AUTH_HEADER' };

/** Reads `Authorization: Bearer <key>`; the scheme is case-insensitive (RFC 7235). */
export function parseAuthorization(header: string | string[] | undefined): ParsedAuthorization {
  if (header === undefined || header === '') return { ok: false, code: 'MISSING_AUTH_HEADER' };
  if (Array.isArray(header)) return { ok: false, code: 'MALFORMED_AUTH_HEADER' };
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  if (!match) return { ok: false, code: 'MALFORMED_AUTH_HEADER' };
  return { ok: true, secret: match[1]! };
}

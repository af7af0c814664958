import { FAILURE_CODES } from '@keywatch/keys';
import { describe, expect, it } from 'vitest';
import { errorBody, problems, STATUS_OF, verificationProblem } from '../../src/http/errors.ts';

describe('the error catalogue', () => {
  it('answers the contract body for each failure of a verification', () => {
    expect(errorBody(verificationProblem('MISSING_AUTH_HEADER'))).toEqual({
      error: { code: 'missing_auth_header', message: 'Authorization header is required' },
      status: 401,
    });
    expect(errorBody(verificationProblem('MALFORMED_AUTH_HEADER')).error.message).toBe(
      "Authorization header must be 'Bearer <key>'",
    );
    // A revoked key looks unknown to the client; only the event says REVOKED.
    expect(errorBody(verificationProblem('REVOKED'))).toEqual(
      errorBody(verificationProblem('INVALID_API_KEY')),
    );
    expect(verificationProblem('EXPIRED', { expiresAt: new Date('2026-03-04T10:00:00Z') })).toEqual({
      code: 'expired_api_key',
      message: 'API key expired on 2026-03-04',
    });
    expect(errorBody(verificationProblem('INSUFFICIENT_SCOPE', { scope: 'agents:write' }))).toEqual({
      error: { code: 'insufficient_scope', message: 'API key lacks required scope: agents:write' },
      status: 403,
    });
    expect(errorBody(verificationProblem('RATE_LIMITED', { limit: 100, period: 'minute' }))).toEqual({
      error: { code: 'rate_limit_exceeded', message: 'Rate limit of 100 requests per minute exceeded' },
      status: 429,
    });
    expect(errorBody(verificationProblem('IP_NOT_ALLOWED')).status).toBe(403);
  });

  it('gives every failure code of a verification a status of the contract', () => {
    for (const code of FAILURE_CODES) {
      expect([401, 403, 429]).toContain(errorBody(verificationProblem(code)).status);
    }
  });

  it('maps each code to one status, and the edge’s own refusals to theirs', () => {
    expect(errorBody(problems.notFound('API key'))).toEqual({
      error: { code: 'not_found', message: 'API key not found' },
      status: 404,
    });
    expect(errorBody(problems.methodNotAllowed('PUT', '/api/api-keys')).status).toBe(405);
    expect(errorBody(problems.payloadTooLarge(65536)).error.message).toBe(
      'Request body is larger than 65536 bytes',
    );
    expect(errorBody(problems.unsupportedMediaType('text/plain')).status).toBe(415);
    expect(errorBody(problems.unsupportedMediaType('x'.repeat(5000))).error.message.length).toBeLessThan(200);
    expect(errorBody(problems.invalidRequest(['name: too short', 'scopes.0: unknown']))).toEqual({
      error: { code: 'invalid_request', message: 'name: too short; scopes.0: unknown' },
      status: 400,
    });
    expect(errorBody(problems.unavailable())).toEqual({
      error: { code: 'service_unavailable', message: 'Key verification is temporarily unavailable' },
      status: 503,
    });
    expect(new Set(Object.values(STATUS_OF)).size).toBe(11);
  });
});

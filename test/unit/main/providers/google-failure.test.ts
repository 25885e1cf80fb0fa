import { describe, expect, test } from 'vitest';
import { classifyGoogleFailure, describeGoogleFailure } from '../../../../src-main/providers/google/google-failure';

const answer = (status: number, reason?: string, headers: Record<string, string> = {}) => ({ response: { status, headers, data: { error: { errors: reason ? [{ reason }] : [] } } } });

describe('Google failures for the scheduler', () => {
  test('treats 403 userRateLimitExceeded and 429 as rate limits, honouring Retry-After', () => {
    expect(classifyGoogleFailure(answer(403, 'userRateLimitExceeded'))).toEqual({ kind: 'rate_limited', retryAfterMs: null });
    expect(classifyGoogleFailure(answer(429, 'rateLimitExceeded', { 'retry-after': '12' }))).toEqual({ kind: 'rate_limited', retryAfterMs: 12_000 });
  });

  test('retries outages and network failures, not refusals', () => {
    expect(classifyGoogleFailure(answer(503, 'backendError'))).toEqual({ kind: 'transient' });
    expect(classifyGoogleFailure(new TypeError('fetch failed'))).toEqual({ kind: 'transient' });
    expect(classifyGoogleFailure(answer(403, 'insufficientPermissions'))).toEqual({ kind: 'final' });
    expect(classifyGoogleFailure(answer(404, 'notFound'))).toEqual({ kind: 'final' });
  });

  test('describes a failure by status and reason only', () => {
    expect(describeGoogleFailure(answer(503, 'backendError'))).toBe('Google answered 503 (backendError).');
    expect(describeGoogleFailure(new TypeError('fetch failed'))).toBe('Google could not be reached.');
  });
});

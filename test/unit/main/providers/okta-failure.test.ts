import { describe, expect, test } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import { classifyOktaFailure, describeOktaFailure, OktaApiError, oktaApiError, oktaErrorCode, oktaFailureMessage, oktaRetryAfterMs } from '../../../../src-main/providers/okta/okta-failure';

const oktaBody = (errorCode: string) => ({ errorCode, errorSummary: 'summary', errorLink: errorCode, errorId: 'oae123', errorCauses: [] });

describe('Okta failures', () => {
  test('waits on 429 until X-Rate-Limit-Reset, measured against the answer’s Date header', async () => {
    const date = new Date('2026-11-21T09:00:00Z');
    const headers = { date: date.toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(date.getTime() / 1_000 + 20) };
    const limited = await oktaApiError(new Response(JSON.stringify(oktaBody('E0000047')), { status: 429, headers }));
    expect(limited).toMatchObject({ status: 429, errorCode: 'E0000047', retryAfterMs: 21_000 });
    expect(classifyOktaFailure(limited)).toEqual({ kind: 'rate_limited', retryAfterMs: 21_000 });
    expect(oktaErrorCode(limited)).toBe('quota_exhausted');
  });

  test('uses the local clock without a Date header, and never waits less than nothing or more than a minute', () => {
    const now = Date.parse('2026-11-21T09:00:00Z');
    expect(oktaRetryAfterMs(new Headers({ 'x-rate-limit-reset': String(now / 1_000 + 5) }), now)).toBe(6_000);
    expect(oktaRetryAfterMs(new Headers({ 'x-rate-limit-reset': String(now / 1_000 - 30) }), now)).toBe(0);
    expect(oktaRetryAfterMs(new Headers({ 'x-rate-limit-reset': String(now / 1_000 + 3_600) }), now)).toBe(60_000);
    expect(oktaRetryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(oktaRetryAfterMs(new Headers(), now)).toBeNull();
  });

  test('retries outages and network failures, not refusals', () => {
    expect(classifyOktaFailure(new OktaApiError(503, 'E0000009'))).toEqual({ kind: 'transient' });
    expect(classifyOktaFailure(new TypeError('fetch failed'))).toEqual({ kind: 'transient' });
    expect(classifyOktaFailure(new OktaApiError(403, 'E0000006'))).toEqual({ kind: 'final' });
    expect(classifyOktaFailure(new OktaApiError(404, 'E0000007'))).toEqual({ kind: 'final' });
  });

  test('maps failures to the contract’s error codes and says what to do', async () => {
    expect(oktaErrorCode(await oktaApiError(new Response(JSON.stringify(oktaBody('E0000011')), { status: 401 })))).toBe('needs_reconnect');
    const forbidden = await oktaApiError(new Response(JSON.stringify(oktaBody('E0000006')), { status: 403 }));
    expect(oktaErrorCode(forbidden)).toBe('permission_denied');
    expect(oktaFailureMessage(forbidden)).toMatch(/okta\.users\.manage/);
    expect(oktaErrorCode(new OktaApiError(500, null))).toBe('provider_error');
    expect(oktaErrorCode(new TypeError('fetch failed'))).toBe('network');
    expect(describeOktaFailure(forbidden)).toBe('Okta answered 403 (E0000006).');
    expect(describeOktaFailure(new TypeError('fetch failed'))).toBe('Okta could not be reached.');
  });

  test('keeps the code and sentence of our own AppError, such as a connection that needs a reconnect', () => {
    const error = new AppError('needs_reconnect', 'Acme has no valid access token.');
    expect(oktaErrorCode(error)).toBe('needs_reconnect');
    expect(oktaFailureMessage(error)).toBe('Acme has no valid access token.');
  });
});

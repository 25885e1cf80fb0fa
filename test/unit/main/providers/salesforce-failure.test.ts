import { describe, expect, test } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import {
  classifySalesforceFailure,
  describeSalesforceFailure,
  SalesforceApiError,
  salesforceApiError,
  salesforceErrorCode,
  salesforceFailureMessage,
} from '../../../../src-main/providers/salesforce/salesforce-failure';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('Salesforce failures', () => {
  test('reads the errorCode of a REST error array and the error of an OAuth endpoint answer, never the message', async () => {
    const rest = await salesforceApiError(answer(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
    expect(rest).toMatchObject({ status: 401, errorCode: 'INVALID_SESSION_ID' });
    expect(rest.message).toBe('Salesforce answered 401 (INVALID_SESSION_ID).');
    expect(await salesforceApiError(answer(400, { error: 'invalid_token', error_description: 'invalid token' }))).toMatchObject({ status: 400, errorCode: 'invalid_token' });
    expect(await salesforceApiError(new Response('<html>oops</html>', { status: 502 }))).toMatchObject({ status: 502, errorCode: null });
  });

  test('treats the daily API limit (403 REQUEST_LIMIT_EXCEEDED) as final, not worth a retry', async () => {
    const daily = await salesforceApiError(answer(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]));
    expect(classifySalesforceFailure(daily)).toEqual({ kind: 'final' });
    expect(salesforceErrorCode(daily)).toBe('quota_exhausted');
    expect(salesforceFailureMessage(daily)).toMatch(/daily API request limit/);
    expect(describeSalesforceFailure(daily)).toMatch(/daily API request limit/);
  });

  test('waits out the concurrent long-request limit, which lifts in seconds', async () => {
    const concurrent = await salesforceApiError(answer(403, [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]));
    expect(classifySalesforceFailure(concurrent)).toEqual({ kind: 'rate_limited', retryAfterMs: null });
    expect(salesforceErrorCode(concurrent)).toBe('quota_exhausted');
  });

  test('retries outages and network failures, not refusals', () => {
    expect(classifySalesforceFailure(new SalesforceApiError(503, 'SERVER_UNAVAILABLE'))).toEqual({ kind: 'transient' });
    expect(classifySalesforceFailure(new TypeError('fetch failed'))).toEqual({ kind: 'transient' });
    expect(classifySalesforceFailure(new SalesforceApiError(401, 'INVALID_SESSION_ID'))).toEqual({ kind: 'final' });
    expect(classifySalesforceFailure(new SalesforceApiError(400, 'MALFORMED_QUERY'))).toEqual({ kind: 'final' });
  });

  test('maps failures to the contract’s error codes', () => {
    expect(salesforceErrorCode(new SalesforceApiError(401, 'INVALID_SESSION_ID'))).toBe('needs_reconnect');
    expect(salesforceErrorCode(new SalesforceApiError(403, 'INSUFFICIENT_ACCESS'))).toBe('permission_denied');
    expect(salesforceErrorCode(new SalesforceApiError(500, null))).toBe('provider_error');
    expect(salesforceErrorCode(new TypeError('fetch failed'))).toBe('network');
    expect(salesforceErrorCode(new DOMException('aborted', 'AbortError'))).toBe('cancelled');
    expect(describeSalesforceFailure(new TypeError('fetch failed'))).toBe('Salesforce could not be reached.');
  });

  test('keeps the code and sentence of our own AppError, such as a connection that needs a reconnect', () => {
    const error = new AppError('needs_reconnect', 'Acme has no valid access token.');
    expect(salesforceErrorCode(error)).toBe('needs_reconnect');
    expect(salesforceFailureMessage(error)).toBe('Acme has no valid access token.');
  });
});

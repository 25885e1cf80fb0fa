import { describe, expect, test } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import { classifyZendeskFailure, describeZendeskFailure, ZendeskApiError, zendeskApiError, zendeskErrorCode, zendeskFailureMessage } from '../../../../src-main/providers/zendesk/zendesk-failure';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('Zendesk failures', () => {
  test('throttles on 429 for as long as Retry-After says', async () => {
    const limited = await zendeskApiError(answer(429, { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' }, { 'retry-after': '17' }));
    expect(limited).toMatchObject({ status: 429, error: 'APIRateLimitExceeded', retryAfterSeconds: 17 });
    expect(classifyZendeskFailure(limited)).toEqual({ kind: 'rate_limited', retryAfterMs: 17_000 });
    expect(classifyZendeskFailure(new ZendeskApiError(429, null))).toEqual({ kind: 'rate_limited', retryAfterMs: null });
    expect(zendeskErrorCode(limited)).toBe('quota_exhausted');
  });

  test('retries an outage with backoff even when it carries Retry-After', async () => {
    const outage = await zendeskApiError(answer(503, { error: 'ServiceUnavailable' }, { 'retry-after': '10' }));
    expect(classifyZendeskFailure(outage)).toEqual({ kind: 'transient' });
    expect(classifyZendeskFailure(new TypeError('fetch failed'))).toEqual({ kind: 'transient' });
  });

  test('does not retry refusals, and maps them to the contract’s error codes', async () => {
    const unauthenticated = await zendeskApiError(answer(401, { error: "Couldn't authenticate you" }));
    expect(classifyZendeskFailure(unauthenticated)).toEqual({ kind: 'final' });
    expect(zendeskErrorCode(unauthenticated)).toBe('needs_reconnect');
    const forbidden = await zendeskApiError(answer(403, { error: 'Forbidden', description: 'You do not have access to this page.' }));
    expect(zendeskErrorCode(forbidden)).toBe('permission_denied');
    expect(zendeskFailureMessage(forbidden)).toMatch(/write scope/);
    expect(zendeskErrorCode(new ZendeskApiError(404, 'RecordNotFound'))).toBe('provider_error');
    expect(zendeskErrorCode(new TypeError('fetch failed'))).toBe('network');
  });

  test('keeps Zendesk’s error word, never its description', async () => {
    const nested = await zendeskApiError(answer(400, { error: { title: 'Invalid attribute', message: 'a long free text that may echo input' } }));
    expect(nested.message).toBe('Zendesk answered 400 (Invalid attribute).');
    expect(describeZendeskFailure(await zendeskApiError(answer(404, { error: 'RecordNotFound', description: 'Not found' })))).toBe('Zendesk answered 404 (RecordNotFound).');
    expect(describeZendeskFailure(new TypeError('fetch failed'))).toBe('Zendesk could not be reached.');
  });

  test('keeps the code and sentence of our own AppError, such as a connection that needs a reconnect', () => {
    const error = new AppError('needs_reconnect', 'Acme has no valid access token.');
    expect(zendeskErrorCode(error)).toBe('needs_reconnect');
    expect(zendeskFailureMessage(error)).toBe('Acme has no valid access token.');
  });
});

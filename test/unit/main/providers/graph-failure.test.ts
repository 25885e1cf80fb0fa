import { GraphError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../../src-main/errors/app-error';
import { describe, expect, test } from 'vitest';
import { classifyGraphFailure, describeGraphFailure, GraphRequestError, graphErrorFromAnswer, graphFailureCode } from '../../../../src-main/providers/microsoft/graph-failure';

const graphBody = (code: string, message = 'Something the provider said.') => ({ error: { code, message, innerError: { 'request-id': 'r', date: '2026-11-21T09:00:00' } } });

describe('Microsoft Graph failures for the scheduler', () => {
  test('treats 429 as a rate limit, honouring Retry-After seconds', () => {
    expect(classifyGraphFailure(graphErrorFromAnswer(429, { 'Retry-After': '12' }, graphBody('TooManyRequests')))).toEqual({ kind: 'rate_limited', retryAfterMs: 12_000 });
    expect(classifyGraphFailure(graphErrorFromAnswer(429, {}, undefined))).toEqual({ kind: 'rate_limited', retryAfterMs: null });
  });

  test('treats 503 and 504 with Retry-After as a request to wait, and without it as transient', () => {
    expect(classifyGraphFailure(graphErrorFromAnswer(503, new Headers({ 'retry-after': '2' }), graphBody('serviceNotAvailable')))).toEqual({ kind: 'rate_limited', retryAfterMs: 2_000 });
    expect(classifyGraphFailure(graphErrorFromAnswer(504, { 'retry-after': '5' }, undefined))).toEqual({ kind: 'rate_limited', retryAfterMs: 5_000 });
    expect(classifyGraphFailure(graphErrorFromAnswer(503, {}, undefined))).toEqual({ kind: 'transient' });
  });

  test('reads a Retry-After given as an HTTP date', () => {
    const error = graphErrorFromAnswer(429, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }, undefined);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(31);
  });

  test('retries server errors and network failures, not refusals or cancellations', () => {
    expect(classifyGraphFailure(graphErrorFromAnswer(500, {}, graphBody('InternalServerError')))).toEqual({ kind: 'transient' });
    expect(classifyGraphFailure(new GraphRequestError({}, { cause: new TypeError('fetch failed') }))).toEqual({ kind: 'transient' });
    expect(classifyGraphFailure(new TypeError('fetch failed'))).toEqual({ kind: 'transient' });
    for (const status of [400, 401, 403, 404, 409]) expect(classifyGraphFailure(graphErrorFromAnswer(status, {}, undefined))).toEqual({ kind: 'final' });
    expect(classifyGraphFailure(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toEqual({ kind: 'final' });
  });

  test("understands the Graph SDK's GraphError too", () => {
    const throttled = Object.assign(new GraphError(429, 'Too many'), { code: 'TooManyRequests', headers: new Headers({ 'retry-after': '3' }) });
    expect(classifyGraphFailure(throttled)).toEqual({ kind: 'rate_limited', retryAfterMs: 3_000 });
    expect(describeGraphFailure(Object.assign(new GraphError(403, 'Insufficient privileges'), { code: 'Authorization_RequestDenied' }))).toBe('Microsoft Graph answered 403 (Authorization_RequestDenied).');
  });
});

describe('describing a Graph failure', () => {
  test('says the status and Graph’s error code in one sentence', () => {
    expect(describeGraphFailure(graphErrorFromAnswer(403, {}, graphBody('Authorization_RequestDenied')))).toBe('Microsoft Graph answered 403 (Authorization_RequestDenied).');
    expect(describeGraphFailure(graphErrorFromAnswer(502, {}, 'not json'))).toBe('Microsoft Graph answered 502.');
    expect(describeGraphFailure(new TypeError('fetch failed'))).toBe('Microsoft Graph could not be reached.');
  });

  test('never repeats the provider’s message, or a code that is not a plain identifier', () => {
    const error = graphErrorFromAnswer(400, {}, { error: { code: 'Bad token eyJhbGciOi.secret', message: 'Token eyJhbGciOi.secret is invalid' } });
    expect(describeGraphFailure(error)).toBe('Microsoft Graph answered 400.');
    expect(error.message).toBe('Microsoft Graph answered 400.');
    expect(describeGraphFailure(graphErrorFromAnswer(401, {}, graphBody('InvalidAuthenticationToken', 'Access token eyJ0eXAi has expired.')))).not.toContain('eyJ');
  });

  test('keeps the code and sentence of our own AppError, such as a connection that needs a reconnect', () => {
    const error = new AppError('needs_reconnect', 'Acme has no valid access token.');
    expect(graphFailureCode(error)).toBe('needs_reconnect');
    expect(describeGraphFailure(error)).toBe('Acme has no valid access token.');
  });
});

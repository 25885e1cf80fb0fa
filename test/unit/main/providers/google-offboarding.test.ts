/**
 * Google offboarding against answers the simulator cannot give on demand: a refusal for want of
 * the user-security scope (every sample sign-in holds it), an admin without the privilege, a
 * transfer insert whose answer is lost on the way, a user suspended between the read and the
 * backup-code call, and a user resource with every kind of address Google gives.
 */
import { describe, expect, test } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import type { HttpFetch } from '../../../../src-main/net/http-fetch';
import type { ProviderCallContext } from '../../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../../src-main/net/request-scheduler';
import type { DirectoryPerson, StepTarget } from '../../../../src-main/offboarding/offboarding-port';
import { classifyGoogleFailure } from '../../../../src-main/providers/google/google-failure';
import { googleOffboarding } from '../../../../src-main/providers/google/google-offboarding';
import { googleErrors } from '../../../../src-main/sample/simulator/google-directory-api';

const person: DirectoryPerson = { id: '100000000000000000001', email: 'ada.lindqvist@example.com', displayName: 'Ada Lindqvist', suspended: false, superAdmin: false };
const receiver: DirectoryPerson = { id: '100000000000000000002', email: 'ben.costa@example.com', displayName: 'Ben Costa', suspended: false, superAdmin: false };
const target: StepTarget = { person, transferTo: receiver, confirmedAt: new Date().toISOString() };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function contextWith(fetch: HttpFetch): ProviderCallContext {
  return { apiBaseUrl: 'https://google.test/', settings: {}, accessToken: async () => 'token', scheduler: new RequestScheduler({ quotaPerMinute: 1_000, classify: classifyGoogleFailure, random: () => 0 }), fetch };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a refusal'), (error: unknown) => error as AppError);

describe('Google offboarding refusals', () => {
  test('name the user-security scope when the connection lacks it', async () => {
    const refusal = googleErrors.insufficientScopes();
    const failure = await failureOf(googleOffboarding.apply(contextWith(async () => json(refusal.status, refusal.body)), 'google.app_passwords', target, new AbortController().signal));
    expect(failure).toBeInstanceOf(AppError);
    expect(failure.code).toBe('permission_denied');
    expect(failure.message).toBe('Google refused reading the app passwords of ada.lindqvist@example.com: the connection lacks the https://www.googleapis.com/auth/admin.directory.user.security scope.');
  });

  test('tell an admin without the privilege from a connection without the scope', async () => {
    const forbidden = { error: { code: 403, message: 'Not Authorized to access this resource/api', errors: [{ message: 'Not Authorized to access this resource/api', domain: 'global', reason: 'forbidden' }] } };
    const failure = await failureOf(googleOffboarding.apply(contextWith(async () => json(403, forbidden)), 'google.oauth_tokens', target, new AbortController().signal));
    expect(failure.code).toBe('permission_denied');
    expect(failure.message).toMatch(/the signed-in admin lacks the privilege the https:\/\/www\.googleapis\.com\/auth\/admin\.directory\.user\.security scope stands for\.$/);
    expect(failure.message).not.toContain('Not Authorized');
  });
});

describe('a Google transfer insert whose answer is lost', () => {
  test('is looked for before it is sent again, and found, so Google is asked once', async () => {
    const made: Record<string, unknown>[] = [];
    const transfer = { kind: 'admin#datatransfer#DataTransfer', id: 'AKrEtIb00000001', oldOwnerUserId: person.id, newOwnerUserId: receiver.id, overallTransferStatusCode: 'completed', requestTime: new Date().toISOString() };
    const fetch: HttpFetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/applications')) return json(200, { applications: [{ id: '55656082996', name: 'Drive and Docs' }, { id: '435070579839', name: 'Calendar' }] });
      if (url.pathname.endsWith('/transfers') && init?.method === 'POST') {
        // Google keeps what was asked for: the transfer found later names the same applications.
        const asked = JSON.parse(String(init.body)) as { applicationDataTransfers: unknown[] };
        made.push({ ...transfer, applicationDataTransfers: asked.applicationDataTransfers });
        // Google made it, but the connection dropped before its answer came back.
        throw new TypeError('fetch failed');
      }
      if (url.pathname.endsWith('/transfers')) return json(200, { kind: 'admin#datatransfer#dataTransfersList', dataTransfers: made });
      return json(200, transfer);
    };
    const result = await googleOffboarding.apply(contextWith(fetch), 'google.data_transfer', target, new AbortController().signal);
    expect(made).toHaveLength(1);
    expect(result).toMatchObject({ code: 'done', changed: 1, requestIds: ['AKrEtIb00000001'], verified: true });
  });

  test('is sent again when the look finds nothing, at most three times, then fails as a network failure', async () => {
    let inserts = 0;
    const fetch: HttpFetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/applications')) return json(200, { applications: [{ id: '55656082996', name: 'Drive and Docs' }] });
      if (init?.method === 'POST') {
        inserts += 1;
        throw new TypeError('fetch failed');
      }
      return json(200, { dataTransfers: [] });
    };
    const failure = await failureOf(googleOffboarding.apply(contextWith(fetch), 'google.data_transfer', target, new AbortController().signal));
    expect(inserts).toBe(3);
    expect(failure.code).toBe('network');
    expect(failure.message).toBe('Google could not be reached (requesting the data transfer from ada.lindqvist@example.com to ben.costa@example.com).');
  });
});

describe('Google backup codes of a user suspended between the read and the call', () => {
  test('are not applicable rather than failed, once a read of the user explains Google’s bare 400', async () => {
    let suspended = false;
    const calls: string[] = [];
    const fetch: HttpFetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      if (url.pathname.endsWith('/verificationCodes')) return json(200, { kind: 'admin#directory#verificationCodesList', items: [{ verificationCode: '12345678' }, { verificationCode: '23456789' }] });
      if (url.pathname.endsWith('/verificationCodes/invalidate')) {
        // Someone else suspends the account just before the call lands.
        suspended = true;
        return json(400, { error: { code: 400, message: 'Invalid Input', errors: [{ message: 'Invalid Input', domain: 'global', reason: 'invalid' }], status: 'INVALID_ARGUMENT' } });
      }
      return json(200, { kind: 'admin#directory#user', id: person.id, primaryEmail: person.email, suspended });
    };
    const result = await googleOffboarding.apply(contextWith(fetch), 'google.backup_codes', target, new AbortController().signal);
    expect(result).toMatchObject({ code: 'not_applicable', changed: 0, before: 'Suspended; 2 backup codes', verified: false });
    expect(result.message).toMatch(/^ada\.lindqvist@example\.com is suspended now, and Google refuses backup-code changes on a suspended user: the codes cannot be used while the account stays suspended/);
    expect(calls).toEqual([
      'GET /admin/directory/v1/users/100000000000000000001/verificationCodes',
      'GET /admin/directory/v1/users/100000000000000000001',
      'POST /admin/directory/v1/users/100000000000000000001/verificationCodes/invalidate',
      'GET /admin/directory/v1/users/100000000000000000001',
    ]);
  });

  test('still fail on a 400 when the user is not suspended', async () => {
    const fetch: HttpFetch = async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/verificationCodes')) return json(200, { items: [{ verificationCode: '12345678' }] });
      if (url.pathname.endsWith('/invalidate')) return json(400, { error: { code: 400, message: 'Invalid Input', errors: [{ message: 'Invalid Input', domain: 'global', reason: 'invalid' }], status: 'INVALID_ARGUMENT' } });
      return json(200, { id: person.id, primaryEmail: person.email, suspended: false });
    };
    const failure = await failureOf(googleOffboarding.apply(contextWith(fetch), 'google.backup_codes', target, new AbortController().signal));
    expect(failure.code).toBe('invalid_request');
    expect(failure.message).not.toContain('Invalid Input');
  });
});

describe('a Google user with aliases', () => {
  test('carries every address Google gives, lower-case, once each, primary first', async () => {
    const requested: string[] = [];
    const fetch: HttpFetch = async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      requested.push(decodeURIComponent(url.pathname.split('/').pop()!));
      return json(200, {
        kind: 'admin#directory#user',
        id: person.id,
        primaryEmail: 'Ada.Lindqvist@Example.com',
        name: { fullName: 'Ada Lindqvist' },
        emails: [{ address: 'ada.lindqvist@example.com', primary: true }, { address: 'Ada@Example.com' }, { address: 'ada.lindqvist@example.com.test-google-a.com' }],
        aliases: ['ada@example.com', 'a.lindqvist@example.com'],
        nonEditableAliases: ['ada.lindqvist@example.com.test-google-a.com'],
        suspended: false,
        isAdmin: false,
      });
    };
    const found = await googleOffboarding.findPerson(contextWith(fetch), ' A.Lindqvist@example.com ');
    expect(requested).toEqual(['a.lindqvist@example.com']);
    expect(found).toEqual({
      id: person.id,
      email: 'ada.lindqvist@example.com',
      addresses: ['ada.lindqvist@example.com', 'ada@example.com', 'ada.lindqvist@example.com.test-google-a.com', 'a.lindqvist@example.com'],
      displayName: 'Ada Lindqvist',
      suspended: false,
      superAdmin: false,
    });
  });
});

import { describe, expect, test } from 'vitest';
import { redactEvidence } from '../../../../src-main/audit/evidence-redaction';

const removed = '[removed: a credential]';

describe('evidence redaction', () => {
  test('leaves a Google Directory token record as it is', () => {
    const record = {
      kind: 'admin#directory#token',
      etag: '"pXv6Yz"',
      clientId: '123-mail.apps.googleusercontent.com',
      displayText: 'Mail Merge',
      anonymous: false,
      nativeApp: false,
      scopes: ['https://mail.google.com/', 'openid'],
      userKey: '108123456789',
    };

    expect(redactEvidence(record)).toEqual(record);
  });

  test('replaces a Salesforce DeleteToken with a marker and keeps the rest of each row', () => {
    const rows = [
      { Id: '0CQ5e000000001', AppName: 'Data Loader', UserId: '0055e000001AbCd', UseCount: 12, LastUsedDate: '2026-11-01T08:00:00.000+0000', DeleteToken: 'MDAxLkFCQy5kZWxldGU=' },
      { Id: '0CQ5e000000002', AppName: 'Data Loader', UserId: '0055e000001AbCd', UseCount: 1, LastUsedDate: null, DeleteToken: 'MDAyLkFCQy5kZWxldGU=' },
    ];

    expect(redactEvidence(rows)).toEqual([
      { Id: '0CQ5e000000001', AppName: 'Data Loader', UserId: '0055e000001AbCd', UseCount: 12, LastUsedDate: '2026-11-01T08:00:00.000+0000', DeleteToken: removed },
      { Id: '0CQ5e000000002', AppName: 'Data Loader', UserId: '0055e000001AbCd', UseCount: 1, LastUsedDate: null, DeleteToken: removed },
    ]);
  });

  test('removes credentials at any depth, whatever the case of the field name', () => {
    const record = {
      client: { id: 'abc', Client_Secret: 's3cr3t', credentials: [{ secretText: 'xyz', hint: 'xy' }] },
      tokens: [{ Access_Token: 'ya29.a0', refresh_token: '1//0g', id_token: 'eyJ', token_type: 'Bearer' }],
      TOKEN: 'opaque',
      full_token: 'zd-full',
      Password: 1234,
    };

    expect(redactEvidence(record)).toEqual({
      client: { id: 'abc', Client_Secret: removed, credentials: [{ secretText: removed, hint: 'xy' }] },
      tokens: [{ Access_Token: removed, refresh_token: removed, id_token: removed, token_type: 'Bearer' }],
      TOKEN: removed,
      full_token: removed,
      Password: removed,
    });
  });

  test('keeps empty credential fields, so the record does not claim one was there', () => {
    expect(redactEvidence({ token: null, DeleteToken: '', access_token: 'abc' })).toEqual({ token: null, DeleteToken: '', access_token: removed });
  });

  test('keeps values that merely look like credential names, such as a refresh_token scope', () => {
    const record = { scopes: ['api', 'refresh_token', 'offline_access'], grant: 'token' };
    expect(redactEvidence(record)).toEqual(record);
  });

  test('returns plain values unchanged and leaves the record it was given alone', () => {
    expect(redactEvidence(null)).toBeNull();
    expect(redactEvidence('token')).toBe('token');
    expect(redactEvidence(42)).toBe(42);
    const record = { token: 'abc', nested: { password: 'p' } };
    redactEvidence(record);
    expect(record).toEqual({ token: 'abc', nested: { password: 'p' } });
  });
});

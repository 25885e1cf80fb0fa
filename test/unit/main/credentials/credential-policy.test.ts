import { describe, expect, test } from 'vitest';
import { credentialPolicyFrom, evaluateCredential } from '../../../../src-main/credentials/credential-policy';
import type { ReadCredential } from '../../../../src-main/credentials/credentials-port';
import { day, daysFromNow, now, readCredential } from './read-credential';
import type { CredentialPolicy } from '../../../../src-shared/contract/credentials';
import { defaultSettings } from '../../../../src-shared/contract/settings';

const policy: CredentialPolicy = credentialPolicyFrom(defaultSettings);

const evaluate = (overrides: Partial<ReadCredential>, under: CredentialPolicy = policy) => evaluateCredential(readCredential(overrides), under, now);

describe('the policy built from the settings', () => {
  test('takes the defaults: 90 days for every kind, a 30-day window, unrestricted keys and 90 unused days forbidden', () => {
    expect(policy).toEqual({ maxAgeDays: {}, defaultMaxAgeDays: 90, warningDays: 30, forbidUnrestrictedApiKeys: true, unusedKeyDays: 90 });
  });

  test('keeps the per-kind ages, and 0 unused days turns the unused check off', () => {
    const built = credentialPolicyFrom({ ...defaultSettings, keyAgePolicyDays: 180, credentialMaxAgeDays: { app_secret: 30 }, expiryWarningDays: 14, forbidUnrestrictedApiKeys: false, unusedKeyDays: 0 });
    expect(built).toEqual({ maxAgeDays: { app_secret: 30 }, defaultMaxAgeDays: 180, warningDays: 14, forbidUnrestrictedApiKeys: false, unusedKeyDays: null });
  });
});

describe('expiry', () => {
  test('a credential expiring in 10 days is expiring, with the date and the window in the reason', () => {
    expect(evaluate({ expiresAt: daysFromNow(10) })).toEqual({
      status: 'expiring',
      findings: [{ status: 'expiring', reason: 'Expires in 10 days (on 14 Dec 2026); the warning window is 30 days.' }],
    });
  });

  test('the window includes its last day and stops after it', () => {
    expect(evaluate({ expiresAt: daysFromNow(30) }).status).toBe('expiring');
    expect(evaluate({ expiresAt: new Date(now.getTime() + 30 * day + 1_000).toISOString() }).status).toBe('ok');
  });

  test('expired the moment its expiry passes, saying how long ago', () => {
    expect(evaluate({ expiresAt: now.toISOString() })).toEqual({ status: 'expired', findings: [{ status: 'expired', reason: 'Expired today (on 4 Dec 2026): it no longer works.' }] });
    expect(evaluate({ expiresAt: daysFromNow(-3) }).findings[0]!.reason).toBe('Expired 3 days ago (on 1 Dec 2026): it no longer works.');
    expect(evaluate({ expiresAt: new Date(now.getTime() + 1).toISOString() }).status).toBe('expiring');
  });

  test('no expiry is no finding', () => {
    expect(evaluate({ expiresAt: null })).toEqual({ status: 'ok', findings: [] });
  });
});

describe('age', () => {
  test('older than the maximum age of its kind is too old; exactly the maximum is not', () => {
    expect(evaluate({ createdAt: daysFromNow(-120) })).toEqual({
      status: 'too_old',
      findings: [{ status: 'too_old', reason: 'Created 120 days ago (on 6 Aug 2026); the maximum age for client secrets is 90 days.' }],
    });
    expect(evaluate({ createdAt: daysFromNow(-90) }).status).toBe('ok');
    expect(evaluate({ createdAt: new Date(now.getTime() - 90 * day - 1_000).toISOString() }).status).toBe('too_old');
  });

  test('a kind with its own maximum age uses it, others the default', () => {
    const strict = credentialPolicyFrom({ ...defaultSettings, credentialMaxAgeDays: { app_secret: 30 } });
    expect(evaluate({ createdAt: daysFromNow(-45) }, strict).findings).toEqual([{ status: 'too_old', reason: expect.stringContaining('the maximum age for client secrets is 30 days') }]);
    expect(evaluate({ kind: 'api_key', createdAt: daysFromNow(-45), restrictions: ['maps'] }, strict).status).toBe('ok');
  });

  test('keys the provider manages are never too old, expiring or expired (it renews them); an unknown creation date is no finding', () => {
    expect(evaluate({ kind: 'service_account_key', managedBy: 'provider', createdAt: daysFromNow(-400) }).status).toBe('ok');
    expect(evaluate({ kind: 'service_account_key', managedBy: 'provider', expiresAt: daysFromNow(5) }).status).toBe('ok');
    expect(evaluate({ kind: 'service_account_key', managedBy: 'provider', expiresAt: daysFromNow(-1) }).status).toBe('ok');
    expect(evaluate({ createdAt: null }).status).toBe('ok');
  });
});

describe('unused service-account keys', () => {
  /** A key whose project's Policy Analyzer answered: its last use is known. */
  const key = (overrides: Partial<ReadCredential>) => evaluate({ kind: 'service_account_key', ownerKind: 'service_account', lastUseKnown: true, ...overrides });

  test('last used longer ago than the window is unused, with the date', () => {
    expect(key({ createdAt: daysFromNow(-30), lastUsedAt: daysFromNow(-91) }).findings).toEqual([
      { status: 'unused', reason: 'Last used 91 days ago (on 4 Sep 2026); the unused-key window is 90 days.' },
    ]);
    expect(key({ createdAt: daysFromNow(-30), lastUsedAt: daysFromNow(-90) }).status).toBe('ok');
  });

  test('never used and older than the window is unused, with the provider’s note; younger is not', () => {
    expect(key({ createdAt: daysFromNow(-90), lastUsedNote: 'Policy Analyzer: no authentication recorded' }).status).toBe('ok');
    const strict = credentialPolicyFrom({ ...defaultSettings, keyAgePolicyDays: 365, unusedKeyDays: 60 });
    expect(evaluate({ kind: 'service_account_key', createdAt: daysFromNow(-80), lastUseKnown: true, lastUsedNote: 'Policy Analyzer: no authentication recorded' }, strict).findings).toEqual([
      { status: 'unused', reason: 'No use recorded since it was created 80 days ago (on 15 Sep 2026); the unused-key window is 60 days. Policy Analyzer: no authentication recorded.' },
    ]);
    expect(key({ createdAt: daysFromNow(-95) }).findings).toEqual([
      { status: 'too_old', reason: expect.stringContaining('95 days ago') },
      { status: 'unused', reason: 'No use recorded since it was created 95 days ago (on 31 Aug 2026); the unused-key window is 90 days.' },
    ]);
  });

  test('a key whose use the provider did not report is never unused: the row’s note says why its use is unknown', () => {
    const unknownUse = { createdAt: daysFromNow(-30), lastUseKnown: false, lastUsedNote: 'Last authentication unknown: Google refused reading Policy Analyzer.' };
    expect(key(unknownUse).status).toBe('ok');
    expect(key({ ...unknownUse, createdAt: daysFromNow(-400) }).findings.map((finding) => finding.status)).toEqual(['too_old']);
  });

  test('off when the window is 0; not checked for other kinds, disabled keys or keys the provider manages', () => {
    const off = credentialPolicyFrom({ ...defaultSettings, unusedKeyDays: 0 });
    expect(evaluate({ kind: 'service_account_key', createdAt: daysFromNow(-30), lastUsedAt: daysFromNow(-200) }, off).status).toBe('ok');
    expect(evaluate({ kind: 'app_secret', createdAt: daysFromNow(-30), lastUsedAt: daysFromNow(-200) }).status).toBe('ok');
    expect(key({ createdAt: daysFromNow(-30), lastUsedAt: daysFromNow(-200), disabled: true }).findings.map((finding) => finding.status)).toEqual(['disabled']);
    expect(key({ createdAt: daysFromNow(-30), lastUsedAt: daysFromNow(-200), managedBy: 'provider' }).status).toBe('ok');
  });
});

describe('restrictions and disabled', () => {
  test('an API key with no restrictions is unrestricted while the policy forbids it', () => {
    expect(evaluate({ kind: 'api_key', restrictions: [] })).toEqual({ status: 'unrestricted', findings: [{ status: 'unrestricted', reason: expect.stringContaining('no application or API restrictions') }] });
    expect(evaluate({ kind: 'api_key', restrictions: [] }, { ...policy, forbidUnrestrictedApiKeys: false }).status).toBe('ok');
    expect(evaluate({ kind: 'api_key', restrictions: ['Websites: https://www.example.test/*'] }).status).toBe('ok');
  });

  test('a kind without restrictions is never unrestricted', () => {
    expect(evaluate({ kind: 'app_secret', restrictions: [] }).status).toBe('ok');
  });

  test('a disabled credential says so', () => {
    expect(evaluate({ disabled: true })).toEqual({ status: 'disabled', findings: [{ status: 'disabled', reason: expect.stringContaining('Disabled') }] });
  });
});

test('the status is the worst finding, and every finding is listed worst first', () => {
  const result = evaluate({ kind: 'api_key', restrictions: [], createdAt: daysFromNow(-400), expiresAt: daysFromNow(-1), disabled: true });
  expect(result.status).toBe('expired');
  expect(result.findings.map((finding) => finding.status)).toEqual(['expired', 'too_old', 'unrestricted', 'disabled']);
  expect(evaluate({ createdAt: daysFromNow(-400), expiresAt: daysFromNow(5) }).findings.map((finding) => finding.status)).toEqual(['expiring', 'too_old']);
});

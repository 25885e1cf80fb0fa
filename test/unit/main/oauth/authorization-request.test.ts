import { describe, expect, test } from 'vitest';
import { newAuthorizationRequest, pkceChallengeFor, sameSecretValue } from '../../../../src-main/oauth/authorization-request';

describe('PKCE and state', () => {
  test('derives the RFC 7636 appendix B challenge from its verifier', async () => {
    expect(await pkceChallengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  test('refuses a verifier outside the RFC 7636 alphabet or length', async () => {
    await expect(pkceChallengeFor('too-short')).rejects.toThrow(/43 to 128/);
    await expect(pkceChallengeFor(`${'a'.repeat(42)}!`)).rejects.toThrow(/43 to 128/);
  });

  test('makes a fresh 32-octet verifier, state and nonce for every request', async () => {
    const first = await newAuthorizationRequest({ expectIdToken: true });
    const second = await newAuthorizationRequest({ expectIdToken: true });
    for (const value of [first.codeVerifier, first.state, first.nonce!]) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.codeChallenge).toBe(await pkceChallengeFor(first.codeVerifier));
    expect(new Set([first.state, second.state, first.codeVerifier, second.codeVerifier]).size).toBe(4);
  });

  test('asks for no nonce when no ID token is expected', async () => {
    expect((await newAuthorizationRequest({ expectIdToken: false })).nonce).toBeUndefined();
  });

  test('compares state values exactly, whatever their lengths', () => {
    expect(sameSecretValue('abc', 'abc')).toBe(true);
    expect(sameSecretValue('abc', 'abd')).toBe(false);
    expect(sameSecretValue('abc', 'abcd')).toBe(false);
    expect(sameSecretValue('abc', null)).toBe(false);
    expect(sameSecretValue('abc', undefined)).toBe(false);
  });
});

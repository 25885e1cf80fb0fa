import { timingSafeEqual } from 'node:crypto';
import { calculatePKCECodeChallenge, randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';

/** What one outgoing authorization request must remember until its callback arrives. */
export interface AuthorizationRequestSecrets {
  /** Fresh per request, 32 random octets, base64url; single use. */
  state: string;
  /** PKCE verifier (RFC 7636): 32 random octets, base64url, 43 characters. */
  codeVerifier: string;
  /** base64url(SHA-256(verifier)), sent with `code_challenge_method=S256`; never `plain`. */
  codeChallenge: string;
  /** OIDC replay protection, when an ID token is expected. */
  nonce: string | undefined;
}

const verifierAlphabet = /^[A-Za-z0-9\-._~]{43,128}$/;

export async function pkceChallengeFor(codeVerifier: string): Promise<string> {
  if (!verifierAlphabet.test(codeVerifier)) {
    throw new Error('A PKCE verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).');
  }
  return calculatePKCECodeChallenge(codeVerifier);
}

export async function newAuthorizationRequest(options: { expectIdToken: boolean }): Promise<AuthorizationRequestSecrets> {
  const codeVerifier = randomPKCECodeVerifier();
  return {
    state: randomState(),
    codeVerifier,
    codeChallenge: await pkceChallengeFor(codeVerifier),
    nonce: options.expectIdToken ? randomNonce() : undefined,
  };
}

/** Constant-time comparison, so response timing says nothing about how much of a guess was right. */
export function sameSecretValue(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  // Compare against itself on a length mismatch so the work done does not depend on the input.
  return a.length === b.length ? timingSafeEqual(a, b) : !timingSafeEqual(a, a);
}

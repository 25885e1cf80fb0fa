import { describe, expect, test } from 'vitest';
import { failureFromOAuthError, failureFromTokenCall } from '../../../../src-main/oauth/oauth-failure';

const context = { providerLabel: 'Microsoft Entra ID', redirectUri: 'http://127.0.0.1:53682/callback' };

describe('OAuth errors the admin can act on', () => {
  test.each([
    ['access_denied', undefined, 'consent_denied'],
    ['invalid_client', undefined, 'invalid_client'],
    ['unauthorized_client', undefined, 'invalid_client'],
    ['invalid_grant', undefined, 'needs_reconnect'],
    ['invalid_scope', undefined, 'invalid_scope'],
    ['consent_required', 'AADSTS65001: The user or administrator has not consented', 'admin_consent_required'],
    ['access_denied', 'AADSTS90094: The grant requires admin permission.', 'admin_consent_required'],
    ['admin_policy_enforced', undefined, 'blocked_by_policy'],
    ['org_internal', undefined, 'blocked_by_policy'],
    ['redirect_uri_mismatch', undefined, 'redirect_uri_mismatch'],
    ['invalid_request', 'AADSTS50011: The redirect URI specified in the request does not match', 'redirect_uri_mismatch'],
    ['temporarily_unavailable', undefined, 'provider_error'],
  ])('maps %s (%s) to %s', (error, description, code) => {
    expect(failureFromOAuthError(error, description, context).code).toBe(code);
  });

  test('names the redirect URI to register when it does not match', () => {
    expect(failureFromOAuthError('redirect_uri_mismatch', undefined, context).nextStep).toContain('http://127.0.0.1:53682/callback');
  });

  test('never repeats the provider description, only a safe code', () => {
    const failure = failureFromOAuthError('invalid_request', 'token=abc123 <script>', context);
    expect(failure.message).not.toContain('abc123');
    expect(failure.message).not.toContain('<script>');
  });

  test('treats outages and rate limits as transient, refusals as final', () => {
    expect(failureFromOAuthError('temporarily_unavailable', undefined, context).transient).toBe(true);
    expect(failureFromOAuthError('http_503', undefined, context, { status: 503 }).transient).toBe(true);
    expect(failureFromOAuthError('http_404', undefined, context, { status: 404 }).transient).toBe(false);
    expect(failureFromOAuthError('invalid_grant', undefined, context).transient).toBe(false);
  });

  test('recognises a refused connection as a network failure, worth retrying', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(failureFromTokenCall(error, context)).toMatchObject({ code: 'network', transient: true });
  });

  test('names a certificate this computer does not trust, whichever code Node gives it', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN']) {
      const error = new TypeError('fetch failed', { cause: Object.assign(new Error('unable to verify'), { code }) });
      expect(failureFromTokenCall(error, context)).toMatchObject({ code: 'network', transient: false, nextStep: expect.stringContaining('TLS-inspecting proxy') });
    }
  });

  test('reads errors the way each library reports them', () => {
    expect(failureFromTokenCall({ error: 'invalid_grant', status: 400 }, context).code).toBe('needs_reconnect');
    expect(failureFromTokenCall({ response: { status: 400, data: { error: 'invalid_grant' } } }, context).code).toBe('needs_reconnect');
    expect(failureFromTokenCall({ errorCode: 'invalid_grant', errorMessage: 'AADSTS70008: expired' }, context).code).toBe('needs_reconnect');
    expect(failureFromTokenCall({ errorCode: 'network_error' }, context).code).toBe('network');
    expect(failureFromTokenCall(Object.assign(new Error('The operation timed out'), { name: 'TimeoutError' }), context).code).toBe('timeout');
  });
});

describe('client authentication failures', () => {
  test('reads the OAuth error from a WWW-Authenticate challenge', () => {
    const challenge = { cause: [{ scheme: 'basic', parameters: { error: 'invalid_client', error_description: 'client authentication failed' } }], response: { status: 401 } };
    expect(failureFromTokenCall(challenge, context).code).toBe('invalid_client');
  });

  test('treats a bare 401 from the token endpoint as an unrecognised client', () => {
    expect(failureFromTokenCall({ response: { status: 401 } }, context).code).toBe('invalid_client');
  });
});

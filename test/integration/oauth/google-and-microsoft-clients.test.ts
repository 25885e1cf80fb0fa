import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import { googleOAuthClient, microsoftOAuthClient } from '../../support/node-oauth-clients';
import { portIsClosed } from '../../support/loopback-port';
import { startOidcTestServer, testClientId, type OidcTestServer } from '../../support/oidc-test-server';
import { scriptedSignIn } from '../../support/scripted-sign-in';
import { trustedTestCertificate } from '../../support/self-signed-certificate';
import { providerDefinitions } from '../../support/provider-definitions';

const googleAuditScopes = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.user.security',
  'https://www.googleapis.com/auth/admin.reports.audit.readonly',
  'https://www.googleapis.com/auth/cloud-platform.read-only',
];



describe("Google's OAuth2Client against a standard server through its endpoints option", () => {
  let server: OidcTestServer;
  beforeAll(async () => {
    server = await startOidcTestServer({ extraScopes: googleAuditScopes });
  });
  afterAll(() => server.close());

  const google = () =>
    resolveConnection(providerDefinitions, {
      provider: 'google',
      clientId: testClientId,
      capabilities: [],
      settings: { issuer: server.issuer, authorizationEndpoint: `${server.issuer}/auth`, tokenEndpoint: `${server.issuer}/token`, revocationEndpoint: `${server.issuer}/token/revocation` },
    });

  test('signs in with PKCE S256, offline access and a nonce-bound ID token', async () => {
    const session = scriptedSignIn({});
    const grant = await googleOAuthClient.authorize(google(), {}, session);
    const url = new URL(session.opened[0]!);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('nonce')).not.toBeNull();
    expect(grant.account).toBe('alice@example.test');
    expect(grant.secrets.refreshToken).toBeDefined();
    expect(grant.scopesGranted).toEqual(expect.arrayContaining(googleAuditScopes));
  });

  test('persists the rotated refresh token from the tokens event, twice in a row', async () => {
    const grant = await googleOAuthClient.authorize(google(), {}, scriptedSignIn({}));
    const first = await googleOAuthClient.refresh(google(), { refreshToken: grant.secrets.refreshToken! });
    expect(first.secrets.refreshToken).not.toBe(grant.secrets.refreshToken);
    const second = await googleOAuthClient.refresh(google(), { refreshToken: first.secrets.refreshToken! });
    expect(second.secrets.refreshToken).not.toBe(first.secrets.refreshToken);
    expect(await server.isActive(second.secrets.refreshToken!)).toBe(true);
  });

  test('revokes by POSTing the token in a form body', async () => {
    const grant = await googleOAuthClient.authorize(google(), {}, scriptedSignIn({}));
    expect(await googleOAuthClient.revoke(google(), { refreshToken: grant.secrets.refreshToken! })).toBe('revoked');
    expect(await server.isActive(grant.secrets.refreshToken!)).toBe(false);
  });
});

describe('msal-node against a standard server over https', () => {
  let server: OidcTestServer;
  beforeAll(async () => {
    const graphScopes = providerDefinitions.get('microsoft').scopes.map((scope) => scope.scope);
    server = await startOidcTestServer({ tls: await trustedTestCertificate(), extraScopes: graphScopes });
  });
  afterAll(() => server.close());

  const microsoft = (homeAccountId: string | null = null) =>
    resolveConnection(providerDefinitions, { provider: 'microsoft', clientId: testClientId, capabilities: [], settings: { issuer: server.issuer } }, homeAccountId);

  test('signs in through acquireTokenInteractive with the guarded opener, then refreshes silently from the vaulted cache', async () => {
    const session = scriptedSignIn({});
    const grant = await microsoftOAuthClient.authorize(microsoft(), {}, session);
    const url = new URL(session.opened[0]!);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(grant.account).toBe('alice@example.test');
    expect(grant.secrets.msalCache).toBeTruthy();
    // Every scope asked for is reported granted, OIDC ones included (servers do not echo those).
    expect(grant.scopesGranted).toEqual(expect.arrayContaining(microsoft().scopes));
    expect((await session.results[0]!).body).toContain('Signed in');

    const refreshed = await microsoftOAuthClient.refresh(microsoft(grant.msalHomeAccountId!), { msalCache: grant.secrets.msalCache! });
    expect(refreshed.secrets.accessToken).not.toBe(grant.secrets.accessToken);
    expect(refreshed.secrets.msalCache).not.toBe(grant.secrets.msalCache);
    const again = await microsoftOAuthClient.refresh(microsoft(grant.msalHomeAccountId!), { msalCache: refreshed.secrets.msalCache! });
    expect(again.secrets.accessToken).toBeTruthy();
  });

  test('reports consent refused at the Microsoft-style server as consent_denied', async () => {
    await expect(microsoftOAuthClient.authorize(microsoft(), {}, scriptedSignIn({ abort: true }))).rejects.toMatchObject({ code: 'consent_denied' });
  });

  test('cancel stops the interactive sign-in and closes MSAL’s own listener', async () => {
    const controller = new AbortController();
    const session = scriptedSignIn('ignore', { signal: controller.signal });
    const pending = microsoftOAuthClient.authorize(microsoft(), {}, session);
    await expect.poll(() => session.opened.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    const port = Number(new URL(new URL(session.opened[0]!).searchParams.get('redirect_uri')!).port);
    await expect.poll(() => portIsClosed(port)).toBe(true);
  });

  test('times out when the browser never returns (an unregistered redirect URI)', async () => {
    const session = scriptedSignIn('ignore', { timeoutMs: 300 });
    await expect(microsoftOAuthClient.authorize(microsoft(), {}, session)).rejects.toMatchObject({ code: 'timeout' });
  });

  test('a cache without the account asks for a reconnect', async () => {
    await expect(microsoftOAuthClient.refresh(microsoft('nobody.nowhere'), { msalCache: '{}' })).rejects.toMatchObject({ code: 'needs_reconnect' });
  });
});

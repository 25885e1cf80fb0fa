import { describe, expect, test } from 'vitest';
import { previewConnection, resolveConnection } from '../../../../src-main/oauth/connection-resolution';
import { genericOAuthClient, googleOAuthClient } from '../../../support/node-oauth-clients';
import type { OAuthClient } from '../../../../src-main/oauth/oauth-client';
import type { ConnectionSettings } from '../../../../src-shared/contract/connections';
import type { CapabilityId, ProviderId } from '../../../../src-shared/domain/ids';
import { providerDefinitions } from '../../../support/provider-definitions';

/** The URL a preset sends the browser to; the attempt is cancelled before anything else happens. */
async function authorizationUrl(provider: ProviderId, settings: ConnectionSettings = {}, capabilities: CapabilityId[] = []): Promise<URL> {
  const connection = resolveConnection(providerDefinitions, { provider, clientId: 'client-123', settings, capabilities });
  const client: OAuthClient = provider === 'google' ? googleOAuthClient : genericOAuthClient;
  const controller = new AbortController();
  let opened: URL | undefined;
  await client
    .authorize(connection, { clientSecret: 'not-a-real-secret' }, {
      openBrowser: async (url) => {
        opened = new URL(url);
        controller.abort();
      },
      onWaitingForBrowser: () => undefined,
      onExchangingCode: () => undefined,
      signal: controller.signal,
      timeoutMs: 5_000,
    })
    .catch(() => undefined);
  return opened!;
}

function expectCommonParameters(url: URL) {
  expect(url.searchParams.get('response_type')).toBe('code');
  expect(url.searchParams.get('client_id')).toBe('client-123');
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
  expect(url.searchParams.has('client_secret')).toBe(false);
}

describe("each preset's authorization URL follows the provider's documentation", () => {
  test('Google: v2 auth endpoint, offline access with consent, incremental scopes, nonce', async () => {
    const url = await authorizationUrl('google');
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expectCommonParameters(url);
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('include_granted_scopes')).toBe('true');
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const scopes = url.searchParams.get('scope')!.split(' ');
    expect(scopes).toContain('https://www.googleapis.com/auth/admin.directory.user.readonly');
    expect(scopes).not.toContain('https://www.googleapis.com/auth/admin.directory.user');
  });

  test('Google: revoking grants asks for exactly the audit scopes; offboarding adds its own', async () => {
    const audit = (await authorizationUrl('google')).searchParams.get('scope')!.split(' ');
    expect((await authorizationUrl('google', {}, ['revoke_grants'])).searchParams.get('scope')!.split(' ')).toEqual(audit);
    const offboarding = (await authorizationUrl('google', {}, ['revoke_grants', 'offboarding'])).searchParams.get('scope')!.split(' ');
    expect(offboarding).toEqual([...audit, 'https://www.googleapis.com/auth/admin.directory.user', 'https://www.googleapis.com/auth/admin.datatransfer']);
  });

  test('Zoom: scopes come from the app, not the request', async () => {
    const url = await authorizationUrl('zoom');
    expect(`${url.origin}${url.pathname}`).toBe('https://zoom.us/oauth/authorize');
    expectCommonParameters(url);
    expect(url.searchParams.has('scope')).toBe(false);
  });

  test('Salesforce: the My Domain host, api and refresh_token scopes, a fixed registered port', async () => {
    const url = await authorizationUrl('salesforce', { myDomain: 'acme' });
    expect(`${url.origin}${url.pathname}`).toBe('https://acme.my.salesforce.com/services/oauth2/authorize');
    expectCommonParameters(url);
    expect(url.searchParams.get('scope')).toBe('api refresh_token');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:53682/callback');
  });

  test('HubSpot: space-separated scopes including oauth', async () => {
    const url = await authorizationUrl('hubspot', { redirectPort: 47_001 });
    expect(`${url.origin}${url.pathname}`).toBe('https://app.hubspot.com/oauth/authorize');
    expectCommonParameters(url);
    expect(url.searchParams.get('scope')).toBe('oauth settings.users.read account-info.security.read');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:47001/callback');
  });

  test('Pipedrive: scopes come from the app', async () => {
    const url = await authorizationUrl('pipedrive');
    expect(`${url.origin}${url.pathname}`).toBe('https://oauth.pipedrive.com/oauth/authorize');
    expect(url.searchParams.has('scope')).toBe(false);
  });

  test('Slack: user scopes, comma-separated, and no bot scopes', async () => {
    const url = await authorizationUrl('slack');
    expect(`${url.origin}${url.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expectCommonParameters(url);
    expect(url.searchParams.get('user_scope')).toBe('admin.users:read,admin.apps:read,admin.teams:read');
    expect(url.searchParams.has('scope')).toBe(false);
  });

  test('Okta: the org authorization server, okta.* scopes and offline access', async () => {
    const url = await authorizationUrl('okta', { orgUrl: 'https://acme.okta.com' });
    expect(`${url.origin}${url.pathname}`).toBe('https://acme.okta.com/oauth2/v1/authorize');
    expectCommonParameters(url);
    expect(url.searchParams.get('scope')).toBe('openid email offline_access okta.users.read okta.apps.read okta.logs.read');
    expect(url.searchParams.get('nonce')).not.toBeNull();
  });

  test('Zendesk: the subdomain, space-separated scopes', async () => {
    const url = await authorizationUrl('zendesk', { subdomain: 'acme' });
    expect(`${url.origin}${url.pathname}`).toBe('https://acme.zendesk.com/oauth/authorizations/new');
    expectCommonParameters(url);
    expect(url.searchParams.get('scope')).toBe('read users:read auditlogs:read');
  });

  test('every endpoint can be overridden per connection', async () => {
    const url = await authorizationUrl('zoom', { authorizationEndpoint: 'https://zoom.example.test/oauth/authorize' });
    expect(url.host).toBe('zoom.example.test');
  });
});

describe('connection details', () => {
  const resolve = (provider: ProviderId, settings: ConnectionSettings) => () => resolveConnection(providerDefinitions, { provider, clientId: 'c', settings, capabilities: [] });

  test.each([
    ['salesforce', {}, 'settings.myDomain'],
    ['salesforce', { myDomain: 'acme.example.com' }, 'settings.myDomain'],
    ['okta', { orgUrl: 'https://acme.okta.com/oauth2/default' }, 'settings.orgUrl'],
    ['zendesk', { subdomain: 'acme corp' }, 'settings.subdomain'],
    ['custom', {}, 'settings.authorizationEndpoint'],
    ['zoom', { tokenEndpoint: 'http://zoom.example.test/token' }, 'settings.tokenEndpoint'],
    ['google', { apiBaseUrl: 'http://apis.example.test/' }, 'settings.apiBaseUrl'],
  ] as const)('%s with %o names %s to fix', (provider, settings, field) => {
    expect(resolve(provider, settings)).toThrow(expect.objectContaining({ code: 'invalid_request', fields: expect.arrayContaining([expect.objectContaining({ field })]) }));
  });

  test('accepts plain http endpoints on the loopback interface only (a local test server)', () => {
    expect(resolve('zoom', { tokenEndpoint: 'http://127.0.0.1:9999/token' })).not.toThrow();
  });

  test('shows the exact redirect URI to register, with how the provider matches it', () => {
    expect(previewConnection(providerDefinitions, { provider: 'google', clientId: 'c', settings: {}, capabilities: [] })).toMatchObject({ redirectUri: 'http://127.0.0.1/callback', redirectNote: expect.stringContaining('any port') });
    expect(previewConnection(providerDefinitions, { provider: 'microsoft', clientId: 'c', settings: {}, capabilities: [] }).redirectUri).toBe('http://localhost');
    expect(previewConnection(providerDefinitions, { provider: 'okta', clientId: 'c', settings: { orgUrl: 'acme.okta.com', redirectPort: 50_000 }, capabilities: [] }).redirectUri).toBe('http://127.0.0.1:50000/callback');
  });

  test('explains every scope it will ask for', () => {
    const preview = previewConnection(providerDefinitions, { provider: 'microsoft', clientId: 'c', settings: {}, capabilities: ['revoke_grants'] });
    expect(preview.scopes.map((scope) => scope.scope)).toContain('DelegatedPermissionGrant.ReadWrite.All');
    for (const scope of preview.scopes) expect(scope.reason.length).toBeGreaterThan(10);
  });

  test('calls each provider’s API at its public host for the connection’s cloud, domain or org, unless overridden', () => {
    expect(providerDefinitions.apiBaseUrl('microsoft', {})).toBe('https://graph.microsoft.com/v1.0');
    expect(providerDefinitions.apiBaseUrl('microsoft', { cloud: 'usgov' })).toBe('https://graph.microsoft.us/v1.0');
    expect(providerDefinitions.apiBaseUrl('salesforce', { myDomain: 'acme' })).toBe('https://acme.my.salesforce.com');
    expect(providerDefinitions.apiBaseUrl('zendesk', { subdomain: 'acme' })).toBe('https://acme.zendesk.com');
    expect(providerDefinitions.apiBaseUrl('okta', { orgUrl: 'https://acme.okta.com' })).toBe('https://acme.okta.com');
    // Google's clients know their own hosts.
    expect(providerDefinitions.apiBaseUrl('google', {})).toBeUndefined();
    expect(providerDefinitions.apiBaseUrl('google', { apiBaseUrl: 'http://127.0.0.1:4000/' })).toBe('http://127.0.0.1:4000/');
  });

  test('names Graph permissions by the national cloud’s Graph host', () => {
    const { scopes } = resolveConnection(providerDefinitions, { provider: 'microsoft', clientId: 'c', settings: { cloud: 'usgov' }, capabilities: [] });
    expect(scopes).toContain('https://graph.microsoft.us/Directory.Read.All');
    expect(scopes).toContain('offline_access');
  });

  test('says when a provider takes its scopes from the registered app', () => {
    expect(previewConnection(providerDefinitions, { provider: 'zoom', clientId: 'c', settings: {}, capabilities: [] }).scopesNote).toMatch(/registered/);
    expect(previewConnection(providerDefinitions, { provider: 'google', clientId: 'c', settings: {}, capabilities: [] }).scopesNote).toBeNull();
  });
});

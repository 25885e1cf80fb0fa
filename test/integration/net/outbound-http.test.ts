/**
 * Every outbound request goes through the HttpFetch port the host passes: each OAuth client family
 * (token, discovery, revocation) and every provider API call a tenant gateway context makes. The
 * port here is Node's fetch with a recorder in front, talking to real local servers.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProviderAudit } from '../../../src-main/audit/provider-audit';
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import { TenantGateway } from '../../../src-main/connections/tenant-gateway';
import { EventHub } from '../../../src-main/events/event-hub';
import type { HttpFetch } from '../../../src-main/net/http-fetch';
import { pinnedCertificateFetch } from '../../../src-main/net/pinned-certificate-fetch';
import { TenantSchedulers } from '../../../src-main/net/tenant-schedulers';
import { createGenericOAuthClient } from '../../../src-main/oauth/generic-oauth-client';
import { createGoogleOAuthClient } from '../../../src-main/oauth/google-oauth-client';
import { createMicrosoftOAuthClient } from '../../../src-main/oauth/microsoft-oauth-client';
import { googleGrantAudit } from '../../../src-main/providers/google/google-audit';
import { microsoftGrantAudit } from '../../../src-main/providers/microsoft/microsoft-audit';
import { ProviderRegistry } from '../../../src-main/providers/provider-registry';
import { zendeskGrantAudit } from '../../../src-main/providers/zendesk/zendesk-audit';
import { generateLoopbackCertificate } from '../../../src-main/sample/simulator/loopback-certificate';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { ConnectionSettings, ConnectionView } from '../../../src-shared/contract/connections';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { fixedRedirectPortForTest } from '../../support/loopback-port';
import { genericOAuthClient, microsoftOAuthClient } from '../../support/node-oauth-clients';
import { startOidcTestServer, testClientId, type OidcTestServer } from '../../support/oidc-test-server';
import { scriptedSignIn } from '../../support/scripted-sign-in';
import { sampleAccessToken } from '../sample/sample-sign-in';
import { providerDefinitions } from '../../support/provider-definitions';

/** The process's trusted certificates before any test server's: each trusted one replaces the last. */
const defaultCertificates = getCACertificates('default');

/** Node's fetch with a recorder in front: "METHOD origin/path" of every request sent through it. */
function recordingFetch(): { fetch: HttpFetch; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      sent.push(`${(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()} ${url.origin}${url.pathname}`);
      return fetch(input, init);
    },
  };
}

describe('each OAuth client family sends through the outbound HTTP port', () => {
  let server: OidcTestServer;
  beforeAll(async () => {
    server = await startOidcTestServer({ extraScopes: ['https://www.googleapis.com/auth/admin.directory.user.readonly'] });
  });
  afterAll(() => server.close());

  test('openid-client: discovery, the code exchange, a refresh and the revocation', async () => {
    const outbound = recordingFetch();
    const client = createGenericOAuthClient({ fetch: outbound.fetch });
    const connection = resolveConnection(providerDefinitions, { provider: 'custom', clientId: testClientId, capabilities: [], settings: { issuer: server.issuer, auditScopes: ['profile'] } });
    const grant = await client.authorize(connection, {}, scriptedSignIn());
    const refreshed = await client.refresh(connection, grant.secrets);
    expect(await client.revoke(connection, refreshed.secrets)).toBe('revoked');
    expect(outbound.sent).toEqual([
      `GET ${server.issuer}/.well-known/openid-configuration`,
      `POST ${server.issuer}/token`,
      `POST ${server.issuer}/token`,
      `POST ${server.issuer}/token/revocation`,
    ]);
  });

  test('google-auth-library: the code exchange, a refresh and the revocation', async () => {
    const outbound = recordingFetch();
    const client = createGoogleOAuthClient({ fetch: outbound.fetch });
    const connection = resolveConnection(providerDefinitions, {
      provider: 'google',
      clientId: testClientId,
      capabilities: [],
      settings: { issuer: server.issuer, authorizationEndpoint: `${server.issuer}/auth`, tokenEndpoint: `${server.issuer}/token`, revocationEndpoint: `${server.issuer}/token/revocation` },
    });
    const grant = await client.authorize(connection, {}, scriptedSignIn());
    const refreshed = await client.refresh(connection, grant.secrets);
    expect(await client.revoke(connection, refreshed.secrets)).toBe('revoked');
    expect(outbound.sent).toEqual([`POST ${server.issuer}/token`, `POST ${server.issuer}/token`, `POST ${server.issuer}/token/revocation`]);
  });

  test('msal-node: the authority’s discovery, the code exchange and a silent refresh', async () => {
    const certificate = await generateLoopbackCertificate();
    setDefaultCACertificates([...defaultCertificates, certificate.cert]);
    const entra = await startOidcTestServer({ tls: certificate, extraScopes: providerDefinitions.get('microsoft').scopes.map((scope) => scope.scope) });
    try {
      const outbound = recordingFetch();
      const client = createMicrosoftOAuthClient({ fetch: outbound.fetch });
      const connection = (homeAccountId: string | null = null) =>
        resolveConnection(providerDefinitions, { provider: 'microsoft', clientId: testClientId, capabilities: [], settings: { issuer: entra.issuer } }, homeAccountId);
      const grant = await client.authorize(connection(), {}, scriptedSignIn());
      await client.refresh(connection(grant.msalHomeAccountId!), grant.secrets);
      expect(outbound.sent).toContain(`GET ${entra.issuer}/.well-known/openid-configuration`);
      expect(outbound.sent.filter((sent) => sent === `POST ${entra.issuer}/token`)).toHaveLength(2);
      expect(outbound.sent.every((sent) => sent.includes(entra.issuer))).toBe(true);
    } finally {
      await entra.close();
    }
  });

  test('a host with a certificate Consentry made itself stays on Node’s https with that certificate; the rest goes through the port', async () => {
    const certificate = await generateLoopbackCertificate();
    const pinned = await startOidcTestServer({ tls: certificate });
    try {
      const outbound = recordingFetch();
      const fetch = pinnedCertificateFetch((url) => (url.origin === pinned.issuer ? certificate.cert : undefined), outbound.fetch);
      expect((await fetch(`${pinned.issuer}/.well-known/openid-configuration`)).status).toBe(200);
      expect((await fetch(`${server.issuer}/.well-known/openid-configuration`)).status).toBe(200);
      expect(outbound.sent).toEqual([`GET ${server.issuer}/.well-known/openid-configuration`]);
      // The port itself does not trust that certificate: it is trusted for that host alone.
      await expect(outbound.fetch(`${pinned.issuer}/.well-known/openid-configuration`)).rejects.toThrow(TypeError);
    } finally {
      await pinned.close();
    }
  });
});

describe('the tenant gateway hands every provider API call the outbound HTTP port', () => {
  let simulator: TenantSimulator;
  beforeAll(async () => {
    simulator = await startTenantSimulator({ seed: 5, users: 6, referenceTime: new Date('2026-11-21T09:00:00Z') });
    // The simulated Entra and Graph present a certificate made at start; the port (Node's fetch) trusts it here.
    setDefaultCACertificates([...defaultCertificates, simulator.microsoft.certificate]);
  });
  afterAll(() => simulator?.close());

  /** A gateway over one connection, as the app builds it but with a recording port. */
  function gatewayFor(provider: ProviderId, settings: ConnectionSettings, token: string) {
    const outbound = recordingFetch();
    const connection = { id: crypto.randomUUID(), provider, settings } as ConnectionView;
    const gateway = new TenantGateway({
      connections: { view: () => connection, accessToken: async () => token },
      definitions: providerDefinitions,
      schedulers: new TenantSchedulers(new ProviderRegistry().traffic()),
      fetch: outbound.fetch,
      events: new EventHub(),
    });
    return { context: gateway.context(connection.id), sent: outbound.sent };
  }

  async function scanThroughGateway(audit: ProviderAudit, provider: ProviderId, settings: ConnectionSettings, token: string): Promise<string[]> {
    const { context, sent } = gatewayFor(provider, settings, token);
    const scan = await audit.scan(context);
    expect(scan.grants.length).toBeGreaterThan(0);
    // Every call the scan sent, retries included, went through the port, to the tenant's API only.
    expect(sent).toHaveLength(context.scheduler.stats().calls);
    expect(sent.every((line) => line.includes(new URL(settings.apiBaseUrl!).origin))).toBe(true);
    return sent;
  }

  test('Google’s googleapis clients (gaxios)', async () => {
    const token = await sampleAccessToken(simulator, []);
    expect(await scanThroughGateway(googleGrantAudit, 'google', { apiBaseUrl: simulator.google.apiRoot }, token)).not.toHaveLength(0);
  });

  test('Microsoft Graph requests', async () => {
    const connection = resolveConnection(providerDefinitions, { provider: 'microsoft', clientId: simulator.microsoft.clientId, capabilities: [], settings: { issuer: simulator.microsoft.authority } });
    const grant = await microsoftOAuthClient.authorize(connection, {}, scriptedSignIn({ login: simulator.tenant.users[0]!.primaryEmail }));
    expect(await scanThroughGateway(microsoftGrantAudit, 'microsoft', { apiBaseUrl: simulator.microsoft.graphBaseUrl }, grant.secrets.accessToken!)).not.toHaveLength(0);
  });

  test('the SaaS admin APIs’ shared bearer call (Zendesk)', async () => {
    const zendesk = simulator.saas.zendesk;
    const connection = resolveConnection(providerDefinitions, {
      provider: 'zendesk',
      clientId: zendesk.clientId,
      capabilities: [],
      settings: { subdomain: 'sample-company', authorizationEndpoint: zendesk.authorizationEndpoint, tokenEndpoint: zendesk.tokenEndpoint, revocationEndpoint: zendesk.revocationEndpoint, redirectPort: fixedRedirectPortForTest() },
    });
    const grant = await genericOAuthClient.authorize(connection, {}, scriptedSignIn());
    expect(await scanThroughGateway(zendeskGrantAudit, 'zendesk', { subdomain: 'sample-company', apiBaseUrl: zendesk.apiBaseUrl }, grant.secrets.accessToken!)).not.toHaveLength(0);
  });
});

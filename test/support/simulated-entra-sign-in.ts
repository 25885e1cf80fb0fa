/**
 * A real sign-in through Consentry's Microsoft client (msal-node) to the simulated Entra, as the
 * tenant's first admin, for tests that call the simulated Graph with the token it gives.
 */
import { Client } from '@microsoft/microsoft-graph-client';
import { resolveConnection } from '../../src-main/oauth/connection-resolution';
import type { TenantSimulator } from '../../src-main/sample/simulator/tenant-simulator';
import type { CapabilityId } from '../../src-shared/domain/ids';
import { microsoftOAuthClient } from './node-oauth-clients';
import { providerDefinitions } from './provider-definitions';
import { scriptedSignIn } from './scripted-sign-in';

export async function simulatedEntraAccessToken(simulator: TenantSimulator, capabilities: CapabilityId[]): Promise<string> {
  const connection = resolveConnection(providerDefinitions, { provider: 'microsoft', clientId: simulator.microsoft.clientId, capabilities, settings: { issuer: simulator.microsoft.authority } });
  const grant = await microsoftOAuthClient.authorize(connection, {}, scriptedSignIn({ login: simulator.tenant.users[0]!.primaryEmail }));
  return grant.secrets.accessToken!;
}

/** An access token the simulated Entra issued with only these scopes, as a narrower consent would. */
export async function simulatedEntraTokenWithScopes(simulator: TenantSimulator, scopes: string[]): Promise<string> {
  const provider = simulator.microsoftAuthorization.provider;
  const client = (await provider.Client.find(simulator.microsoft.clientId))!;
  return new provider.AccessToken({ accountId: simulator.tenant.users[0]!.primaryEmail, client, scope: scopes.join(' '), gty: 'authorization_code', grantId: 'narrow-consent' }).save();
}

/** Microsoft's own Graph client, signed in to the simulated Entra: an independent client of the simulated Graph. */
export async function simulatedGraphClient(simulator: TenantSimulator, capabilities: CapabilityId[]): Promise<Client> {
  const accessToken = await simulatedEntraAccessToken(simulator, capabilities);
  return Client.init({
    authProvider: (done) => done(null, accessToken),
    baseUrl: simulator.microsoft.graphBaseUrl.replace(/v1\.0$/, ''),
    defaultVersion: 'v1.0',
    // The Graph client sends its token only to Graph's own hosts and these.
    customHosts: new Set(['127.0.0.1']),
  });
}

/** A real sign-in to the simulated Google, through Consentry's own Google client, driven over HTTP. */
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import { googleOAuthClient } from '../../support/node-oauth-clients';
import type { TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { scriptedSignIn } from '../../support/scripted-sign-in';
import { providerDefinitions } from '../../support/provider-definitions';

export async function sampleAccessToken(simulator: TenantSimulator, capabilities: CapabilityId[]): Promise<string> {
  const { google } = simulator;
  const connection = resolveConnection(providerDefinitions, {
    provider: 'google',
    clientId: google.clientId,
    capabilities,
    settings: { issuer: google.issuer, authorizationEndpoint: google.authorizationEndpoint, tokenEndpoint: google.tokenEndpoint, revocationEndpoint: google.revocationEndpoint },
  });
  const grant = await googleOAuthClient.authorize(connection, {}, scriptedSignIn({ login: simulator.tenant.users[0]!.primaryEmail }));
  return grant.secrets.accessToken!;
}

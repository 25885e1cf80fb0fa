/** A real sign-in to the simulated Okta org, through Consentry's generic client with the Okta preset. */
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import type { TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { fixedRedirectPortForTest } from '../../support/loopback-port';
import { genericOAuthClient } from '../../support/node-oauth-clients';
import { providerDefinitions } from '../../support/provider-definitions';
import { scriptedSignIn } from '../../support/scripted-sign-in';

export const sampleOktaOrgUrl = 'https://sample-company.okta.com';

export async function oktaAccessToken(simulator: TenantSimulator, capabilities: CapabilityId[]): Promise<string> {
  const { okta } = simulator.saas;
  const connection = resolveConnection(providerDefinitions, {
    provider: 'okta',
    clientId: okta.clientId,
    capabilities,
    settings: { orgUrl: sampleOktaOrgUrl, issuer: okta.issuer, authorizationEndpoint: okta.authorizationEndpoint, tokenEndpoint: okta.tokenEndpoint, revocationEndpoint: okta.revocationEndpoint, redirectPort: fixedRedirectPortForTest() },
  });
  return (await genericOAuthClient.authorize(connection, {}, scriptedSignIn())).secrets.accessToken!;
}

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import { genericOAuthClient } from '../../support/node-oauth-clients';
import { startTenantSimulator, type SimulatedSaasProvider, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { fixedRedirectPortForTest } from '../../support/loopback-port';
import { scriptedSignIn } from '../../support/scripted-sign-in';
import { providerDefinitions } from '../../support/provider-definitions';

let simulator: TenantSimulator;
beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 9, users: 80, referenceTime: new Date('2026-11-21T09:00:00Z') });
});
afterAll(() => simulator?.close());

/** A real sign-in through Consentry's generic client with the provider's preset, pointed at the simulator. */
async function accessToken(provider: ProviderId, endpoints: SimulatedSaasProvider, settings: ConnectionSettings): Promise<string> {
  const connection = resolveConnection(providerDefinitions, {
    provider,
    clientId: endpoints.clientId,
    capabilities: ['revoke_grants', 'offboarding'],
    settings: { ...settings, issuer: endpoints.issuer, authorizationEndpoint: endpoints.authorizationEndpoint, tokenEndpoint: endpoints.tokenEndpoint, revocationEndpoint: endpoints.revocationEndpoint, redirectPort: fixedRedirectPortForTest() },
  });
  const grant = await genericOAuthClient.authorize(connection, {}, scriptedSignIn());
  return grant.secrets.accessToken!;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the sample company’s SaaS tenants, signed in with the presets', () => {
  test('Salesforce: lists OauthToken records by SOQL and revokes one by its DeleteToken', async () => {
    const { salesforce } = simulator.saas;
    const token = await accessToken('salesforce', salesforce, { myDomain: 'sample-company' });
    const query = encodeURIComponent('SELECT AppName, UserId, LastUsedDate, UseCount, DeleteToken FROM OauthToken');
    const result = (await (await fetch(`${salesforce.apiBaseUrl}/services/data/v60.0/query?q=${query}`, { headers: bearer(token) })).json()) as { totalSize: number; records: { DeleteToken: string }[] };
    expect(result.totalSize).toBeGreaterThan(0);
    const revoked = await fetch(`${salesforce.apiBaseUrl}/services/oauth2/revoke`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: result.records[0]!.DeleteToken }) });
    expect(revoked.status).toBe(200);
    const after = (await (await fetch(`${salesforce.apiBaseUrl}/services/data/v60.0/query?q=${query}`, { headers: bearer(token) })).json()) as { totalSize: number };
    expect(after.totalSize).toBe(result.totalSize - 1);
  });

  test('Zendesk: lists every user’s OAuth tokens and deletes one', async () => {
    const { zendesk } = simulator.saas;
    const token = await accessToken('zendesk', zendesk, { subdomain: 'sample-company' });
    const list = (await (await fetch(`${zendesk.apiBaseUrl}/api/v2/oauth/tokens?all=true`, { headers: bearer(token) })).json()) as { tokens: { id: number }[] };
    expect(list.tokens.length).toBeGreaterThan(0);
    const id = list.tokens[0]!.id;
    expect((await fetch(`${zendesk.apiBaseUrl}/api/v2/oauth/tokens/${id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(204);
    expect((await fetch(`${zendesk.apiBaseUrl}/api/v2/oauth/tokens/${id}`, { headers: bearer(token) })).status).toBe(404);
  });

  test('Okta: lists a user’s grants, revokes them, and clears their sessions', async () => {
    const { okta } = simulator.saas;
    const token = await accessToken('okta', okta, { orgUrl: 'https://sample-company.okta.com' });
    const holder = simulator.saasState.okta.grants[0]!;
    const grants = (await (await fetch(`${okta.apiBaseUrl}/api/v1/users/${holder.userId}/grants`, { headers: bearer(token) })).json()) as unknown[];
    expect(grants.length).toBeGreaterThan(0);
    expect((await fetch(`${okta.apiBaseUrl}/api/v1/users/${holder.userId}/grants`, { method: 'DELETE', headers: bearer(token) })).status).toBe(204);
    expect(((await (await fetch(`${okta.apiBaseUrl}/api/v1/users/${holder.userId}/grants`, { headers: bearer(token) })).json()) as unknown[]).length).toBe(0);
    expect((await fetch(`${okta.apiBaseUrl}/api/v1/users/${holder.userId}/sessions?oauthTokens=true`, { method: 'DELETE', headers: bearer(token) })).status).toBe(204);
    expect(simulator.saasState.okta.sessionClears.map((clear) => clear.userId)).toContain(holder.userId);
  });
});

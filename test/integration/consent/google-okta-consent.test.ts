import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProviderConsent } from '../../../src-main/consent/consent-port';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler, type FailureKind } from '../../../src-main/net/request-scheduler';
import { classifyGoogleFailure } from '../../../src-main/providers/google/google-failure';
import { googleModule } from '../../../src-main/providers/google/google-module';
import { classifyOktaFailure } from '../../../src-main/providers/okta/okta-failure';
import { oktaModule } from '../../../src-main/providers/okta/okta-module';
import { createApiListener, type ApiCall } from '../../../src-main/sample/simulator/api-router';
import { googleErrors } from '../../../src-main/sample/simulator/google-directory-api';
import { googlePolicyRoutes, seedGooglePolicies } from '../../../src-main/sample/simulator/google-policy-api';
import { seededServiceAppScopes } from '../../../src-main/sample/simulator/saas-api';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { oktaAccessToken, sampleOktaOrgUrl } from '../sample/okta-sign-in';
import { sampleAccessToken } from '../sample/sample-sign-in';

let simulator: TenantSimulator;
beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 21, users: 30, referenceTime: new Date('2026-11-21T09:00:00Z') });
});
afterAll(() => simulator?.close());

// The adapters as the registry hands them out: through the providers' modules.
const googleConsent = googleModule.consent!;
const oktaConsent = oktaModule.consent!;

function context(apiBaseUrl: string, token: string, classify: (error: unknown) => FailureKind, settings: ProviderCallContext['settings'] = {}): ProviderCallContext {
  return { apiBaseUrl, settings, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify }) };
}

async function failureOf(consent: ProviderConsent, callContext: ProviderCallContext) {
  const error = await consent.readPolicy(callContext).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).not.toBeNull();
  return consent.describeFailure(error);
}

describe('reading Google’s API controls through the Cloud Identity Policy API', () => {
  test('asks for the read-only Cloud Identity policies scope only', () => {
    expect(googleConsent.readScopes).toEqual(['https://www.googleapis.com/auth/cloud-identity.policies.readonly']);
  });

  test('reduces the customer-level policies: unconfigured apps allowed, internal apps trusted, Gmail and Drive unrestricted', async () => {
    const token = await sampleAccessToken(simulator, ['consent']);
    const reading = await googleConsent.readPolicy(context(simulator.google.apiRoot, token, classifyGoogleFailure));
    expect(reading).toEqual({
      provider: 'google',
      controls: {
        // The Finance org unit blocks unconfigured apps; the customer-level value is the root's.
        unconfiguredThirdPartyApps: 'UNSPECIFIED_UBER_BLOCK',
        trustInternalApps: true,
        services: [
          { service: 'GMAIL_ALL', restricted: false },
          { service: 'DRIVE_ALL', restricted: false },
          { service: 'GSUITE_ADMIN_ALL', restricted: true },
          { service: 'VAULT_ALL', restricted: true },
        ],
      },
    });
    const listed = simulator.calls.filter((call) => call.name === 'cloudidentity.policies.list');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((call) => call.status === 200)).toBe(true);
  });

  test('turns Google’s 403 into permission_denied with the super admin and scope as the next step', async () => {
    const token = await sampleAccessToken(simulator, []);
    const failure = await failureOf(googleConsent, context(simulator.google.apiRoot, token, classifyGoogleFailure));
    expect(failure.code).toBe('permission_denied');
    expect(failure.message).toContain('super admin');
    expect(failure.nextStep).toContain('cloud-identity.policies.readonly');
  });

  test('reads every page when the policies fill more than one', async () => {
    const tenant = { googleCustomerId: 'C0paging1' };
    const seeded = seedGooglePolicies(tenant);
    // 150 more child org-unit policies ahead of the root's: two pages of 100.
    const children = Array.from({ length: 150 }, (_, index) => ({ ...seeded[2]!, name: `policies/child${index}`, policyQuery: { ...seeded[2]!.policyQuery, sortOrder: 10 + index } }));
    const calls: ApiCall[] = [];
    const server: Server = createServer(
      createApiListener({
        routes: googlePolicyRoutes(tenant, [...children, ...seeded]),
        errors: googleErrors,
        authenticate: async () => new Set(['https://www.googleapis.com/auth/cloud-identity.policies.readonly']),
        calls,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const reading = await googleConsent.readPolicy(context(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 'any', classifyGoogleFailure));
      expect(calls.filter((call) => call.name === 'cloudidentity.policies.list')).toHaveLength(2);
      expect(reading).toMatchObject({ provider: 'google', controls: { unconfiguredThirdPartyApps: 'UNSPECIFIED_UBER_BLOCK', trustInternalApps: true } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('reading the Okta API scopes granted to app integrations', () => {
  const oktaContext = (token: string) => context(simulator.saas.okta.apiBaseUrl, token, classifyOktaFailure, { orgUrl: sampleOktaOrgUrl });

  test('asks for okta.appGrants.read only', () => {
    expect(oktaConsent.readScopes).toEqual(['okta.appGrants.read']);
  });

  test('lists each app integration that holds Okta API scopes, with every grant', async () => {
    const reading = await oktaConsent.readPolicy(oktaContext(await oktaAccessToken(simulator, ['consent'])));
    if (reading.provider !== 'okta') throw new Error(`read ${reading.provider}`);
    const apps = reading.apps;
    expect(apps.map((app) => app.label)).toEqual(['Directory Sync Service']);
    expect(apps[0]!.grants.map((grant) => grant.scopeId).sort()).toEqual([...seededServiceAppScopes].sort());
    for (const grant of apps[0]!.grants) {
      expect(grant).toEqual({ id: expect.stringMatching(/^oag/), scopeId: expect.any(String), status: 'ACTIVE', source: 'ADMIN', issuer: simulator.saas.okta.apiBaseUrl, created: expect.any(String) });
    }
    // Every app integration was asked, once.
    const asked = simulator.calls.filter((call) => call.name === 'okta.appGrants.list').map((call) => call.path);
    expect(new Set(asked).size).toBe(simulator.saasState.okta.apps.length + 1);
  });

  test('turns Okta’s 403 into permission_denied naming okta.appGrants.read as the next step', async () => {
    const failure = await failureOf(oktaConsent, oktaContext(await oktaAccessToken(simulator, [])));
    expect(failure.code).toBe('permission_denied');
    expect(failure.nextStep).toContain('okta.appGrants.read');
  });
});

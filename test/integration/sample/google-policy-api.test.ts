import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { sampleAccessToken } from './sample-sign-in';

let simulator: TenantSimulator;
let consentToken: string;
let auditToken: string;
beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 12, users: 20, referenceTime: new Date('2026-11-21T09:00:00Z') });
  consentToken = await sampleAccessToken(simulator, ['consent']);
  auditToken = await sampleAccessToken(simulator, []);
});
afterAll(() => simulator?.close());

function cloudIdentity(token: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  return google.cloudidentity({ version: 'v1', auth, rootUrl: simulator.google.apiRoot, retry: false });
}

const apiControls = String.raw`setting.type.matches('^settings/api_controls\\..*$')`;

describe('the simulated Cloud Identity Policy API', () => {
  test('lists only the API-control policies a filter asks for, in Google’s policy shape', async () => {
    const { policies } = (await cloudIdentity(consentToken).policies.list({ filter: apiControls })).data;
    const types = policies!.map((policy) => policy.setting!.type);
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((type) => type!.startsWith('settings/api_controls.'))).toBe(true);
    const root = policies!.find((policy) => policy.setting!.type === 'settings/api_controls.unconfigured_third_party_apps' && policy.policyQuery!.sortOrder === 1)!;
    expect(root).toMatchObject({
      name: expect.stringMatching(/^policies\/\w+$/),
      customer: `customers/${simulator.tenant.googleCustomerId}`,
      policyQuery: { orgUnit: expect.stringMatching(/^orgUnits\//), query: expect.stringContaining('orgUnitId(') },
      setting: { value: { accessLevel: 'UNSPECIFIED_UBER_BLOCK' } },
      type: 'ADMIN',
    });
  });

  test('lists every setting without a filter, and none for another customer', async () => {
    const client = cloudIdentity(consentToken);
    const all = (await client.policies.list({})).data.policies!;
    expect(all.some((policy) => !policy.setting!.type!.startsWith('settings/api_controls.'))).toBe(true);
    expect((await client.policies.list({ filter: `customer == "customers/my_customer" && ${apiControls}` })).data.policies!.length).toBeLessThan(all.length);
    expect((await client.policies.list({ filter: 'customer == "customers/C0nobody"' })).data.policies).toEqual([]);
  });

  test('pages with pageSize and nextPageToken, and reads one policy by name', async () => {
    const client = cloudIdentity(consentToken);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = (await client.policies.list({ filter: apiControls, pageSize: 2, ...(pageToken ? { pageToken } : {}) })).data;
      expect(page.policies!.length).toBeLessThanOrEqual(2);
      seen.push(...page.policies!.map((policy) => policy.name!));
      pageToken = page.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken);
    const all = (await client.policies.list({ filter: apiControls })).data.policies!;
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(seen).toEqual(all.map((policy) => policy.name));
    expect((await client.policies.get({ name: seen[0]! })).data.name).toBe(seen[0]);
    await expect(client.policies.get({ name: 'policies/missing' })).rejects.toMatchObject({ status: 404 });
  });

  test('refuses a filter outside the documented clauses with 400 INVALID_ARGUMENT', async () => {
    await expect(cloudIdentity(consentToken).policies.list({ filter: 'setting.value == 1' })).rejects.toMatchObject({ status: 400 });
  });

  test('answers a token without a cloud-identity.policies scope with Google’s 403', async () => {
    const failure = await cloudIdentity(auditToken).policies.list({ filter: apiControls }).catch((error: { status: number; response: { data: unknown } }) => error);
    expect(failure).toMatchObject({ status: 403, response: { data: { error: { code: 403, status: 'PERMISSION_DENIED', errors: [{ reason: 'insufficientPermissions' }] } } } });
  });
});
